package org.comity.aggregation.dp;

/**
 * Standard deviation of the Gaussian noise added to a sum of updates clipped at L2 norm C: {@code z * C}.
 *
 * <p>The noise multiplier z is the quantity the {@link RdpAccountant} reasons about; C is the sensitivity. Keeping
 * the product in one place avoids the classic bug of noising an average with the stddev meant for the sum.
 */
public final class SumNoise {

  private SumNoise() {}

  /**
   * @throws IllegalArgumentException if clipNorm is not finite and > 0, or noiseMultiplier is not finite and >= 0
   */
  public static double standardDeviation(double clipNorm, double noiseMultiplier) {
    if (!(clipNorm > 0.0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and > 0, got %s".formatted(clipNorm));
    }
    if (!(noiseMultiplier >= 0.0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "noiseMultiplier must be finite and >= 0, got %s".formatted(noiseMultiplier));
    }
    return noiseMultiplier * clipNorm;
  }
}
