package org.comity.agent.model;

import static org.comity.agent.model.ModelArchitectureTest.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.comity.aggregation.dp.PoissonGaussianStep;
import org.junit.jupiter.api.Test;

class DpSgdSettingsTest {

  @Test
  void derivedValues_followTheExpectedBatchSize() {
    DpSgdSettings settings = new DpSgdSettings(1.5, 1.1, 256);
    assertEquals(256.0 / 100_000, settings.samplingRate(100_000));
    assertEquals(391, settings.stepsPerEpoch(100_000), "round(390.625)");
    assertEquals(1, settings.stepsPerEpoch(256));
    assertEquals(1, settings.stepsPerEpoch(300), "round(1.17)");
    assertEquals(new PoissonGaussianStep(256.0 / 100_000, 1.1, 3 * 391), settings.privacyCost(100_000, 3));
    assertEquals(1.1 * 1.5, settings.noiseStandardDeviation(), 1e-15);
  }

  @Test
  void invalidSettings_areRejectedWithTheValue() {
    assertMessageContains("clipNorm must be finite and > 0 (as a float32), got 0.0",
        () -> new DpSgdSettings(0, 1, 10));
    assertMessageContains("clipNorm must be finite and > 0 (as a float32), got NaN",
        () -> new DpSgdSettings(Double.NaN, 1, 10));
    assertMessageContains("clipNorm must be finite and > 0 (as a float32), got 1.0E-50",
        () -> new DpSgdSettings(1e-50, 1, 10));
    assertMessageContains("noiseMultiplier must be finite and >= 0", () -> new DpSgdSettings(1, -0.5, 10));
    assertMessageContains("got -0.5", () -> new DpSgdSettings(1, -0.5, 10));
    assertMessageContains("got Infinity", () -> new DpSgdSettings(1, Double.POSITIVE_INFINITY, 10));
    assertMessageContains("expectedBatchSize must be >= 1, got 0", () -> new DpSgdSettings(1, 1, 0));
    assertMessageContains("expectedBatchSize 10 must be <= rows 9", () -> new DpSgdSettings(1, 1, 10).samplingRate(9));
    assertMessageContains("epochs must be >= 0, got -1", () -> new DpSgdSettings(1, 1, 10).privacyCost(100, -1));
  }
}
