package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.training.LocalTrainer;
import org.comity.aggregation.dp.PoissonGaussianStep;
import org.comity.aggregation.dp.RdpAccountant;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.plan.FederationPlan;
import org.comity.plan.SampleLevelPrivacySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DP-SGD at every bank, each under its own epsilon ceiling, through the real coordinator and agents. */
class SamplePrivacyEndToEndTest {
  @TempDir
  Path out;

  @Test
  void bankAtItsOwnCeiling_declinesToTrain_whileTheOthersGoOn() throws Exception {
    // given: 3 banks train with DP-SGD; bank-03's own ceiling allows exactly 2 rounds
    PreparedConsortium prepared = ConsortiumPreparer.prepare(new SimulationConfig(null, 3, 4, 5,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1));
    FederationPlan base = prepared.plan();
    FederationPlan plan = new FederationPlan(base.name(), base.features(), base.label(), base.model(), base.training(),
        new org.comity.plan.RoundsSpec(4, 0, 2, 3, base.rounds().deadline(), base.rounds().evaluationDeadline(),
            base.rounds().joinTimeout(), 1.0, 5),
        base.evaluation(), base.secureAggregation(), base.bankPrivacy(),
        new SampleLevelPrivacySpec(true, 1.0, 1.1, 16));
    PreparedConsortium consortium = new PreparedConsortium(plan, prepared.banks(), prepared.testCsv(), "dp test");
    int rows3 = HoldoutSplit.of(new CsvDataLoader(plan).load(consortium.banks().get(2).csv()).dataset(),
        plan.evaluation().holdoutFraction(), plan.evaluation().holdoutSeed()).training().rows();
    PoissonGaussianStep perRound = new LocalTrainer(plan.training(), plan.evaluation(), plan.samplePrivacy())
        .roundPrivacyCost(rows3);
    double delta = 1.0 / (10.0 * rows3);
    double two = epsilon(perRound, 2, delta);
    double three = epsilon(perRound, 3, delta);
    double ceiling = (two + three) / 2;
    // when
    FederatedRegime regime = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST, bank -> bank.equals("bank-03") ? ceiling : 1000.0);
    FederatedRegime.Outcome outcome = regime.run(consortium, Duration.ofMinutes(3));
    var spent = outcome.coordinator().engine().sampleEpsilonByBank();
    outcome.coordinator().close();
    // then
    List<RoundReport> rounds = outcome.rounds().stream().filter(r -> r.round() > 0).toList();
    assertEquals(4, rounds.size());
    for (RoundReport round : rounds) {
      assertEquals(RoundPhase.COMMITTED, round.outcome(), round.reason());
    }
    assertEquals(List.of("bank-01", "bank-02", "bank-03"), rounds.get(1).contributors());
    String refusal = rounds.get(2).dropouts().get("bank-03");
    assertTrue(refusal != null && refusal.contains("PRIVACY_BUDGET_EXHAUSTED"), rounds.get(2).dropouts().toString());
    assertEquals(List.of("bank-01", "bank-02"), rounds.get(3).contributors());
    assertEquals(two, spent.get("bank-03"), 1e-9, "bank-03 reports what it spent: two rounds");
    assertTrue(spent.get("bank-03") <= ceiling);
    assertTrue(spent.get("bank-01") > spent.get("bank-03"), "the others went on spending");
  }

  private static double epsilon(PoissonGaussianStep perRound, int rounds, double delta) {
    RdpAccountant accountant = RdpAccountant.withDefaultOrders();
    for (int i = 0; i < rounds; i++) {
      accountant = accountant.compose(perRound);
    }
    return accountant.epsilon(delta).epsilon();
  }
}
