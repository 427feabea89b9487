package org.comity.agent.model;

import org.comity.aggregation.dp.PoissonGaussianStep;

/**
 * Settings of sample-level DP-SGD at one bank (see {@link FraudModel#trainEpochPrivately}).
 *
 * <p>Each step samples every row independently with probability {@code q = expectedBatchSize / rows} (Poisson
 * sampling), clips each sampled row's gradient to L2 norm {@code clipNorm}, adds Gaussian noise of standard deviation
 * {@code noiseMultiplier * clipNorm} to the sum and divides by {@code expectedBatchSize}. One epoch is
 * {@link #stepsPerEpoch(int)} such steps, so its privacy cost is
 * {@code PoissonGaussianStep(q, noiseMultiplier, stepsPerEpoch)} (see {@link #privacyCost(int, int)}). The unit of
 * privacy is one row (one transaction): a customer with {@code k} transactions is protected with group privacy,
 * roughly {@code k} times the epsilon.
 *
 * <p>Whether {@code expectedBatchSize} fits the data ({@code <= rows}) is checked where the rows are known.
 *
 * @param clipNorm per-example L2 clip norm C, finite and {@code > 0}
 * @param noiseMultiplier sigma, finite and {@code >= 0}; the noise standard deviation is {@code sigma * C}. 0 gives
 *     no privacy (the bank's ledger then refuses the round: its epsilon is infinite)
 * @param expectedBatchSize {@code q * rows}, {@code >= 1}; also the fixed denominator of every step's gradient
 */
public record DpSgdSettings(double clipNorm, double noiseMultiplier, int expectedBatchSize) {

  public DpSgdSettings {
    if (!(clipNorm > 0.0) || !Double.isFinite(clipNorm) || !(((float) clipNorm) > 0.0f)
        || Float.isInfinite((float) clipNorm)) {
      throw new IllegalArgumentException(
          "clipNorm must be finite and > 0 (as a float32), got " + clipNorm);
    }
    if (!(noiseMultiplier >= 0.0) || !Double.isFinite(noiseMultiplier)
        || Float.isInfinite((float) (noiseMultiplier * clipNorm))) {
      throw new IllegalArgumentException(
          "noiseMultiplier must be finite and >= 0 with noiseMultiplier * clipNorm finite as a float32, got "
              + noiseMultiplier);
    }
    if (expectedBatchSize < 1) {
      throw new IllegalArgumentException("expectedBatchSize must be >= 1, got " + expectedBatchSize);
    }
  }

  /**
   * Poisson sampling rate {@code q = expectedBatchSize / rows}.
   *
   * @throws IllegalArgumentException if {@code rows < expectedBatchSize} (q would exceed 1)
   */
  public double samplingRate(int rows) {
    requireFits(rows);
    return (double) expectedBatchSize / rows;
  }

  /**
   * Steps in one epoch over {@code rows} rows: {@code round(rows / expectedBatchSize)}, at least 1, so an epoch
   * touches each row once in expectation.
   *
   * @throws IllegalArgumentException if {@code rows < expectedBatchSize}
   */
  public int stepsPerEpoch(int rows) {
    requireFits(rows);
    return (int) Math.max(1, Math.round((double) rows / expectedBatchSize));
  }

  /**
   * The mechanism that {@code epochs} epochs over {@code rows} rows run, for the bank's accountant:
   * {@code PoissonGaussianStep(samplingRate(rows), noiseMultiplier, epochs * stepsPerEpoch(rows))}.
   *
   * @throws IllegalArgumentException if {@code rows < expectedBatchSize} or {@code epochs < 0}
   */
  public PoissonGaussianStep privacyCost(int rows, int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    return new PoissonGaussianStep(samplingRate(rows), noiseMultiplier, (long) epochs * stepsPerEpoch(rows));
  }

  /** The noise standard deviation {@code noiseMultiplier * clipNorm}. */
  public double noiseStandardDeviation() {
    return noiseMultiplier * clipNorm;
  }

  /** @throws IllegalArgumentException unless {@code 1 <= expectedBatchSize <= rows} */
  void requireFits(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be >= 1, got " + rows);
    }
    if (expectedBatchSize > rows) {
      throw new IllegalArgumentException(
          "expectedBatchSize %d must be <= rows %d (sampling rate q = expectedBatchSize / rows must be <= 1)"
              .formatted(expectedBatchSize, rows));
    }
  }
}
