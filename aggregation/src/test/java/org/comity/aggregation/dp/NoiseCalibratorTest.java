package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseCalibratorTest {

  private static double epsilon(double q, double z, long steps, double delta, RdpOrders orders) {
    return RdpAccountant.withOrders(orders).compose(new PoissonGaussianStep(q, z, steps)).epsilon(delta).epsilon();
  }

  @ParameterizedTest(name = "target eps {0}, q={1}, T={2}, delta={3}")
  @CsvSource({
    "8.0, 0.04, 2250, 1e-5",
    "1.0, 0.0025, 6000, 1e-5",
    "0.5, 0.01, 10000, 1e-6",
    "3.0, 1e-4, 1000000, 1e-7",
    "50.0, 0.5, 10, 1e-5",
    "2.0, 1.0, 100, 1e-5",
  })
  void noiseMultiplierFor_roundTrips_onTheSafeSide_withinTolerance(
      double targetEpsilon, double q, long steps, double delta) {
    // given
    RdpOrders orders = RdpOrders.defaults();
    // when
    double z = NoiseCalibrator.noiseMultiplierFor(targetEpsilon, q, steps, delta, orders);
    // then: the target is met exactly, and a hair less noise would miss it
    double achieved = epsilon(q, z, steps, delta, orders);
    assertTrue(achieved <= targetEpsilon, () -> "epsilon " + achieved + " above target at z=" + z);
    double slightlyLess = z * (1 - 2 * NoiseCalibrator.RELATIVE_TOLERANCE);
    assertTrue(epsilon(q, slightlyLess, steps, delta, orders) > targetEpsilon, "not minimal: z=" + z);
    assertEquals(targetEpsilon, achieved, targetEpsilon * 1e-6);
  }

  @Test
  void noiseMultiplierFor_opacusSetting_matchesReferenceBisection() {
    // given Opacus's get_noise_multiplier case (eps 8, delta 1e-5, q 0.04, 90 epochs = 2250 steps); Opacus stops at
    // an epsilon tolerance of 0.01, so its 1.4253 differs. Reference: Python port of dp_accounting 0.4.4 bisected to
    // 1e-11 at the default orders: 1.4158731795032509.
    // when
    double z = NoiseCalibrator.noiseMultiplierFor(8.0, 0.04, 2250, 1e-5, RdpOrders.defaults().values());
    // then
    assertEquals(1.4158731795032509, z, 1.5e-9 * 1.42);
  }

  @Test
  void noiseMultiplierFor_nothingSampledOrNoSteps_needsNoNoise() {
    assertEquals(0.0, NoiseCalibrator.noiseMultiplierFor(1.0, 0.0, 100, 1e-5, RdpOrders.defaults()));
    assertEquals(0.0, NoiseCalibrator.noiseMultiplierFor(1.0, 0.01, 0, 1e-5, RdpOrders.defaults()));
  }

  @Test
  void noiseMultiplierFor_unreachableTarget_throwsNamingTheTarget() {
    // given only orders at or below 1.01, where the conversion gives no finite epsilon short of the KL bound
    RdpOrders orders = RdpOrders.of(1.001, 1.005);
    // when
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> NoiseCalibrator.noiseMultiplierFor(1e-9, 1.0, 1_000_000, 1e-9, orders));
    // then
    assertTrue(error.getMessage().startsWith("targetEpsilon 1.0E-9 is not reachable"), error.getMessage());
  }

  @Test
  void noiseMultiplierFor_targetBelowWhatTheOrdersCanExpress_explainsTheFloor() {
    // given orders up to 1024 cannot certify epsilon below about 0.0125 at delta 1e-9
    // when
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> NoiseCalibrator.noiseMultiplierFor(0.01, 0.001, 1_000_000, 1e-9, RdpOrders.defaults()));
    // then
    assertTrue(error.getMessage().contains("these orders give epsilon >= 0.0125"), error.getMessage());
  }

  @ParameterizedTest(name = "eps={0} q={1} T={2} delta={3} -> \"{4}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "0.0 | 0.01 | 10 | 1e-5 | targetEpsilon must be finite and > 0, got 0.0",
        "-1.0 | 0.01 | 10 | 1e-5 | targetEpsilon must be finite and > 0, got -1.0",
        "NaN | 0.01 | 10 | 1e-5 | targetEpsilon must be finite and > 0, got NaN",
        "Infinity | 0.01 | 10 | 1e-5 | targetEpsilon must be finite and > 0, got Infinity",
        "1.0 | 1.5 | 10 | 1e-5 | samplingRate must be in [0, 1], got 1.5",
        "1.0 | -0.1 | 10 | 1e-5 | samplingRate must be in [0, 1], got -0.1",
        "1.0 | 0.01 | -3 | 1e-5 | steps must be >= 0, got -3",
        "1.0 | 0.01 | 10 | 0.0 | delta must be in (0, 1), got 0.0",
        "1.0 | 0.01 | 10 | 1.0 | delta must be in (0, 1), got 1.0",
      })
  void noiseMultiplierFor_badArguments_throwNamingTheValue(
      double eps, double q, long steps, double delta, String message) {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> NoiseCalibrator.noiseMultiplierFor(eps, q, steps, delta, RdpOrders.defaults()));
    assertEquals(message, error.getMessage());
  }

  @Test
  void noiseMultiplierFor_emptyOrders_throws() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> NoiseCalibrator.noiseMultiplierFor(1.0, 0.01, 10, 1e-5, new double[0]));
    assertEquals("need at least one RDP order, got none", error.getMessage());
  }
}
