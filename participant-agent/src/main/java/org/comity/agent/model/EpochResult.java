package org.comity.agent.model;

/**
 * Outcome of one pass over a bank's local rows.
 *
 * @param meanLoss class-weighted binary cross-entropy averaged over all rows of the epoch, measured on the training
 *     path (with dropout) before each step's update, i.e. the usual "training loss"
 * @param rowsSeen rows used, equal to the rows passed in (the last partial batch is included)
 * @param steps optimizer steps taken, {@code ceil(rows / batchSize)}
 */
public record EpochResult(double meanLoss, long rowsSeen, int steps) {

  public EpochResult {
    if (rowsSeen < 1 || steps < 1) {
      throw new IllegalArgumentException(
          "an epoch sees at least one row in one step, got rows=%d steps=%d".formatted(rowsSeen, steps));
    }
  }
}
