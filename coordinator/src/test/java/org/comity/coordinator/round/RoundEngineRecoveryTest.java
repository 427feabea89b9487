package org.comity.coordinator.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.comity.aggregation.metrics.ScoreHistogram;
import org.comity.coordinator.model.ModelRegistry;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;
import org.comity.proto.v1.EvaluateResult;
import org.comity.proto.v1.FeatureMoments;
import org.comity.proto.v1.StatsResult;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.Task;
import org.comity.proto.v1.TrainResult;
import org.comity.wire.PackedFloats;
import org.junit.jupiter.api.Test;

/** The engine's side of crash recovery: a run resumed from its journal ends where an uninterrupted run ends. */
class RoundEngineRecoveryTest {
  private static final String PLAN = """
      label: y
      features: [{name: a}, {name: b}]
      model: {hidden_units: [2]}
      rounds: {count: 3, min_quorum: %d, min_members_to_start: 3, participants_per_round: %s,
               deadline: 60s, evaluation_deadline: 30s, join_timeout: 120s, seed: 11}
      %s
      """;
  private static final String[] BANKS = {"bank-a", "bank-b", "bank-c"};

  private final RoundEngineTest.FakeClock clock = new RoundEngineTest.FakeClock();

  @Test
  void runResumedAfterACrashInTraining_endsWithTheUninterruptedModel_andTheLostRoundIsAskedOfTheSameBanks()
      throws Exception {
    FederationPlan plan = plan("2", "");
    float[] uninterrupted = uninterruptedFinalWeights(plan);
    // given: a journaled run that stops in round 2 after one of its banks answered
    InMemoryRunJournal journal = new InMemoryRunJournal();
    Banks before = new Banks();
    before.connect(BANKS);
    RoundEngine crashed = new RoundEngine("run-r", plan, clock, before, before, new ModelRegistry(), journal);
    before.driveUntil(crashed, () -> crashed.currentRoundStatus() != null
        && crashed.currentRoundStatus().equals("round 2 TRAINING"));
    List<String> chosenBefore = before.openTrainingBanks(2);
    assertEquals(2, chosenBefore.size(), "two of three banks per round");
    Task lostTask = before.lastTask(chosenBefore.get(0));
    crashed.acceptResult(chosenBefore.get(0), before.answer(lostTask));
    // when: a new engine resumes from the journal; the banks come back one by one
    RecoveredRun recovered = journal.findUnfinished(PlanHash.of(plan)).orElseThrow();
    assertEquals(2, recovered.inFlight().round());
    assertEquals(chosenBefore, recovered.inFlight().selected());
    Banks after = new Banks();
    ModelRegistry registry = new ModelRegistry();
    RoundEngine resumed = RoundEngine.resume(recovered, plan, clock, after, after, registry, journal);
    assertEquals(1, registry.latest().orElseThrow().version(), "the committed version comes back");
    after.connect(chosenBefore.get(0));
    resumed.tick();
    assertNull(after.lastTask(chosenBefore.get(0)), "no task before the round's banks are back");
    after.connect(BANKS);
    resumed.tick();
    // then: the same task (same round and attempt) goes to the same banks, and the run ends on the same model
    assertEquals(lostTask.getTaskId(), after.lastTask(chosenBefore.get(0)).getTaskId());
    assertEquals(chosenBefore, after.openTrainingBanks(2));
    after.driveUntil(resumed, () -> resumed.outcome() != null);
    assertTrue(resumed.outcome().completed(), resumed.outcome().reason());
    assertArrayEquals(uninterrupted, registry.latest().orElseThrow().weights());
    assertEquals(3, registry.latest().orElseThrow().version());
    assertEquals(List.of(0, 1, 2, 3), resumed.reports().stream().map(RoundReport::round).toList(),
        "each round reported once");
    assertTrue(journal.transitions("run-r").stream().anyMatch(t -> t.reason().startsWith("resumed after a coordinator restart")));
    assertTrue(journal.findUnfinished(PlanHash.of(plan)).isEmpty(), "a finished run is not resumed again");
  }

  @Test
  void crashBetweenRounds_resumesWithTheNextRound_andTheSameModel() throws Exception {
    FederationPlan plan = plan("2", "");
    float[] uninterrupted = uninterruptedFinalWeights(plan);
    InMemoryRunJournal journal = new InMemoryRunJournal();
    Banks before = new Banks();
    before.connect(BANKS);
    RoundEngine crashed = new RoundEngine("run-b", plan, clock, before, before, new ModelRegistry(), journal);
    // stops while round 2 is still choosing: make the banks absent so it cannot choose
    before.driveUntil(crashed, () -> crashed.reports().size() == 2);
    RecoveredRun recovered = journal.findUnfinished(PlanHash.of(plan)).orElseThrow();
    Banks after = new Banks();
    ModelRegistry registry = new ModelRegistry();
    RoundEngine resumed = RoundEngine.resume(recovered, plan, clock, after, after, registry, journal);
    after.connect(BANKS);
    after.driveUntil(resumed, () -> resumed.outcome() != null);
    assertArrayEquals(uninterrupted, registry.latest().orElseThrow().weights());
  }

  @Test
  void secureRoundInFlight_isFailedWithItsReason_andRetriedUnderItsNumberWithTheSameBanks() throws Exception {
    FederationPlan plan = plan("all", "secure_aggregation: {enabled: true}");
    InMemoryRunJournal journal = new InMemoryRunJournal();
    Banks before = new Banks();
    before.connect(BANKS);
    RoundEngine crashed = new RoundEngine("run-s", plan, clock, before, before, new ModelRegistry(), journal);
    before.driveUntil(crashed, () -> "round 1 TRAINING".equals(crashed.currentRoundStatus()));
    Task first = before.lastTask("bank-a");
    assertTrue(first.getSecagg().hasTrainAndAdvertise());
    // when
    RecoveredRun recovered = journal.findUnfinished(PlanHash.of(plan)).orElseThrow();
    assertTrue(recovered.inFlight().secure());
    Banks after = new Banks();
    RoundEngine resumed = RoundEngine.resume(recovered, plan, clock, after, after, new ModelRegistry(), journal);
    after.connect(BANKS);
    resumed.tick();
    // then
    RoundReport failed = resumed.reports().get(resumed.reports().size() - 1);
    assertEquals(1, failed.round());
    assertEquals(RoundPhase.FAILED, failed.outcome());
    assertTrue(failed.reason().contains("held only by the stopped process"), failed.reason());
    Task retry = after.lastTask("bank-a");
    assertEquals(1, retry.getRound());
    assertTrue(retry.getTaskId().contains("/r1.2/"), retry.getTaskId());
    assertTrue(retry.getSecagg().hasTrainAndAdvertise());
    assertEquals(first.getSecagg().getTrainAndAdvertise().getSeed(), retry.getSecagg().getTrainAndAdvertise().getSeed(),
        "same training task: the bank resends its kept update instead of training again");
  }

  @Test
  void journalFailureAtCommit_stopsTheRun_andTheVersionIsNotAnnounced() throws Exception {
    FederationPlan plan = plan("all", "");
    InMemoryRunJournal journal = new InMemoryRunJournal();
    Banks banks = new Banks();
    banks.connect(BANKS);
    ModelRegistry registry = new ModelRegistry();
    RoundEngine engine = new RoundEngine("run-j", plan, clock, banks, banks, registry, journal);
    banks.driveUntil(engine, () -> "round 1 EVALUATING".equals(engine.currentRoundStatus()));
    journal.failNextRoundFinished = true;
    banks.driveUntil(engine, () -> engine.outcome() != null);
    assertTrue(engine.outcome().reason().contains("the run journal failed (database unreachable)"),
        engine.outcome().reason());
    assertTrue(registry.latest().isEmpty(), "an unrecorded version is not announced");
    // and the run is still resumable from what was recorded
    RecoveredRun recovered = journal.findUnfinished(PlanHash.of(plan)).orElseThrow();
    assertEquals(1, recovered.inFlight().round());
  }

  @Test
  void listenerThatCannotRecord_stopsTheRun_andItStaysResumable() throws Exception {
    FederationPlan plan = plan("all", "");
    InMemoryRunJournal journal = new InMemoryRunJournal();
    Banks banks = new Banks();
    banks.connect(BANKS);
    ModelRegistry registry = new ModelRegistry();
    RoundEngine engine = new RoundEngine("run-l", plan, clock, banks, banks, registry, journal);
    engine.addListener(new RoundListener() {
      @Override
      public void onRoundFinished(RoundReport report) {
        if (report.round() == 1) {
          throw new IllegalStateException("audit store unreachable");
        }
      }
    });
    banks.driveUntil(engine, () -> engine.outcome() != null);
    assertTrue(engine.outcome().reason().contains("failed on the end of round 1: audit store unreachable"),
        engine.outcome().reason());
    assertEquals(1, registry.latest().orElseThrow().version(), "what was committed is kept");
    RecoveredRun recovered = journal.findUnfinished(PlanHash.of(plan)).orElseThrow();
    assertEquals(1, recovered.versions().size());
  }

  @Test
  void bankLevelPrivacy_resumesItsLedger_andChargesTheLostAttempt() throws Exception {
    FederationPlan plan = plan("all", """
        privacy:
          bank_level: {enabled: true, clip_norm: 1.0, noise_multiplier: 1.0, participation_rate: 1.0, delta: 0.01,
                       target_epsilon: 1000}
        """);
    InMemoryRunJournal journal = new InMemoryRunJournal();
    Banks before = new Banks();
    before.connect(BANKS);
    RoundEngine crashed = new RoundEngine("run-p", plan, clock, before, before, new ModelRegistry(), journal);
    before.driveUntil(crashed, () -> "round 2 TRAINING".equals(crashed.currentRoundStatus()));
    double spentWithTwoRounds = crashed.epsilonSpent();
    Banks after = new Banks();
    RoundEngine resumed = RoundEngine.resume(journal.findUnfinished(PlanHash.of(plan)).orElseThrow(), plan, clock,
        after, after, new ModelRegistry(), journal);
    assertEquals(crashed.reports().get(1).epsilonSpent(), journal.findUnfinished(PlanHash.of(plan)).orElseThrow()
        .reports().get(1).epsilonSpent());
    resumed.tick();
    // the ledger comes back with round 1, and the lost attempt of round 2 is charged: two rounds' worth
    assertEquals(spentWithTwoRounds, resumed.epsilonSpent(), 1e-9);
    // and the attempt that runs again is charged once more when it chooses its banks
    after.connect(BANKS);
    resumed.tick();
    assertEquals("round 2 TRAINING", resumed.currentRoundStatus());
    assertTrue(resumed.epsilonSpent() > spentWithTwoRounds, resumed.epsilonSpent() + " vs " + spentWithTwoRounds);
  }

  @Test
  void resumeUnderAnotherPlan_isRefused() throws Exception {
    FederationPlan plan = plan("all", "");
    InMemoryRunJournal journal = new InMemoryRunJournal();
    Banks banks = new Banks();
    new RoundEngine("run-x", plan, clock, banks, banks, new ModelRegistry(), journal);
    RecoveredRun recovered = journal.findUnfinished(PlanHash.of(plan)).orElseThrow();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoundEngine.resume(recovered,
        plan("2", ""), clock, banks, banks, new ModelRegistry(), journal));
    assertTrue(e.getMessage().contains("is bound to plan"), e.getMessage());
  }

  // -----------------------------------------------------------------------------------------------------------

  private float[] uninterruptedFinalWeights(FederationPlan plan) throws Exception {
    Banks banks = new Banks();
    banks.connect(BANKS);
    ModelRegistry registry = new ModelRegistry();
    RoundEngine engine = new RoundEngine("run-u", plan, clock, banks, banks, registry, new InMemoryRunJournal());
    banks.driveUntil(engine, () -> engine.outcome() != null);
    assertNotNull(registry.latest().orElse(null));
    return registry.latest().orElseThrow().weights();
  }

  private static FederationPlan plan(String perRound, String extra) throws Exception {
    int quorum = extra.contains("secure_aggregation") ? 3 : 2;
    return PlanLoader.parse(PLAN.formatted(quorum, perRound, extra), "test");
  }

  /** Banks that answer every task deterministically: a training delta depends only on the task's seed. */
  private static final class Banks extends RoundEngineTest.FakeMembers {
    private final Set<String> answered = new HashSet<>();

    List<String> openTrainingBanks(int round) {
      return connectedMembers().stream().filter(m -> lastTask(m) != null && lastTask(m).getRound() == round
          && (lastTask(m).hasTrain() || lastTask(m).hasSecagg())).toList();
    }

    /** Answers open tasks until {@code stop} holds (checked after every answer). */
    void driveUntil(RoundEngine engine, java.util.function.BooleanSupplier stop) throws Exception {
      engine.tick();
      for (int guard = 0; guard < 1000 && !stop.getAsBoolean(); guard++) {
        boolean any = false;
        for (String member : connectedMembers()) {
          Task task = lastTask(member);
          if (task != null && !task.hasSecagg() && answered.add(task.getTaskId() + "@" + System.identityHashCode(engine))) {
            engine.acceptResult(member, answer(task));
            any = true;
            if (stop.getAsBoolean()) {
              return;
            }
          }
        }
        if (!any) {
          engine.tick();
          if (!stop.getAsBoolean()) {
            throw new AssertionError("nothing left to answer; engine at " + engine.currentRoundStatus());
          }
        }
      }
    }

    SubmitResultRequest answer(Task task) {
      SubmitResultRequest.Builder result = SubmitResultRequest.newBuilder().setTaskId(task.getTaskId())
          .setRound(task.getRound());
      if (task.hasStats()) {
        return result.setStats(StatsResult.newBuilder().setRows(100).setPositives(10)
            .addFeatures(FeatureMoments.newBuilder().setCount(100).setSum(100).setSumOfSquares(200))
            .addFeatures(FeatureMoments.newBuilder().setCount(100).setSum(0).setSumOfSquares(100))).build();
      }
      if (task.hasTrain()) {
        float[] delta = new float[9];
        java.util.SplittableRandom random = new java.util.SplittableRandom(task.getTrain().getSeed());
        for (int i = 0; i < delta.length; i++) {
          delta[i] = (float) random.nextGaussian() * 0.1f;
        }
        return result.setTrain(TrainResult.newBuilder().setDeltaPackedFloat32Le(PackedFloats.pack(delta))
            .setSampleCount(50 + (task.getTrain().getSeed() & 7)).setTrainLoss(0.4).setTrainingMillis(1)).build();
      }
      ScoreHistogram histogram = new ScoreHistogram();
      histogram.add(0.8, true);
      histogram.add(0.3, false);
      EvaluateResult.Builder evaluation = EvaluateResult.newBuilder().setTruePositives(1).setTrueNegatives(1)
          .setLossSum(0.5);
      for (long c : histogram.positiveCounts()) {
        evaluation.addPositiveBins(c);
      }
      for (long c : histogram.negativeCounts()) {
        evaluation.addNegativeBins(c);
      }
      return result.setEvaluate(evaluation).build();
    }
  }
}
