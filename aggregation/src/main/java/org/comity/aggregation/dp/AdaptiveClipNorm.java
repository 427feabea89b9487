package org.comity.aggregation.dp;

import java.util.Objects;

/**
 * The clip norm of adaptive clipping, one immutable value per round (Andrew et al. 2021, Algorithm 1 with the
 * geometric update).
 *
 * <p>Each round, every participant reports the bit {@code b = 1} if its update's norm was at most the current C (see
 * {@link ClippedUpdate#wasNotClipped()}). The server forms the noised fraction of unclipped updates {@code b_bar},
 * then sets {@code C <- C * exp(-eta * (b_bar - gamma))}: C shrinks while more than a gamma fraction fit under it and
 * grows otherwise. As in TensorFlow Privacy's {@code QuantileEstimatorQuery}, the bits are centred to {@code b - 1/2}
 * before summing so the count query has sensitivity 1/2, the noisy sum is divided by the public expected count m,
 * and the fraction is clamped to [0, 1].
 */
public final class AdaptiveClipNorm {

  private final double clipNorm;
  private final AdaptiveClippingParams params;

  private AdaptiveClipNorm(double clipNorm, AdaptiveClippingParams params) {
    this.clipNorm = clipNorm;
    this.params = params;
  }

  /**
   * @throws IllegalArgumentException if initialClipNorm is not finite and > 0
   */
  public static AdaptiveClipNorm start(double initialClipNorm, AdaptiveClippingParams params) {
    Objects.requireNonNull(params, "params");
    requireClipNorm(initialClipNorm);
    return new AdaptiveClipNorm(initialClipNorm, params);
  }

  /** The clip norm to use in the current round. */
  public double clipNorm() {
    return clipNorm;
  }

  public AdaptiveClippingParams params() {
    return params;
  }

  /**
   * The clip norm for the next round; this value is unchanged.
   *
   * @param unclippedCount how many of the round's updates had norm <= {@link #clipNorm()}
   * @param updateCount how many updates the round aggregated
   * @param noise draws the count noise of stddev {@link AdaptiveClippingParams#clippedCountStddev()}
   * @throws IllegalArgumentException if the counts are negative or unclippedCount > updateCount
   * @throws IllegalStateException if the noise source returns a non-finite value or C leaves the double range
   */
  public AdaptiveClipNorm afterRound(long unclippedCount, long updateCount, GaussianNoise noise) {
    Objects.requireNonNull(noise, "noise");
    double fraction = noisedUnclippedFraction(unclippedCount, updateCount, noise);
    double next =
        geometricUpdate(clipNorm, fraction, params.targetUnclippedQuantile(), params.learningRate());
    if (!(next > 0.0) || Double.isInfinite(next)) {
      throw new IllegalStateException(
          "adaptive clip norm left the representable range: %s -> %s".formatted(clipNorm, next));
    }
    return new AdaptiveClipNorm(next, params);
  }

  /**
   * {@code clamp(((sum of (b - 1/2)) + N(0, sigma_b^2)) / m + 1/2, 0, 1)}. Without noise and with {@code updateCount
   * == m} this is exactly {@code unclippedCount / updateCount}.
   */
  double noisedUnclippedFraction(long unclippedCount, long updateCount, GaussianNoise noise) {
    if (updateCount < 0 || unclippedCount < 0 || unclippedCount > updateCount) {
      throw new IllegalArgumentException(
          "need 0 <= unclippedCount <= updateCount, got %d of %d".formatted(unclippedCount, updateCount));
    }
    double sample = noise.next(params.clippedCountStddev());
    if (!Double.isFinite(sample)) {
      throw new IllegalStateException("noise source returned a non-finite sample");
    }
    double centredSum = unclippedCount - updateCount / 2.0 + sample;
    double fraction = centredSum / params.expectedRecordsPerRound() + 0.5;
    return Math.min(1.0, Math.max(0.0, fraction));
  }

  /**
   * The geometric update {@code C * exp(-learningRate * (unclippedFraction - targetQuantile))}.
   *
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static double geometricUpdate(
      double clipNorm, double unclippedFraction, double targetQuantile, double learningRate) {
    requireClipNorm(clipNorm);
    if (!(unclippedFraction >= 0.0 && unclippedFraction <= 1.0)) {
      throw new IllegalArgumentException(
          "unclippedFraction must be in [0, 1], got %s".formatted(unclippedFraction));
    }
    if (!(targetQuantile >= 0.0 && targetQuantile <= 1.0)) {
      throw new IllegalArgumentException(
          "targetQuantile must be in [0, 1], got %s".formatted(targetQuantile));
    }
    if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learningRate must be finite and > 0, got %s".formatted(learningRate));
    }
    return clipNorm * Math.exp(-learningRate * (unclippedFraction - targetQuantile));
  }

  @Override
  public String toString() {
    return "AdaptiveClipNorm{clipNorm=" + clipNorm + ", " + params + "}";
  }

  private static void requireClipNorm(double clipNorm) {
    if (!(clipNorm > 0.0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and > 0, got %s".formatted(clipNorm));
    }
  }
}
