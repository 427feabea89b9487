package org.comity.coordinator.round;

/**
 * The states of one round. A training round goes SELECTING, TRAINING, AGGREGATING, EVALUATING, then COMMITTED;
 * the statistics round (round 0) goes SELECTING, COLLECTING_STATISTICS, COMMITTED. Any round may end FAILED.
 */
public enum RoundPhase {
  SELECTING,
  COLLECTING_STATISTICS,
  TRAINING,
  AGGREGATING,
  EVALUATING,
  COMMITTED,
  FAILED;

  /** True for the two end states. */
  public boolean isTerminal() {
    return this == COMMITTED || this == FAILED;
  }
}
