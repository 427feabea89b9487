package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.comity.aggregation.dp.PoissonGaussianStep;
import org.comity.aggregation.dp.RdpAccountant;
import org.comity.coordinator.round.RoundReport;
import org.comity.plan.BankPrivacySpec;
import org.comity.plan.FederationPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bank-level DP-FedAvg through the real coordinator and agents: the run ends exactly at its budget. */
class BankPrivacyEndToEndTest {
  @TempDir
  Path out;

  @Test
  void simulatedRun_stopsExactlyAtItsPrivacyBudget() throws Exception {
    // given: 3 banks, every bank in every round (q = 1), noise 2; a budget between 2 and 3 rounds' epsilon
    PreparedConsortium prepared = ConsortiumPreparer.prepare(new SimulationConfig(null, 3, 10, 6,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1));
    double delta = 1e-3;
    double two = RdpAccountant.withDefaultOrders().compose(new PoissonGaussianStep(1.0, 2.0, 2)).epsilon(delta).epsilon();
    double three = RdpAccountant.withDefaultOrders().compose(new PoissonGaussianStep(1.0, 2.0, 3)).epsilon(delta).epsilon();
    FederationPlan base = prepared.plan();
    FederationPlan plan = new FederationPlan(base.name(), base.features(), base.label(), base.model(), base.training(),
        base.rounds(), base.evaluation(), base.secureAggregation(),
        new BankPrivacySpec(true, 0.5, 2.0, 1.0, (two + three) / 2, delta, false, 0.5, 0.2, 1.0), base.samplePrivacy());
    PreparedConsortium consortium = new PreparedConsortium(plan, prepared.banks(), prepared.testCsv(), "bank dp");
    // when
    FederatedRegime.Outcome outcome = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST).run(consortium, Duration.ofMinutes(3));
    var versions = outcome.coordinator().models().all();
    outcome.coordinator().close();
    // then
    assertTrue(outcome.run().reason().startsWith("privacy budget reached"), outcome.run().reason());
    List<RoundReport> rounds = outcome.rounds().stream().filter(r -> r.round() > 0).toList();
    assertEquals(2, rounds.size(), "two rounds fit the budget, the third would not");
    assertEquals(two, rounds.get(1).epsilonSpent(), 1e-9);
    assertEquals(two, versions.get(versions.size() - 1).epsilonSpent(), 1e-9, "stored with the model version");
  }

  @Test
  void adaptiveClippingUnderSecureAggregation_countsUnclippedUpdatesInsideTheMask_andMovesTheClipNorm() throws Exception {
    // given: 4 banks, secure aggregation, bank-level DP with adaptive clipping from a clip norm far below the updates
    PreparedConsortium prepared = ConsortiumPreparer.prepare(new SimulationConfig(null, 4, 3, 6,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1, true));
    FederationPlan base = prepared.plan();
    double initialClip = 1e-4;
    FederationPlan plan = new FederationPlan(base.name(), base.features(), base.label(), base.model(), base.training(),
        base.rounds(), base.evaluation(), base.secureAggregation(),
        new BankPrivacySpec(true, initialClip, 0.01, 1.0, 1e6, 1e-3, true, 0.5, 0.2, 0.05), base.samplePrivacy());
    PreparedConsortium consortium = new PreparedConsortium(plan, prepared.banks(), prepared.testCsv(), "adaptive");
    // when
    FederatedRegime.Outcome outcome = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST).run(consortium, Duration.ofMinutes(3));
    double clipAfter = outcome.coordinator().engine().bankClipNorm();
    outcome.coordinator().close();
    // then: every round committed through the secure path, and since no update fit under the clip norm (the masked
    // count of unclipped updates was 0) the norm grew geometrically: exp(0.2 * 0.5) per round, three rounds
    List<RoundReport> rounds = outcome.rounds().stream().filter(r -> r.round() > 0).toList();
    assertEquals(3, rounds.size());
    rounds.forEach(r -> assertTrue(r.reason().contains("committed"), r.reason()));
    assertEquals(initialClip * Math.exp(0.3), clipAfter, initialClip * 0.05);
  }
}
