package org.comity.plan;

/**
 * Sample-level differential privacy at each bank (DP-SGD), protecting each customer's transactions: per-example
 * gradient clipping and Gaussian noise in the training graph, over Poisson-sampled batches. The operator fixes the
 * mechanism here so that every bank trains the same way; each bank sets its own epsilon ceiling in its agent and
 * accounts its own spending on its own data.
 *
 * @param enabled whether banks train with DP-SGD
 * @param clipNorm L2 bound of each example's gradient
 * @param noiseMultiplier Gaussian noise standard deviation divided by the clip norm
 * @param expectedBatchSize expected Poisson batch size (sampling rate = expected batch / the bank's rows)
 */
public record SampleLevelPrivacySpec(boolean enabled, double clipNorm, double noiseMultiplier, int expectedBatchSize) {

  /** DP-SGD off. */
  public static SampleLevelPrivacySpec disabled() {
    return new SampleLevelPrivacySpec(false, 1.0, 1.0, 256);
  }
}
