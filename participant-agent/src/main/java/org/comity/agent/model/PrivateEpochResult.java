package org.comity.agent.model;

import org.comity.aggregation.dp.PoissonGaussianStep;

/**
 * Outcome of one DP-SGD epoch ({@link FraudModel#trainEpochPrivately}).
 *
 * <p>{@code meanLoss} and {@code rowsSampled} are computed from the raw rows WITHOUT noise: they are not
 * differentially private. Keep them inside the bank (local logs, local monitoring); only the weights, and
 * {@code privacyCost}, which depends on the settings and the row count only, may leave it.
 *
 * @param meanLoss class-weighted training loss averaged over the sampled rows, measured on the training path before
 *     each step's update; NaN when no row was sampled
 * @param rowsSampled rows used over all steps (each step samples about {@code expectedBatchSize})
 * @param steps optimizer steps taken, {@link DpSgdSettings#stepsPerEpoch(int)}; empty batches count
 * @param privacyCost the mechanism this epoch ran, to be recorded in the bank's ledger
 */
public record PrivateEpochResult(double meanLoss, long rowsSampled, int steps, PoissonGaussianStep privacyCost) {

  public PrivateEpochResult {
    if (rowsSampled < 0 || steps < 1) {
      throw new IllegalArgumentException(
          "a private epoch takes at least one step and samples >= 0 rows, got rows=%d steps=%d"
              .formatted(rowsSampled, steps));
    }
    if (privacyCost == null) {
      throw new IllegalArgumentException("privacyCost must not be null");
    }
  }
}
