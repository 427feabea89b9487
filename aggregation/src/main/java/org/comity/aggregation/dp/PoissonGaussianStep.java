package org.comity.aggregation.dp;

/**
 * A run of {@code steps} identical rounds of the Poisson-subsampled Gaussian mechanism: each record (for Comity, each
 * bank's contribution unit) is included independently with probability {@code samplingRate}, the included updates are
 * clipped to L2 norm C and summed, and Gaussian noise of standard deviation {@code noiseMultiplier * C} is added.
 *
 * @param samplingRate q in [0, 1]; 0 means nobody is ever sampled (no privacy loss), 1 means everyone always is
 * @param noiseMultiplier z >= 0, the noise standard deviation divided by the L2 sensitivity; 0 means no noise
 * @param steps how many such rounds, >= 0
 */
public record PoissonGaussianStep(double samplingRate, double noiseMultiplier, long steps) {

  public PoissonGaussianStep {
    if (!(samplingRate >= 0.0 && samplingRate <= 1.0)) {
      throw new IllegalArgumentException(
          "samplingRate must be in [0, 1], got %s".formatted(samplingRate));
    }
    if (!(noiseMultiplier >= 0.0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "noiseMultiplier must be finite and >= 0, got %s".formatted(noiseMultiplier));
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got %d".formatted(steps));
    }
  }
}
