package org.comity.plan;

/**
 * What the agent does with an empty cell in a feature column. The same rule applies at every bank and in
 * serving, which is why it is part of the plan and not of a bank's configuration.
 */
public enum MissingValuePolicy {
  /** The row is invalid; the data check reports it and the agent does not train on the file. */
  REJECT,
  /** Replaced by the global mean of the column (0 after normalisation); categorical: all-zero one-hot. */
  MEAN,
  /** Replaced by 0 before normalisation; categorical: all-zero one-hot. */
  ZERO;
}
