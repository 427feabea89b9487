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

  @Test
  void fullRound_oneBankDropsAtEveryStage_sumOverSurvivorsEqualsPlainFedAvg() {
    // given: 10 banks on the complete graph, threshold 5; one drop per stage
    List<String> banks = RoundHarness.bankIds(10);
    SecAggConfig config = new SecAggConfig(8, banks, new SecAggParameters(9, 5), 32, 1.0, 5000);
    Map<String, ClientInput> inputs = RoundHarness.randomInputs(banks, 32, 5000, 2);
    Map<String, RoundHarness.DropStage> drops = Map.of(
        "bank-01", RoundHarness.DropStage.ADVERTISE_KEYS,
        "bank-03", RoundHarness.DropStage.SHARE_KEYS,
        "bank-05", RoundHarness.DropStage.MASKED_INPUT,
        "bank-07", RoundHarness.DropStage.UNMASK);
    // when
    RoundHarness.Outcome outcome = RoundHarness.run(config, inputs, drops, 2);
    // then: bank-07 dropped after its masked input, so it still contributes
    AggregateResult result = outcome.result().orElseThrow(() -> new AssertionError(outcome.aborted()));
    HashSet<String> contributors = new HashSet<>(banks);
    contributors.removeAll(List.of("bank-01", "bank-03", "bank-05"));
    assertEquals(contributors, new HashSet<>(result.contributors()));
    assertEquals(List.of("bank-05"), result.droppedAfterSharing());
    double[] expected = RoundHarness.plainFedAvg(inputs, contributors, 1.0);
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], result.weightedMean()[j], result.meanErrorBound(), "coordinate " + j);
    }
    // and no bank revealed both kinds of share for the same owner
    for (SecAggMessage m : outcome.coordinatorInbox()) {
      if (m instanceof UnmaskResponse r) {
        HashSet<String> both = new HashSet<>(r.selfMaskSeedShares().keySet());
        both.retainAll(r.maskingKeyShares().keySet());
        assertTrue(both.isEmpty(), r.sender() + " revealed both shares of " + both);
      }
    }
  }
}
