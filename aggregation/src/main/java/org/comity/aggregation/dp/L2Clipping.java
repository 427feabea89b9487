package org.comity.aggregation.dp;

import java.util.Objects;

/**
 * Scales an update so its L2 norm is at most the clip norm C, which bounds each participant's influence on the sum
 * (its L2 sensitivity) by C; the Gaussian noise is then calibrated to C.
 *
 * <p>The norm is accumulated in {@code double}. Because the result is rounded back to {@code float}, a plain scale by
 * {@code C / norm} can land a hair above C; the scale is therefore shrunk until the rounded result's norm (computed
 * the same way) is at most C, so the sensitivity bound holds exactly for the values actually sent.
 */
public final class L2Clipping {

  private static final int MAX_SHRINK_ATTEMPTS = 64;

  private L2Clipping() {}

  /**
   * Clips {@code update} to L2 norm {@code clipNorm}; the input array is not modified.
   *
   * @throws IllegalArgumentException if clipNorm is not finite and > 0, or a coordinate is NaN or infinite (the index
   *     is named; the value is not, since it is private data)
   */
  public static ClippedUpdate clip(float[] update, double clipNorm) {
    Objects.requireNonNull(update, "update");
    if (!(clipNorm > 0.0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and > 0, got %s".formatted(clipNorm));
    }
    double norm = l2Norm(update);
    if (norm <= clipNorm) {
      return new ClippedUpdate(update.clone(), false);
    }
    double scale = clipNorm / norm;
    for (int attempt = 0; attempt < MAX_SHRINK_ATTEMPTS; attempt++) {
      float[] scaled = scaled(update, scale);
      if (l2Norm(scaled) <= clipNorm) {
        return new ClippedUpdate(scaled, true);
      }
      scale *= 1.0 - 1e-7 * (1L << Math.min(attempt, 20));
    }
    throw new ArithmeticException("could not clip update of norm %s to %s".formatted(norm, clipNorm));
  }

  /**
   * The L2 norm, accumulated in double.
   *
   * @throws IllegalArgumentException if a coordinate is NaN or infinite
   */
  public static double l2Norm(float[] values) {
    double sumOfSquares = 0.0;
    for (int i = 0; i < values.length; i++) {
      float value = values[i];
      if (!Float.isFinite(value)) {
        throw new IllegalArgumentException("update coordinate %d is not finite".formatted(i));
      }
      sumOfSquares += (double) value * value;
    }
    return Math.sqrt(sumOfSquares);
  }

  private static float[] scaled(float[] update, double scale) {
    float[] result = new float[update.length];
    for (int i = 0; i < update.length; i++) {
      result[i] = (float) (update[i] * scale);
    }
    return result;
  }
}
