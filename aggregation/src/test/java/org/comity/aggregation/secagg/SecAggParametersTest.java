package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

class SecAggParametersTest {

  @ParameterizedTest(name = "n={0} a={1} d={2} {3} -> k={4} t<={5}")
  @CsvFileSource(resources = "/secagg/graph_parameter_finder_cases.csv", commentCharacter = '#')
  void derive_matchesFederatedComputePublishedCases(int clients, double corrupt, double dropout, ThreatModel threat,
      int expectedNeighbours, int expectedThreshold) {
    // when
    SecAggParameters p = SecAggParameters.derive(clients, corrupt, dropout, threat);
    // then: the same assertions as federated-compute's test
    assertEquals(expectedNeighbours, p.neighbours(), "neighbours");
    assertTrue(p.threshold() <= expectedThreshold, "threshold " + p.threshold() + " > " + expectedThreshold);
    assertTrue(p.threshold() >= 2 && p.threshold() <= p.neighbours() + 1);
  }

  @ParameterizedTest(name = "n={0} a={1} d={2} {3} is refused")
  @CsvSource({
      "0, 0.1, 0.1, SEMI_HONEST_SERVER",
      "1000, 0.1, 1.0, SEMI_HONEST_SERVER",
      "1000, 0.1, -1.0, SEMI_HONEST_SERVER",
      "1000, 0.5, 0.5, SEMI_HONEST_SERVER",
      "1000, 0.5, 0.5, SEMI_MALICIOUS_SERVER",
      "1000, 0.33, 0.33, SEMI_MALICIOUS_SERVER",
      "1000, 0.5, 0.5, NO_ADVERSARY",
      "1000, 0.1, 0.0, NO_ADVERSARY",
      "2, 0.0, 0.0, SEMI_HONEST_SERVER",
  })
  void derive_invalidOrInfeasible_refusedWithReason(int clients, double corrupt, double dropout, ThreatModel threat) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecAggParameters.derive(clients, corrupt, dropout, threat));
    assertTrue(!e.getMessage().isBlank());
  }

  @Test
  void derive_smallConsortium_fallsBackToCompleteGraph() {
    SecAggParameters three = SecAggParameters.derive(3, 0.0, 0.34, ThreatModel.SEMI_HONEST_SERVER);
    assertEquals(new SecAggParameters(2, 2), three);
    assertTrue(three.isCompleteGraph(3));
    SecAggParameters five = SecAggParameters.derive(5, 0.2, 0.2, ThreatModel.SEMI_MALICIOUS_SERVER);
    assertTrue(five.isCompleteGraph(5));
    assertEquals(4, five.threshold()); // floor((5 + 1) / 2) + 1
  }

  @Test
  void validateOverride_completeGraphThresholdAboveSurvivors_refused() {
    // 10 banks, 3 expected dropouts: at most 7 share holders survive
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecAggParameters.validateOverride(10, 0.1, 0.3, ThreatModel.SEMI_HONEST_SERVER, 9, 8));
    assertTrue(e.getMessage().contains("cannot be met"), e.getMessage());
  }

  @Test
  void validateOverride_acceptsDerivedParameters() {
    SecAggParameters p = SecAggParameters.derive(100, 0.05, 0.33, ThreatModel.SEMI_HONEST_SERVER);
    assertEquals(p, SecAggParameters.validateOverride(100, 0.05, 0.33, ThreatModel.SEMI_HONEST_SERVER,
        p.neighbours(), p.threshold()));
  }

  @Test
  void validateOverride_thresholdTooLow_refusedAsInsecure() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecAggParameters.validateOverride(100, 0.33, 0.05, ThreatModel.SEMI_HONEST_SERVER, 34, 10));
    assertTrue(e.getMessage().contains("insecure"), e.getMessage());
  }

  @Test
  void validateOverride_thresholdTooHigh_refusedAsIncorrect() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecAggParameters.validateOverride(100, 0.05, 0.33, ThreatModel.SEMI_HONEST_SERVER, 28, 28));
    assertTrue(e.getMessage().contains("correctness"), e.getMessage());
  }

  @Test
  void validateOverride_degreeTooSmall_refusedAsDisconnected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecAggParameters.validateOverride(1000, 0.33, 0.33, ThreatModel.SEMI_HONEST_SERVER, 4, 3));
    assertTrue(e.getMessage().contains("disconnects"), e.getMessage());
  }

  @Test
  void validateOverride_oddSparseDegree_refused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecAggParameters.validateOverride(100, 0.05, 0.05, ThreatModel.SEMI_HONEST_SERVER, 13, 6));
    assertTrue(e.getMessage().contains("even"), e.getMessage());
  }

  @Test
  void validateOverride_completeGraphThresholdBelowCorruptCount_refused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecAggParameters.validateOverride(10, 0.3, 0.1, ThreatModel.SEMI_HONEST_SERVER, 9, 3));
    assertTrue(e.getMessage().contains("insecure"), e.getMessage());
  }

  @Test
  void derive_overAGrid_eitherRefusesWithReasonOrReturnsParametersItsOwnValidatorAccepts() {
    double[] rates = {0.0, 0.05, 0.1, 0.2, 0.3, 0.33, 0.45};
    for (int n = 3; n <= 120; n += (n < 20 ? 1 : 13)) {
      for (double a : rates) {
        for (double d : rates) {
          for (ThreatModel threat : ThreatModel.values()) {
            SecAggParameters p;
            try {
              p = SecAggParameters.derive(n, a, d, threat);
            } catch (IllegalArgumentException refused) {
              assertTrue(!refused.getMessage().isBlank());
              continue;
            }
            assertTrue(p.neighbours() <= n - 1 && p.threshold() >= 2 && p.threshold() <= p.neighbours() + 1, p.toString());
            assertEquals(p, SecAggParameters.validateOverride(n, a, d, threat, p.neighbours(), p.threshold()),
                "n=%d a=%s d=%s %s".formatted(n, a, d, threat));
          }
        }
      }
    }
  }
}
