package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.comity.aggregation.dp.RdpAccountant;
import org.comity.aggregation.secagg.DistributedNoise;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.SkellamEncoding;
import org.comity.aggregation.secagg.ThreatModel;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundReport;
import org.comity.plan.BankPrivacySpec;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bank-level DP with the noise placed at the banks ({@code noise_placement: distributed}) through the real
 * coordinator and agents under secure aggregation: each bank adds its Skellam share before masking, the coordinator
 * adds none, and the run is charged by the Skellam accountant.
 */
class DistributedNoiseEndToEndTest {
  private static final double CLIP = 0.5;
  private static final double Z = 0.5;
  private static final double DELTA = 1e-3;
  private static final int BANKS = 4;

  @TempDir
  Path out;

  private FederationPlan withBankPrivacy(FederationPlan base, BankPrivacySpec privacy) {
    return new FederationPlan(base.name(), base.features(), base.label(), base.model(), base.training(),
        base.rounds(), base.evaluation(), base.secureAggregation(), privacy, base.samplePrivacy(), base.scoring());
  }

  private FederatedRegime.Outcome run(PreparedConsortium prepared, BankPrivacySpec privacy, String name)
      throws Exception {
    PreparedConsortium consortium = new PreparedConsortium(withBankPrivacy(prepared.plan(), privacy),
        prepared.banks(), prepared.testCsv(), name);
    return new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { }, FederatedRunEndToEndTest.FAST)
        .run(consortium, Duration.ofMinutes(3));
  }

  @Test
  void secureRunWithDistributedNoise_commits_chargesTheSkellamAccountant_andIsNoisedByTheExpectedAmount()
      throws Exception {
    // given: 4 banks, secure aggregation, every bank in every round, 2 rounds
    PreparedConsortium prepared = ConsortiumPreparer.prepare(new SimulationConfig(null, BANKS, 2, 6,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1, true));
    FederationPlan base = prepared.plan();
    BankPrivacySpec distributed = new BankPrivacySpec(true, CLIP, Z, 1.0, 1e6, DELTA, false, 0.5, 0.2, 1.0,
        BankPrivacySpec.NoisePlacement.DISTRIBUTED);
    // and the same run with (practically) no noise: central placement at a negligible multiplier (and a budget that
    // its huge epsilon fits)
    BankPrivacySpec quiet = new BankPrivacySpec(true, CLIP, 1e-4, 1.0, 1e15, DELTA, false, 0.5, 0.2, 1.0,
        BankPrivacySpec.NoisePlacement.CENTRAL);
    // when
    FederatedRegime.Outcome noised = run(prepared, distributed, "distributed");
    List<ModelVersion> noisedVersions = noised.coordinator().models().all();
    noised.coordinator().close();
    FederatedRegime.Outcome reference = run(prepared, quiet, "quiet");
    List<ModelVersion> referenceVersions = reference.coordinator().models().all();
    reference.coordinator().close();
    // then both runs committed both rounds
    List<RoundReport> rounds = noised.rounds().stream().filter(r -> r.round() > 0).toList();
    assertEquals(2, rounds.size(), noised.run().reason() + "; " + noised.rounds());
    rounds.forEach(r -> assertTrue(r.reason().contains("committed"), r.reason()));
    assertEquals(2, reference.rounds().stream().filter(r -> r.round() > 0).count(), reference.run().reason());
    // and the epsilon reported is the Skellam accountant's for 2 rounds, in the report and with the model version
    int parameters = base.modelLayout().parameterCount();
    double expectedEpsilon = RdpAccountant.withDefaultOrders()
        .compose(SkellamEncoding.accountingStep(Z, parameters, 2)).epsilon(DELTA).epsilon();
    assertTrue(expectedEpsilon > 0);
    assertEquals(expectedEpsilon, rounds.get(1).epsilonSpent(), 1e-9);
    assertEquals(expectedEpsilon, noisedVersions.get(noisedVersions.size() - 1).epsilonSpent(), 1e-9);
    // and the first round's model differs from the noiseless one by the banks' noise over the expected participants
    ModelVersion noisedFirst = noisedVersions.stream().filter(v -> v.round() == 1).findFirst().orElseThrow();
    ModelVersion referenceFirst = referenceVersions.stream().filter(v -> v.round() == 1).findFirst().orElseThrow();
    float[] a = noisedFirst.weights();
    float[] b = referenceFirst.weights();
    double squares = 0;
    for (int i = 0; i < a.length; i++) {
      squares += (a[i] - b[i]) * (double) (a[i] - b[i]);
    }
    double observed = Math.sqrt(squares / a.length);
    int threshold = SecAggParameters.derive(BANKS, base.secureAggregation().corruptFraction(),
        base.secureAggregation().dropoutRate(), ThreatModel.SEMI_HONEST_SERVER).threshold();
    SkellamEncoding encoding = new SkellamEncoding(new DistributedNoise(CLIP, Z, base.rounds().minQuorum()), BANKS,
        threshold, parameters, 1);
    double expected = base.rounds().serverLearningRate() * encoding.noiseStddevOfDecodedSum(BANKS) / BANKS;
    // (central noise on top would give about 1.3 times the expected, no bank noise about 0: both fail)
    assertTrue(observed > 0.85 * expected && observed < 1.15 * expected,
        "weight difference std %s, expected about %s".formatted(observed, expected));
  }

  @Test
  void planWithDistributedNoiseButNoSecureAggregation_isRefusedWithTheRule() throws Exception {
    // given a plan file for the simulation's --plan
    Path plan = out.resolve("plan.yaml");
    Files.writeString(plan, """
        plan_version: 1
        label: label
        features: [{name: duration, type: numeric}]
        rounds: {min_quorum: 3, min_members_to_start: 4}
        secure_aggregation: {enabled: false}
        privacy:
          bank_level: {enabled: true, clip_norm: 0.5, noise_multiplier: 1.0, noise_placement: distributed}
        """);
    // when
    PlanException e = assertThrows(PlanException.class, () -> ConsortiumPreparer.prepare(new SimulationConfig(plan,
        BANKS, 2, 6, FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid",
        out, 1)));
    // then
    assertTrue(e.getMessage().contains("privacy.bank_level.noise_placement: value 'distributed' needs secure "
        + "aggregation"), e.getMessage());
  }
}
