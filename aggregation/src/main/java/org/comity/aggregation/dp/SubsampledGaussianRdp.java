package org.comity.aggregation.dp;

/**
 * Renyi-DP of one step of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar, Zhang 2019, "Renyi
 * Differential Privacy of the Sampled Gaussian Mechanism", Section 3.3).
 *
 * <p>With sampling rate q and noise multiplier z, the RDP at order {@code alpha} is {@code log(A_alpha) / (alpha -
 * 1)}. Integer orders use the finite binomial sum; fractional orders use the two-sided erfc series. Every sum is
 * carried in log space so that tiny q (1e-6), large orders (1024 and beyond) and tiny z do not overflow.
 *
 * <p>Integer orders are computed as {@code log1p(A - 1)} with {@code A - 1 = sum_{i>=2} C(alpha,i) (1-q)^(alpha-i)
 * q^i (exp((i^2-i)/(2 z^2)) - 1)}. This is algebraically identical to the plain sum (the binomial terms add up to 1
 * and the terms i = 0, 1 have exponent 0) but has only positive terms, so it keeps full relative precision when A is
 * within 1e-12 of 1, which is exactly the tiny-q regime.
 */
final class SubsampledGaussianRdp {

  /** Largest finite order accepted; the work is linear in the order. */
  static final double MAX_FINITE_ORDER = 1_000_000;
  /**
   * Stop the fractional series once past the order and both new terms are below exp(-30) (A >= 1, so this is also a
   * relative bound), as {@code dp_accounting} does. Like theirs, the neglected tail is not bounded analytically (the
   * terms decay only polynomially); summing on to exp(-80) over the reference cases and a grid of q in [0.01, 0.9], z
   * in [0.3, 5], orders 1.001 to 10.5 changed log(A) by at most 2e-10 (1e-8 relative).
   */
  private static final double SERIES_STOP_LOG_TERM = -30.0;
  private static final int MAX_SERIES_TERMS = 10_000_000;
  /** log(A) below minus this is an error, not rounding; rounding in the sums is around 1e-16 per term. */
  private static final double NEGATIVE_LOG_A_TOLERANCE = 1e-10;
  private static final double LOG_HALF = Math.log(0.5);
  private static final double SQRT_TWO = Math.sqrt(2.0);

  private SubsampledGaussianRdp() {}

  /**
   * RDP of a single step at one order.
   *
   * @param samplingRate q in [0, 1]
   * @param noiseMultiplier z >= 0 (0 means no noise: infinite RDP unless q = 0)
   * @param order alpha > 1, or {@code +Infinity}
   * @return the RDP, >= 0, possibly {@code +Infinity}
   */
  static double rdpOfOneStep(
      double samplingRate, double noiseMultiplier, double order, FractionalOrderSeries series) {
    if (samplingRate == 0.0) {
      return 0.0;
    }
    if (order == Double.POSITIVE_INFINITY || noiseMultiplier == 0.0) {
      return Double.POSITIVE_INFINITY;
    }
    if (samplingRate == 1.0) {
      return order / (2.0 * noiseMultiplier * noiseMultiplier);
    }
    double logA =
        order == Math.rint(order)
            ? logAIntegerOrder(samplingRate, noiseMultiplier, (long) order)
            : logAFractionalOrder(samplingRate, noiseMultiplier, order, series);
    if (logA < -NEGATIVE_LOG_A_TOLERANCE) {
      // A_alpha >= 1 mathematically; a clearly negative log means the computation failed. Fail closed.
      throw new ArithmeticException(
          "RDP computation failed for q=%s, z=%s, order=%s: log(A) = %s < 0"
              .formatted(samplingRate, noiseMultiplier, order, logA));
    }
    // Clamp the rounding noise of a log(A) that is mathematically >= 0.
    return Math.max(0.0, logA / (order - 1.0));
  }

  private static double logAIntegerOrder(double q, double z, long alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double twoZSquared = 2.0 * z * z;
    double logBinomial = Math.log(alpha); // log C(alpha, 1)
    double logAMinusOne = Double.NEGATIVE_INFINITY;
    for (long i = 2; i <= alpha; i++) {
      logBinomial += Math.log((double) (alpha - i + 1) / i);
      double exponent = ((double) i * i - i) / twoZSquared;
      double term = logBinomial + i * logQ + (alpha - i) * log1mQ + LogMath.logExpm1(exponent);
      logAMinusOne = LogMath.logAdd(logAMinusOne, term);
    }
    return LogMath.logAdd(0.0, logAMinusOne);
  }

  private static double logAFractionalOrder(
      double q, double z, double alpha, FractionalOrderSeries series) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double twoZSquared = 2.0 * z * z;
    double sqrtTwoZ = SQRT_TWO * z;
    // Split point of the integral: the two parts over (-inf, z0] and [z0, +inf).
    double z0 = z * z * (log1mQ - logQ) + 0.5;
    double logA0 = Double.NEGATIVE_INFINITY;
    double logA1 = Double.NEGATIVE_INFINITY;
    double logAbsBinomial = 0.0; // log |C(alpha, 0)|
    boolean binomialPositive = true;
    for (int i = 0; i < MAX_SERIES_TERMS; i++) {
      double j = alpha - i;
      double logT0 = logAbsBinomial + i * logQ + j * log1mQ;
      double logT1 = logAbsBinomial + j * logQ + i * log1mQ;
      double logE0 = LOG_HALF + LogMath.logErfc((i - z0) / sqrtTwoZ);
      double logE1 = LOG_HALF + LogMath.logErfc((z0 - j) / sqrtTwoZ);
      double logS0 = logT0 + ((double) i * i - i) / twoZSquared + logE0;
      double logS1 = logT1 + (j * j - j) / twoZSquared + logE1;
      if (binomialPositive || series == FractionalOrderSeries.ABSOLUTE_TERMS) {
        logA0 = LogMath.logAdd(logA0, logS0);
        logA1 = LogMath.logAdd(logA1, logS1);
      } else {
        logA0 = LogMath.logSub(logA0, logS0);
        logA1 = LogMath.logSub(logA1, logS1);
      }
      // Only stop past the order: before that the binomial weights may still be rising (q = 0.5 and a large order
      // start with terms near exp(-70) and peak near i = alpha / 2), and dp_accounting's unconditional stop there
      // returns a negative RDP.
      if (i >= alpha && Math.max(logS0, logS1) < SERIES_STOP_LOG_TERM) {
        return LogMath.logAdd(logA0, logA1);
      }
      // C(alpha, i+1) = C(alpha, i) * (alpha - i) / (i + 1)
      logAbsBinomial += Math.log(Math.abs(alpha - i) / (i + 1));
      if (alpha - i < 0) {
        binomialPositive = !binomialPositive;
      }
    }
    throw new ArithmeticException(
        "RDP series for q=%s, z=%s, order=%s did not converge in %d terms"
            .formatted(q, z, alpha, MAX_SERIES_TERMS));
  }
}
