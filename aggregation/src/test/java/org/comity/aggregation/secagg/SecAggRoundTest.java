package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.server.AggregateResult;
import org.junit.jupiter.api.Test;

class SecAggRoundTest {

  @Test
  void fullRound_noDropouts_weightedMeanEqualsPlainFedAvgWithinStatedBound() {
    // given
    List<String> banks = RoundHarness.bankIds(10);
    SecAggParameters p = SecAggParameters.derive(10, 0.1, 0.2, ThreatModel.SEMI_HONEST_SERVER);
    SecAggConfig config = new SecAggConfig(7, banks, p, 64, 2.0, 1_000_000);
    Map<String, ClientInput> inputs = RoundHarness.randomInputs(banks, 64, 1_000_000, 1);
    // when
    RoundHarness.Outcome outcome = RoundHarness.run(config, inputs, Map.of(), 1);
    // then
    AggregateResult result = outcome.result().orElseThrow(() -> new AssertionError(outcome.aborted()));
    double[] expected = RoundHarness.plainFedAvg(inputs, new HashSet<>(banks), 2.0);
    double[] actual = result.weightedMean();
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], actual[j], result.meanErrorBound(), "coordinate " + j);
    }
    long totalWeight = inputs.values().stream().mapToLong(ClientInput::weight).sum();
    assertEquals(totalWeight, result.totalWeight());
    assertEquals(banks, result.contributors());
    assertTrue(result.meanErrorBound() < 1e-4, "bound " + result.meanErrorBound());
  }
}
