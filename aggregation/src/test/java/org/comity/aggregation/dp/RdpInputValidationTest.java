package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RdpInputValidationTest {

  @ParameterizedTest(name = "q={0} z={1} T={2} -> \"{3}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "1.0000001 | 1.0 | 1 | samplingRate must be in [0, 1], got 1.0000001",
        "-0.5 | 1.0 | 1 | samplingRate must be in [0, 1], got -0.5",
        "NaN | 1.0 | 1 | samplingRate must be in [0, 1], got NaN",
        "0.1 | -1.3 | 1 | noiseMultiplier must be finite and >= 0, got -1.3",
        "0.1 | NaN | 1 | noiseMultiplier must be finite and >= 0, got NaN",
        "0.1 | Infinity | 1 | noiseMultiplier must be finite and >= 0, got Infinity",
        "0.1 | 1.0 | -1 | steps must be >= 0, got -1",
      })
  void poissonGaussianStep_outOfRange_throwsNamingTheValueAndRange(
      double q, double z, long steps, String message) {
    var error = assertThrows(IllegalArgumentException.class, () -> new PoissonGaussianStep(q, z, steps));
    assertEquals(message, error.getMessage());
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(doubles = {0.0, -1e-5, 1.0, 2.0, Double.NaN})
  void epsilon_deltaOutsideOpenUnitInterval_throwsNamingDelta(double delta) {
    RdpAccountant accountant = RdpAccountant.withDefaultOrders().compose(new PoissonGaussianStep(0.01, 1, 10));
    var error = assertThrows(IllegalArgumentException.class, () -> accountant.epsilon(delta));
    assertEquals("delta must be in (0, 1), got " + delta, error.getMessage());
  }

  @Test
  void withOrders_empty_throws() {
    var error = assertThrows(IllegalArgumentException.class, () -> RdpAccountant.withOrders(new double[0]));
    assertEquals("need at least one RDP order, got none", error.getMessage());
  }

  @ParameterizedTest(name = "order {0}")
  @ValueSource(doubles = {1.0, 0.5, -2, Double.NaN, Double.NEGATIVE_INFINITY})
  void withOrders_orderNotAboveOne_throwsNamingTheOrder(double order) {
    var error = assertThrows(IllegalArgumentException.class, () -> RdpAccountant.withOrders(2, order));
    assertEquals("RDP order must be > 1 (or +Infinity), got " + order, error.getMessage());
  }

  @Test
  void withOrders_hugeFiniteOrder_throws() {
    var error = assertThrows(IllegalArgumentException.class, () -> RdpAccountant.withOrders(2e6));
    assertEquals("finite RDP order must be <= 1000000, got 2000000.0", error.getMessage());
  }

  @Test
  void withOrders_duplicate_throwsNamingIt() {
    var error = assertThrows(IllegalArgumentException.class, () -> RdpAccountant.withOrders(2, 3, 2));
    assertEquals("RDP order 2.0 appears more than once", error.getMessage());
  }

  @Test
  void epsilonAtOrder_rejectsNegativeEpsilonAndOrderAtMostOne() {
    assertEquals(
        "epsilon must be >= 0, got -0.1",
        assertThrows(IllegalArgumentException.class, () -> new EpsilonAtOrder(-0.1, 2)).getMessage());
    assertEquals(
        "order must be > 1, got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new EpsilonAtOrder(0.1, 1)).getMessage());
  }
}
