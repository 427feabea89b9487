package org.comity.aggregation.dp;

/**
 * Splits one noise multiplier between the update sum and the unclipped-count query of adaptive clipping.
 *
 * <p>Andrew et al. 2021 (Theorem 1): releasing the sum with noise multiplier {@code z_sum} and the centred count
 * (sensitivity 1/2) with noise stddev {@code sigma_b} in the same round is, for privacy accounting, one Gaussian
 * mechanism with multiplier {@code z = (z_sum^-2 + (2 sigma_b)^-2)^(-1/2)}. To keep the accountant's z (and thus
 * epsilon) unchanged when adaptive clipping is switched on, the sum gets {@code z_sum = (z^-2 - (2 sigma_b)^-2)^(-1/2)},
 * which is slightly more noise than z. The accountant is always fed the combined z.
 */
public final class AdaptiveClippingNoiseSplit {

  private AdaptiveClippingNoiseSplit() {}

  /**
   * The multiplier for the sum so that sum and count together cost the same as a single mechanism with {@code
   * noiseMultiplier}.
   *
   * @return {@code (z^-2 - (2 sigma_b)^-2)^(-1/2)}; 0 when z is 0 (no privacy claimed, nothing to split)
   * @throws IllegalArgumentException if z or sigma_b is negative or not finite, or if {@code 2 sigma_b <= z}: then the
   *     count alone would already use the whole budget (the paper's default is sigma_b = m / 20, comfortably large)
   */
  public static double sumNoiseMultiplier(double noiseMultiplier, double clippedCountStddev) {
    requireNonNegativeFinite("noiseMultiplier", noiseMultiplier);
    requireNonNegativeFinite("clippedCountStddev", clippedCountStddev);
    if (noiseMultiplier == 0.0) {
      return 0.0;
    }
    double countMultiplier = 2.0 * clippedCountStddev;
    if (!(countMultiplier > noiseMultiplier)) {
      throw new IllegalArgumentException(
          ("clippedCountStddev %s leaves no budget for the sum: need 2 * clippedCountStddev > noiseMultiplier %s")
              .formatted(clippedCountStddev, noiseMultiplier));
    }
    double ratio = noiseMultiplier / countMultiplier;
    // z * (1 - (z / (2 sigma_b))^2)^(-1/2), which avoids overflow of z^-2 for tiny z.
    return noiseMultiplier / Math.sqrt((1.0 - ratio) * (1.0 + ratio));
  }

  /**
   * The combined multiplier {@code (z_sum^-2 + (2 sigma_b)^-2)^(-1/2)} that the accountant must use when the sum is
   * noised with {@code sumNoiseMultiplier} and the count with {@code clippedCountStddev}.
   *
   * @throws IllegalArgumentException if an argument is negative or not finite
   */
  public static double combinedNoiseMultiplier(double sumNoiseMultiplier, double clippedCountStddev) {
    requireNonNegativeFinite("sumNoiseMultiplier", sumNoiseMultiplier);
    requireNonNegativeFinite("clippedCountStddev", clippedCountStddev);
    if (sumNoiseMultiplier == 0.0 || clippedCountStddev == 0.0) {
      return 0.0;
    }
    double ratio = sumNoiseMultiplier / (2.0 * clippedCountStddev);
    return sumNoiseMultiplier / Math.sqrt(1.0 + ratio * ratio);
  }

  private static void requireNonNegativeFinite(String name, double value) {
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("%s must be finite and >= 0, got %s".formatted(name, value));
    }
  }
}
