package org.comity.aggregation.dp;

import java.util.Objects;

/**
 * Finds the smallest noise multiplier that keeps a training plan within a target (epsilon, delta).
 *
 * <p>Epsilon is non-increasing in the noise multiplier, so the answer is found by bracketing (doubling or halving from
 * z = 1) and then bisection. The search always returns the upper end of its final bracket, a value at which the
 * accountant was actually evaluated and met the target: {@code epsilon(result) <= targetEpsilon} holds exactly, never
 * approximately. The bracket is closed to a relative width of {@link #RELATIVE_TOLERANCE}, so the result exceeds the
 * smallest sufficient multiplier by at most that fraction (plus the accountant's own rounding).
 */
public final class NoiseCalibrator {

  /** Bisection stops when {@code (high - low) <= RELATIVE_TOLERANCE * high}. */
  public static final double RELATIVE_TOLERANCE = 1e-9;
  /** Largest multiplier tried before declaring the target unreachable. */
  public static final double MAX_NOISE_MULTIPLIER = 1e6;
  /** Smallest multiplier tried; if even this meets the target, it is returned. */
  public static final double MIN_NOISE_MULTIPLIER = 1e-6;

  private NoiseCalibrator() {}

  /**
   * The noise multiplier z such that {@code steps} rounds at sampling rate q are (targetEpsilon, delta)-DP.
   *
   * @return z >= 0; exactly 0 when {@code samplingRate == 0} or {@code steps == 0} (nothing to protect)
   * @throws IllegalArgumentException on an invalid argument, or if even {@link #MAX_NOISE_MULTIPLIER} does not reach
   *     the target (e.g. orders so close to 1 that no finite epsilon is available)
   */
  public static double noiseMultiplierFor(
      double targetEpsilon, double samplingRate, long steps, double delta, RdpOrders orders) {
    Objects.requireNonNull(orders, "orders");
    if (!(targetEpsilon > 0.0) || Double.isInfinite(targetEpsilon)) {
      throw new IllegalArgumentException(
          "targetEpsilon must be finite and > 0, got %s".formatted(targetEpsilon));
    }
    RdpConversion.requireDelta(delta);
    new PoissonGaussianStep(samplingRate, 0.0, steps); // validates q and steps with the usual messages
    if (samplingRate == 0.0 || steps == 0) {
      return 0.0;
    }
    EpsilonOfNoise epsilonOf =
        z ->
            RdpAccountant.withOrders(orders)
                .compose(new PoissonGaussianStep(samplingRate, z, steps))
                .epsilon(delta)
                .epsilon();

    double low;
    double high = 1.0;
    if (epsilonOf.at(high) <= targetEpsilon) {
      low = high / 2;
      while (epsilonOf.at(low) <= targetEpsilon) {
        high = low;
        if (high <= MIN_NOISE_MULTIPLIER) {
          return high;
        }
        low = high / 2;
      }
    } else {
      low = high;
      high = 2.0;
      while (epsilonOf.at(high) > targetEpsilon) {
        low = high;
        high *= 2;
        if (high > MAX_NOISE_MULTIPLIER) {
          throw new IllegalArgumentException(
              ("targetEpsilon %s is not reachable with noise multiplier up to %s "
                      + "(samplingRate %s, steps %d, delta %s, %d orders); even with no privacy loss per "
                      + "step these orders give epsilon >= %s, so add larger orders or relax the target")
                  .formatted(targetEpsilon, MAX_NOISE_MULTIPLIER, samplingRate, steps, delta,
                      orders.size(), smallestEpsilonOfOrders(orders, delta)));
        }
      }
    }
    // Invariant: epsilon(low) > target >= epsilon(high).
    while (high - low > RELATIVE_TOLERANCE * high) {
      double middle = low + (high - low) / 2;
      if (epsilonOf.at(middle) <= targetEpsilon) {
        high = middle;
      } else {
        low = middle;
      }
    }
    return high;
  }

  /**
   * As {@link #noiseMultiplierFor(double, double, long, double, RdpOrders)} with orders given as an array.
   *
   * @throws IllegalArgumentException also as {@link RdpOrders#of(double...)}
   */
  public static double noiseMultiplierFor(
      double targetEpsilon, double samplingRate, long steps, double delta, double[] orders) {
    return noiseMultiplierFor(targetEpsilon, samplingRate, steps, delta, RdpOrders.of(orders));
  }

  /**
   * The conversion's epsilon as RDP tends to 0, ignoring the KL shortcut (which needs RDP below about delta^2): the
   * floor that the largest orders impose. {@code +Infinity} if no order is above 1.01.
   */
  private static double smallestEpsilonOfOrders(RdpOrders orders, double delta) {
    double floor = Double.POSITIVE_INFINITY;
    for (double alpha : orders.values()) {
      if (alpha > 1.01 && alpha < Double.POSITIVE_INFINITY) {
        floor = Math.min(floor, Math.log1p(-1.0 / alpha) - Math.log(delta * alpha) / (alpha - 1.0));
      } else if (alpha == Double.POSITIVE_INFINITY) {
        floor = 0.0;
      }
    }
    return Math.max(0.0, floor);
  }

  @FunctionalInterface
  private interface EpsilonOfNoise {
    double at(double noiseMultiplier);
  }
}
