package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrivacyQueriesTest {

  @Test
  void epsilonJson_printsTheAccountantsExactDoubles() {
    // given
    EpsilonAtOrder expected =
        RdpAccountant.withDefaultOrders().compose(new PoissonGaussianStep(0.01, 1.1, 1000)).epsilon(1e-5);
    // when
    String json = PrivacyQueries.epsilonJson(0.01, 1.1, 1000, 1e-5, null);
    // then: shortest round-trip decimals, so a reader gets the very same doubles
    assertEquals("{\"epsilon\": " + expected.epsilon() + ", \"order\": " + expected.order() + "}", json);
  }

  @Test
  void epsilonJson_noNoise_writesInfinityAsAString() {
    // when
    String json = PrivacyQueries.epsilonJson(0.1, 0.0, 6, 1e-5, "2-4");
    // then: JSON has no infinity literal; a string makes a numeric reader fail instead of misreading it
    assertTrue(json.startsWith("{\"epsilon\": \"Infinity\", \"order\": "), json);
  }

  @Test
  void epsilonJson_nothingSampled_isZero() {
    assertEquals("{\"epsilon\": 0.0, \"order\": 2.0}", PrivacyQueries.epsilonJson(0.0, 1.0, 100, 1e-5, "2,3"));
  }

  @Test
  void noiseJson_meetsTheTargetWithTheSameOrders() {
    // when
    String json = PrivacyQueries.noiseJson(2.0, 0.02, 500, 1e-6, "2-64");
    double z = Double.parseDouble(json.substring("{\"noise_multiplier\": ".length(), json.length() - 1));
    // then
    assertTrue(json.startsWith("{\"noise_multiplier\": "), json);
    double epsilon = RdpAccountant.withOrders(RdpOrders.parse("2-64"))
        .compose(new PoissonGaussianStep(0.02, z, 500)).epsilon(1e-6).epsilon();
    assertTrue(epsilon <= 2.0, "epsilon " + epsilon);
  }

  @Test
  void invalidValues_nameTheOption() {
    assertOption("--sampling-rate", () -> PrivacyQueries.epsilonJson(Double.NaN, 1, 1, 1e-5, null));
    assertOption("--noise-multiplier", () -> PrivacyQueries.epsilonJson(0.1, Double.POSITIVE_INFINITY, 1, 1e-5, null));
    assertOption("--steps", () -> PrivacyQueries.noiseJson(1, 0.1, -1, 1e-5, null));
    assertOption("--delta", () -> PrivacyQueries.noiseJson(1, 0.1, 1, 0, null));
    assertOption("--target-epsilon", () -> PrivacyQueries.noiseJson(Double.NaN, 0.1, 1, 1e-5, null));
    assertOption("--orders", () -> PrivacyQueries.epsilonJson(0.1, 1, 1, 1e-5, "2,,3"));
    assertOption("--orders", () -> PrivacyQueries.epsilonJson(0.1, 1, 1, 1e-5, "0.5"));
  }

  private static void assertOption(String option, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
    assertTrue(error.getMessage().startsWith(option), error.getMessage());
  }
}
