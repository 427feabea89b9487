package org.comity.aggregation.dp;

/**
 * The {@code privacy epsilon} and {@code privacy noise} commands of every Comity executable, minus picocli: one place
 * that validates the options, runs the accountant and formats the one-line JSON answer, so the coordinator, the agent
 * and the simulation give byte-identical answers and messages.
 *
 * <p>Every {@link IllegalArgumentException} thrown here names the command-line option at fault (e.g. {@code
 * "--noise-multiplier must be finite and >= 0, got -1.0"}); the commands map it to exit code 2. Pure: no I/O.
 *
 * <p><b>Output.</b> One JSON object on one line, numbers in Java's shortest round-trip form (full double precision,
 * e.g. {@code {"epsilon": 0.7242234026109595, "order": 19.0}}), so that a reader parsing the number gets the exact
 * double the accountant computed. JSON has no infinity: an infinite epsilon (no finite guarantee at any order, e.g.
 * with noise 0) or an infinite order is written as the string {@code "Infinity"}, as Jackson does by default, so a
 * consumer expecting a number fails loudly instead of reading a small value.
 */
public final class PrivacyQueries {

  public static final String SAMPLING_RATE = "--sampling-rate";
  public static final String NOISE_MULTIPLIER = "--noise-multiplier";
  public static final String STEPS = "--steps";
  public static final String DELTA = "--delta";
  public static final String ORDERS = "--orders";
  public static final String TARGET_EPSILON = "--target-epsilon";

  private PrivacyQueries() {}

  /**
   * {@code privacy epsilon}: the (epsilon, delta) guarantee of {@code steps} Poisson-subsampled Gaussian steps.
   *
   * @param ordersText the {@code --orders} value ({@link RdpOrders#parse(String)} syntax), or {@code null} for
   *     {@link RdpOrders#defaults()}
   * @return {@code {"epsilon": E, "order": A}}
   * @throws IllegalArgumentException naming the option, if a value is out of range or malformed
   */
  public static String epsilonJson(
      double samplingRate, double noiseMultiplier, long steps, double delta, String ordersText) {
    requireSamplingRate(samplingRate);
    if (!(noiseMultiplier >= 0.0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "%s must be finite and >= 0, got %s".formatted(NOISE_MULTIPLIER, noiseMultiplier));
    }
    requireSteps(steps);
    requireDelta(delta);
    RdpOrders orders = orders(ordersText);
    EpsilonAtOrder result =
        RdpAccountant.withOrders(orders)
            .compose(new PoissonGaussianStep(samplingRate, noiseMultiplier, steps))
            .epsilon(delta);
    return "{\"epsilon\": " + number(result.epsilon()) + ", \"order\": " + number(result.order()) + "}";
  }

  /**
   * {@code privacy noise}: the smallest noise multiplier (to {@link NoiseCalibrator#RELATIVE_TOLERANCE}) that keeps
   * {@code steps} steps at sampling rate q within (targetEpsilon, delta); evaluating {@link #epsilonJson} at the
   * answer gives an epsilon {@code <= targetEpsilon}.
   *
   * @param ordersText as in {@link #epsilonJson}
   * @return {@code {"noise_multiplier": Z}}
   * @throws IllegalArgumentException naming the option, if a value is out of range or malformed, or if the target
   *     cannot be reached with these orders
   */
  public static String noiseJson(
      double targetEpsilon, double samplingRate, long steps, double delta, String ordersText) {
    if (!(targetEpsilon > 0.0) || Double.isInfinite(targetEpsilon)) {
      throw new IllegalArgumentException(
          "%s must be finite and > 0, got %s".formatted(TARGET_EPSILON, targetEpsilon));
    }
    requireSamplingRate(samplingRate);
    requireSteps(steps);
    requireDelta(delta);
    RdpOrders orders = orders(ordersText);
    double noiseMultiplier;
    try {
      noiseMultiplier = NoiseCalibrator.noiseMultiplierFor(targetEpsilon, samplingRate, steps, delta, orders);
    } catch (IllegalArgumentException e) {
      // Arguments are valid by now, so the only refusal left is an unreachable target.
      throw new IllegalArgumentException(TARGET_EPSILON + ": " + e.getMessage(), e);
    }
    return "{\"noise_multiplier\": " + number(noiseMultiplier) + "}";
  }

  private static void requireSamplingRate(double samplingRate) {
    if (!(samplingRate >= 0.0 && samplingRate <= 1.0)) {
      throw new IllegalArgumentException(
          "%s must be in [0, 1] (the probability that a record is in a step), got %s"
              .formatted(SAMPLING_RATE, samplingRate));
    }
  }

  private static void requireSteps(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("%s must be >= 0, got %d".formatted(STEPS, steps));
    }
  }

  private static void requireDelta(double delta) {
    if (!(delta > 0.0 && delta < 1.0)) {
      throw new IllegalArgumentException(
          "%s must be in (0, 1), typically well below 1 / (number of records), got %s".formatted(DELTA, delta));
    }
  }

  private static RdpOrders orders(String ordersText) {
    if (ordersText == null) {
      return RdpOrders.defaults();
    }
    try {
      return RdpOrders.parse(ordersText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ORDERS + ": " + e.getMessage(), e);
    }
  }

  /** Shortest decimal that reads back as the same double; JSON has no infinity, so it becomes a string. */
  private static String number(double value) {
    if (Double.isNaN(value)) {
      throw new IllegalStateException("the accountant produced NaN"); // it never does: it throws first
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
    return Double.toString(value);
  }
}
