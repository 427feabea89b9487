package org.comity.aggregation.dp;

/**
 * Converts RDP at several orders into an (epsilon, delta) guarantee.
 *
 * <p>Uses the conversion of Canonne, Kamath, Steinke 2020 ("The Discrete Gaussian for Differential Privacy",
 * Proposition 12 in v4) which is also Asoodeh et al. 2020 / Balle et al. 2020: {@code epsilon = rdp + log1p(-1/alpha)
 * - log(delta * alpha) / (alpha - 1)}, tighter than Mironov's {@code rdp + log(1/delta)/(alpha - 1)}. As in {@code
 * dp_accounting}, epsilon is 0 when {@code delta >= sqrt(1 - exp(-rdp))} (the KL-divergence bound, valid at every
 * order since RDP grows with the order), and orders at or below 1.01 are not used for the formula because it is
 * numerically unstable there. At order {@code +Infinity} the RDP value is a pure-DP epsilon and is used as is.
 */
final class RdpConversion {

  private static final double SMALLEST_ORDER_FOR_FORMULA = 1.01;

  private RdpConversion() {}

  static EpsilonAtOrder epsilon(RdpOrders orders, double[] rdp, double delta) {
    requireDelta(delta);
    double bestEpsilon = Double.POSITIVE_INFINITY;
    double bestOrder = orders.get(0);
    boolean found = false;
    for (int k = 0; k < orders.size(); k++) {
      double candidate = epsilonAtOneOrder(orders.get(k), rdp[k], delta);
      if (!found || candidate < bestEpsilon) {
        bestEpsilon = candidate;
        bestOrder = orders.get(k);
        found = true;
      }
    }
    return new EpsilonAtOrder(Math.max(0.0, bestEpsilon), bestOrder);
  }

  static void requireDelta(double delta) {
    if (!(delta > 0.0 && delta < 1.0)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got %s".formatted(delta));
    }
  }

  private static double epsilonAtOneOrder(double alpha, double rdp, double delta) {
    if (Double.isNaN(rdp) || rdp < 0.0) {
      throw new IllegalStateException(
          "RDP at order %s must be >= 0, got %s".formatted(alpha, rdp));
    }
    if (rdp == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    if (delta * delta + Math.expm1(-rdp) > 0.0) {
      return 0.0;
    }
    if (alpha == Double.POSITIVE_INFINITY) {
      return rdp;
    }
    if (alpha > SMALLEST_ORDER_FOR_FORMULA) {
      return rdp + Math.log1p(-1.0 / alpha) - Math.log(delta * alpha) / (alpha - 1.0);
    }
    return Double.POSITIVE_INFINITY;
  }
}
