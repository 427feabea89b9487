package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values asserted by the public libraries' own test suites. Tolerances: 1e-9 relative where the optimum (or the RDP
 * value) is at an integer order, 1e-6 relative at fractional orders.
 */
class RdpAccountantPublishedValuesTest {

  /** TensorFlow Privacy {@code compute_dp_sgd_privacy_lib.compute_dp_sgd_privacy}'s order list. */
  private static final RdpOrders TF_PRIVACY_ORDERS = tfPrivacyOrders();

  /** Opacus {@code RDPAccountant.DEFAULT_ALPHAS}. */
  private static final RdpOrders OPACUS_ORDERS = opacusOrders();

  /**
   * TensorFlow Privacy {@code compute_dp_sgd_privacy_test.py}: (n, batch, noise, epochs, delta) -> (epsilon, order),
   * with q = batch / n and steps = ceil(epochs * n / batch).
   */
  @ParameterizedTest(name = "n={0} batch={1} z={2} epochs={3} delta={4} -> eps {5} at order {6}")
  @CsvSource({
    "60000, 150, 1.3, 15, 1e-5, 0.7242234026109595, 19.0, 1e-9",
    "100000, 100, 1.0, 30, 1e-7, 1.4154988495444845, 13.0, 1e-9",
    "100000000, 1024, 0.1, 10, 1e-7, 5907982.31138195, 1.25, 1e-6",
  })
  void epsilon_matchesTensorFlowPrivacyComputeDpSgdPrivacy(
      long n, long batch, double noise, long epochs, double delta, double expectedEpsilon,
      double expectedOrder, double relativeTolerance) {
    // given
    double q = (double) batch / n;
    long steps = (long) Math.ceil((double) epochs * n / batch);
    RdpAccountant accountant =
        RdpAccountant.withOrders(TF_PRIVACY_ORDERS).compose(new PoissonGaussianStep(q, noise, steps));
    // when
    EpsilonAtOrder result = accountant.epsilon(delta);
    // then
    assertEquals(expectedEpsilon, result.epsilon(), expectedEpsilon * relativeTolerance);
    assertEquals(expectedOrder, result.order());
  }

  @Test
  void tensorFlowPrivacyFirstCase_runsSixThousandSteps() {
    // given the brief's derivation: 15 epochs of 60000 / 150 batches
    long steps = (long) Math.ceil(15.0 * 60000 / 150);
    // then
    assertEquals(6000, steps);
  }

  /** dp_accounting {@code rdp_privacy_accountant_test.test_compute_rdp_poisson_sampled_gaussian} (0.4.4+). */
  @Test
  void rdp_matchesDpAccountingPerOrderValues() {
    // given
    double[] orders = {1.5, 2.5, 5, 50, 100, Double.POSITIVE_INFINITY};
    double[] expected = {6.70579741e-04, 1.08548710e-03, 2.18075656e-03, 2.38460375e-02, 1.67416308e+02,
      Double.POSITIVE_INFINITY};
    // when
    double[] rdp =
        RdpAccountant.withOrders(orders).compose(new PoissonGaussianStep(0.01, 2.5, 50)).rdp();
    // then: the published values have 9 digits, so 1e-8 relative is as close as they can pin
    for (int k = 0; k < orders.length; k++) {
      assertEquals(expected[k], rdp[k], Math.abs(expected[k]) * 1e-8, "order " + orders[k]);
    }
  }

  /**
   * Our own reference run of the same case (a double-precision Python port of dp_accounting 0.4.4 with scipy 1.17),
   * giving more digits than the published test, at 1e-9 for integer orders and 1e-6 for fractional ones.
   */
  @Test
  void rdp_matchesDpAccountingReferenceDigits() {
    double[] orders = {1.5, 2.5, 5, 50, 100};
    double[] expected = {0.000670579740668356, 0.0010854871043885562, 0.0021807565623080077,
      0.023846037538707728, 167.41630754841827};
    double[] tolerance = {1e-6, 1e-6, 1e-9, 1e-9, 1e-9};
    double[] rdp =
        RdpAccountant.withOrders(orders).compose(new PoissonGaussianStep(0.01, 2.5, 50)).rdp();
    for (int k = 0; k < orders.length; k++) {
      assertEquals(expected[k], rdp[k], expected[k] * tolerance[k], "order " + orders[k]);
    }
  }

  /**
   * dp_accounting before 0.4.4, Opacus and TensorFlow Privacy subtract the negative terms of the fractional series;
   * dp_accounting 0.4.4 adds their absolute values. Only fractional orders differ.
   */
  @Test
  void fractionalOrderSeries_absoluteTermsBoundExceedsSignedSum_atOrderOnePointFive() {
    // given
    RdpOrders orders = RdpOrders.of(1.5, 2.5, 5);
    PoissonGaussianStep step = new PoissonGaussianStep(0.01, 2.5, 50);
    // when
    double[] absolute = RdpAccountant.withOrders(orders).compose(step).rdp();
    double[] signed =
        RdpAccountant.withOrders(orders, FractionalOrderSeries.SIGNED_TERMS).compose(step).rdp();
    // then
    assertEquals(6.70580e-4, absolute[0], 1e-9);
    assertEquals(6.50071e-4, signed[0], 1e-9);
    assertEquals(6.500708974468719e-4, signed[0], 6.5e-4 * 1e-6);
    assertEquals(1.0854180568268625e-3, signed[1], 1.08e-3 * 1e-6);
    assertEquals(absolute[2], signed[2], 0.0, "integer orders are computed the same way");
  }

  /**
   * Opacus {@code accountants_test.test_rdp_accountant}: q = 0.04, z = 1.5, 2250 steps, delta 1e-5. Opacus subtracts
   * the negative fractional terms and gets 7.32911117143; the dp_accounting rule gives 7.3293347 (optimum at 3.9).
   */
  @Test
  void epsilon_matchesOpacusWithSignedSeries_andIsSlightlyLargerWithDpAccountingRule() {
    // given
    PoissonGaussianStep step = new PoissonGaussianStep(0.04, 1.5, (long) (90 / 0.04));
    // when
    EpsilonAtOrder opacusRule =
        RdpAccountant.withOrders(OPACUS_ORDERS, FractionalOrderSeries.SIGNED_TERMS)
            .compose(step)
            .epsilon(1e-5);
    EpsilonAtOrder comityRule = RdpAccountant.withOrders(OPACUS_ORDERS).compose(step).epsilon(1e-5);
    // then
    assertEquals(2250, step.steps());
    assertEquals(7.32911117143, opacusRule.epsilon(), 7.33 * 1e-6);
    assertEquals(7.3291111714386545, opacusRule.epsilon(), 7.33 * 1e-6);
    assertEquals(7.3293347, comityRule.epsilon(), 7.33 * 1e-6);
    assertEquals(7.329334702381698, comityRule.epsilon(), 7.33 * 1e-6);
    assertEquals(3.9, comityRule.order());
    assertEquals(3.9, opacusRule.order());
  }

  @Test
  void defaultOrders_giveTheDpAccountingValue_forTheOpacusCase() {
    EpsilonAtOrder result =
        RdpAccountant.withDefaultOrders()
            .compose(new PoissonGaussianStep(0.04, 1.5, 2250))
            .epsilon(1e-5);
    assertEquals(7.329334702381698, result.epsilon(), 7.33 * 1e-6);
    assertEquals(3.9, result.order());
  }

  private static RdpOrders tfPrivacyOrders() {
    double[] orders = new double[10 + 59 + 3];
    double[] head = {1.25, 1.5, 1.75, 2., 2.25, 2.5, 3., 3.5, 4., 4.5};
    System.arraycopy(head, 0, orders, 0, head.length);
    int next = head.length;
    for (int order = 5; order < 64; order++) {
      orders[next++] = order;
    }
    orders[next++] = 128;
    orders[next++] = 256;
    orders[next] = 512;
    return RdpOrders.of(orders);
  }

  private static RdpOrders opacusOrders() {
    double[] orders = new double[99 + 52];
    int next = 0;
    for (int x = 1; x < 100; x++) {
      orders[next++] = 1 + x / 10.0;
    }
    for (int order = 12; order < 64; order++) {
      orders[next++] = order;
    }
    return RdpOrders.of(orders);
  }
}
