package org.comity.aggregation.dp;

/**
 * Log-space arithmetic used by the RDP accountant.
 *
 * <p>Privacy accounting multiplies and adds numbers such as {@code q^i} or {@code exp(i^2 / (2 z^2))} that overflow
 * or underflow a {@code double} long before the final answer does, so every quantity is carried as its natural
 * logarithm; zero is {@code -Infinity}. The JDK has no {@code erfc}, so {@link #logErfc(double)} is implemented here
 * (power series near zero, continued fraction in the tail) and checked against 40-digit values in the tests.
 */
final class LogMath {

  private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
  private static final double LOG_TWO = Math.log(2.0);
  /** Below this, {@code 1 - erf(x)} loses at most about two decimal digits; above it the continued fraction is fast. */
  private static final double SERIES_LIMIT = 2.0;
  private static final int MAX_ITERATIONS = 10_000;

  private LogMath() {}

  /** {@code log(exp(logX) + exp(logY))} without overflow; either argument may be {@code -Infinity} (zero). */
  static double logAdd(double logX, double logY) {
    double low = Math.min(logX, logY);
    double high = Math.max(logX, logY);
    if (low == Double.NEGATIVE_INFINITY) {
      return high;
    }
    if (high == Double.POSITIVE_INFINITY) {
      return high;
    }
    return high + Math.log1p(Math.exp(low - high));
  }

  /**
   * {@code log(exp(logX) - exp(logY))}.
   *
   * @throws ArithmeticException if {@code logX < logY}: the difference would be negative and has no logarithm
   */
  static double logSub(double logX, double logY) {
    if (logX < logY) {
      throw new ArithmeticException(
          "log-space subtraction would go negative: exp(%s) - exp(%s)".formatted(logX, logY));
    }
    if (logY == Double.NEGATIVE_INFINITY) {
      return logX;
    }
    if (logX == logY) {
      return Double.NEGATIVE_INFINITY;
    }
    return logX + log1mExp(logY - logX);
  }

  /** {@code log(1 - exp(x))} for {@code x <= 0}, accurate both near 0 and for very negative x (Maechler 2012). */
  static double log1mExp(double x) {
    if (x > 0) {
      throw new IllegalArgumentException("log(1 - exp(x)) needs x <= 0, got " + x);
    }
    return x > -LOG_TWO ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
  }

  /** {@code log(exp(x) - 1)} for {@code x >= 0}; {@code -Infinity} at 0. */
  static double logExpm1(double x) {
    if (x < 0) {
      throw new IllegalArgumentException("log(exp(x) - 1) needs x >= 0, got " + x);
    }
    return x > 1.0 ? x + log1mExp(-x) : Math.log(Math.expm1(x));
  }

  /**
   * Natural log of the complementary error function, finite for every finite x (no underflow for large x, where
   * {@code erfc(x)} itself is below {@code Double.MIN_VALUE}). Relative accuracy is about 1e-14 or better.
   */
  static double logErfc(double x) {
    if (Double.isNaN(x)) {
      throw new IllegalArgumentException("logErfc of NaN");
    }
    if (x == Double.POSITIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    if (x < 0) {
      // erfc(x) = 2 - erfc(-x), in [1, 2]: no cancellation.
      return Math.log(2.0 - Math.exp(logErfc(-x)));
    }
    if (x < SERIES_LIMIT) {
      return Math.log1p(-erfSeries(x));
    }
    return -x * x - LOG_SQRT_PI + Math.log(erfcContinuedFractionFactor(x));
  }

  /**
   * erf by the everywhere-positive series {@code erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (2n+1)!!}, so no
   * terms cancel.
   */
  private static double erfSeries(double x) {
    double term = x;
    double sum = x;
    double twoXSquared = 2.0 * x * x;
    for (int n = 1; n < MAX_ITERATIONS; n++) {
      term *= twoXSquared / (2 * n + 1);
      sum += term;
      if (term <= sum * 1e-17) {
        return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
      }
    }
    throw new ArithmeticException("erf series did not converge at x=" + x);
  }

  /**
   * The factor {@code G(x) = erfc(x) * sqrt(pi) * exp(x^2)} from the continued fraction {@code G = 1/(x + (1/2)/(x +
   * 1/(x + (3/2)/(x + ...))))}, evaluated with the modified Lentz method. Converges quickly for {@code x >= 2}.
   */
  private static double erfcContinuedFractionFactor(double x) {
    final double tiny = 1e-300;
    double f = tiny;
    double c = f;
    double d = 0.0;
    for (int k = 1; k < MAX_ITERATIONS; k++) {
      double a = k == 1 ? 1.0 : (k - 1) / 2.0;
      d = x + a * d;
      d = d == 0.0 ? 1 / tiny : 1.0 / d;
      c = x + a / c;
      if (c == 0.0) {
        c = tiny;
      }
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-15) {
        return f;
      }
    }
    throw new ArithmeticException("erfc continued fraction did not converge at x=" + x);
  }
}
