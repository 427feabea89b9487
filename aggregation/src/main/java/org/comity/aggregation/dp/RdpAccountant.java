package org.comity.aggregation.dp;

import java.util.Arrays;
import java.util.Objects;

/**
 * Renyi-DP accountant for sequences of Poisson-subsampled Gaussian mechanisms (DP-SGD and DP-FedAvg style training)
 * and of Skellam mechanisms (distributed discrete noise under secure aggregation, {@link SkellamStep}).
 *
 * <p>Each {@link #compose(PoissonGaussianStep)} adds {@code steps * RDP(q, z, alpha)} at every tracked order (RDP
 * composes additively), and {@link #epsilon(double)} turns the total into the smallest (epsilon, delta) guarantee over
 * the orders. Numbers match Google's {@code dp_accounting} {@code RdpAccountant} (0.4.4 and later, which bounds the
 * fractional-order series by the sum of absolute values), TensorFlow Privacy's {@code compute_dp_sgd_privacy} and
 * Opacus at integer orders; the tests pin their published values.
 *
 * <p>Instances are immutable: {@code compose} returns a new accountant and leaves this one unchanged, so a ledger can
 * keep the accountant of every round. The neighbouring relation is add-or-remove-one record.
 *
 * <p><b>Security property.</b> Every approximation in here errs towards a larger epsilon: the fractional series is
 * summed in absolute value, the minimum is over a finite set of orders, and non-convergence or invalid state throws
 * instead of returning a smaller number.
 */
public final class RdpAccountant {

  private final RdpOrders orders;
  private final FractionalOrderSeries series;
  private final double[] rdp;

  private RdpAccountant(RdpOrders orders, FractionalOrderSeries series, double[] rdp) {
    this.orders = orders;
    this.series = series;
    this.rdp = rdp;
  }

  /** An empty accountant (no privacy spent) tracking {@link RdpOrders#defaults()}. */
  public static RdpAccountant withDefaultOrders() {
    return withOrders(RdpOrders.defaults());
  }

  /** An empty accountant tracking the given orders. */
  public static RdpAccountant withOrders(RdpOrders orders) {
    return withOrders(orders, FractionalOrderSeries.ABSOLUTE_TERMS);
  }

  /**
   * An empty accountant tracking the given orders.
   *
   * @throws IllegalArgumentException as {@link RdpOrders#of(double...)}
   */
  public static RdpAccountant withOrders(double... orders) {
    return withOrders(RdpOrders.of(orders));
  }

  /** Test seam: lets a test reproduce libraries that subtract the negative fractional-series terms. */
  static RdpAccountant withOrders(RdpOrders orders, FractionalOrderSeries series) {
    Objects.requireNonNull(orders, "orders");
    Objects.requireNonNull(series, "series");
    return new RdpAccountant(orders, series, new double[orders.size()]);
  }

  /**
   * The accountant after additionally running {@code mechanism}; this accountant is unchanged.
   *
   * @throws ArithmeticException if a fractional-order series fails to converge (never observed in practice)
   */
  public RdpAccountant compose(PoissonGaussianStep mechanism) {
    Objects.requireNonNull(mechanism, "mechanism");
    double[] total = rdp.clone();
    if (mechanism.steps() == 0) {
      return new RdpAccountant(orders, series, total);
    }
    for (int k = 0; k < total.length; k++) {
      double perStep =
          SubsampledGaussianRdp.rdpOfOneStep(
              mechanism.samplingRate(), mechanism.noiseMultiplier(), orders.get(k), series);
      total[k] += mechanism.steps() * perStep;
    }
    return new RdpAccountant(orders, series, total);
  }

  /**
   * The accountant after additionally running {@code mechanism} (distributed Skellam noise, no amplification by
   * sampling); this accountant is unchanged. Orders at {@code +Infinity} get {@code +Infinity}.
   */
  public RdpAccountant compose(SkellamStep mechanism) {
    Objects.requireNonNull(mechanism, "mechanism");
    double[] total = rdp.clone();
    if (mechanism.steps() == 0) {
      return new RdpAccountant(orders, series, total);
    }
    for (int k = 0; k < total.length; k++) {
      total[k] += mechanism.steps() * mechanism.rdpOfOneStep(orders.get(k));
    }
    return new RdpAccountant(orders, series, total);
  }

  /** The orders tracked. */
  public RdpOrders orders() {
    return orders;
  }

  /** A copy of the accumulated RDP, index-aligned with {@link #orders()}; entries may be {@code +Infinity}. */
  public double[] rdp() {
    return rdp.clone();
  }

  /**
   * The smallest epsilon such that everything composed so far is (epsilon, delta)-DP, and the order achieving it.
   *
   * @param delta in (0, 1); typically well below 1 / (number of records)
   * @throws IllegalArgumentException if delta is outside (0, 1) or NaN
   */
  public EpsilonAtOrder epsilon(double delta) {
    return RdpConversion.epsilon(orders, rdp, delta);
  }

  @Override
  public String toString() {
    return "RdpAccountant{orders=" + orders.size() + ", rdp=" + Arrays.toString(rdp) + "}";
  }
}
