package org.comity.coordinator.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.comity.aggregation.metrics.ScoreHistogram;
import org.comity.coordinator.model.ModelRegistry;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanException;
import org.comity.plan.PlanLoader;
import org.comity.proto.v1.EvaluateResult;
import org.comity.proto.v1.FeatureMoments;
import org.comity.proto.v1.StatsResult;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.Task;
import org.comity.proto.v1.TaskDeclined;
import org.comity.proto.v1.TrainResult;
import org.comity.wire.PackedFloats;
import org.junit.jupiter.api.Test;

class RoundEngineTest {
  private static final String PLAN = """
      label: y
      features: [{name: a}, {name: b}]
      model: {hidden_units: [2]}
      rounds: {count: %d, min_quorum: %d, min_members_to_start: %d, participants_per_round: %s,
               deadline: 60s, evaluation_deadline: 30s, join_timeout: 120s, seed: 5}
      """;

  private final FakeClock clock = new FakeClock();
  private final FakeMembers members = new FakeMembers();
  private final ModelRegistry registry = new ModelRegistry();
  private final List<RoundTransition> transitions = new ArrayList<>();

  private RoundEngine engine(int rounds, int quorum, int start, String perRound) throws PlanException {
    FederationPlan plan = PlanLoader.parse(PLAN.formatted(rounds, quorum, start, perRound), "test");
    RoundEngine engine = new RoundEngine("run-1", plan, clock, members, members, registry);
    engine.addListener(new RoundListener() {
      @Override
      public void onTransition(RoundTransition transition) {
        transitions.add(transition);
      }
    });
    return engine;
  }

  @Test
  void roundCommits_withTheSampleWeightedFedAvgOfTheUpdates() throws Exception {
    // given
    RoundEngine engine = engine(1, 2, 2, "all");
    members.connect("bank-a", "bank-b");
    engine.tick();
    answerStatistics(engine);
    float[] global = members.lastTask("bank-a").getTrain().getGlobalModel().getPackedFloat32Le().isEmpty()
        ? null : PackedFloats.unpackFinite(members.lastTask("bank-a").getTrain().getGlobalModel().getPackedFloat32Le(), 9, "g");
    float[] deltaA = filled(9, 1f);
    float[] deltaB = filled(9, 4f);
    // when
    engine.acceptResult("bank-a", trainResult(members.lastTask("bank-a"), deltaA, 100));
    engine.acceptResult("bank-b", trainResult(members.lastTask("bank-b"), deltaB, 200));
    engine.acceptResult("bank-a", evalResult(members.lastTask("bank-a"), 0.9, true, 0.1, false));
    engine.acceptResult("bank-b", evalResult(members.lastTask("bank-b"), 0.2, true, 0.8, false));
    // then: (100*1 + 200*4) / 300 = 3 added to every weight
    ModelVersion committed = registry.latest().orElseThrow();
    assertEquals(1, committed.version());
    float[] expected = new float[9];
    for (int i = 0; i < 9; i++) {
      expected[i] = global[i] + 3f;
    }
    assertArrayEquals(expected, committed.weights(), 1e-6f);
    // and the validation is the union of the banks' holdouts: pairs 0.9>0.1, 0.9>0.8, 0.2>0.1, 0.2<0.8 -> 3/4
    assertEquals(0.75, committed.validation().rocAuc(), 1e-12);
    assertEquals(List.of("bank-a", "bank-b"), committed.participants());
    assertNotNull(engine.outcome());
    assertTrue(engine.outcome().completed());
  }

  @Test
  void currentStageDeadline_isTheOpenStagesDeadline_andEmptyBetweenRuns() throws Exception {
    RoundEngine engine = engine(1, 1, 1, "all");
    members.connect("bank-a");
    engine.tick();
    assertEquals(java.util.Optional.of(clock.instant().plus(Duration.ofSeconds(60))), engine.currentStageDeadline(),
        "statistics: the plan's 60 s deadline");
    answerStatistics(engine);
    assertEquals(java.util.Optional.of(clock.instant().plus(Duration.ofSeconds(60))), engine.currentStageDeadline(),
        "training: the plan's 60 s deadline");
    engine.acceptResult("bank-a", trainResult(members.lastTask("bank-a"), filled(9, 0.5f), 10));
    assertEquals(java.util.Optional.of(clock.instant().plus(Duration.ofSeconds(30))), engine.currentStageDeadline(),
        "evaluating: the plan's 30 s evaluation deadline");
    engine.acceptResult("bank-a", evalResult(members.lastTask("bank-a"), 0.9, true, 0.1, false));
    assertTrue(engine.currentStageDeadline().isEmpty(), "no stage open once the run finished");
  }

  @Test
  void everyTransition_isReportedWithAReason_inStateMachineOrder() throws Exception {
    RoundEngine engine = engine(1, 1, 1, "all");
    members.connect("bank-a");
    engine.tick();
    answerStatistics(engine);
    engine.acceptResult("bank-a", trainResult(members.lastTask("bank-a"), filled(9, 0.5f), 10));
    engine.acceptResult("bank-a", evalResult(members.lastTask("bank-a"), 0.9, true, 0.1, false));
    List<String> trainingRound = transitions.stream().filter(t -> t.round() == 1).map(t -> t.to().name()).toList();
    assertEquals(List.of("SELECTING", "TRAINING", "AGGREGATING", "EVALUATING", "COMMITTED"), trainingRound);
    assertTrue(transitions.stream().allMatch(t -> t.reason() != null && !t.reason().isBlank()));
    assertEquals(List.of("SELECTING", "COLLECTING_STATISTICS", "COMMITTED"),
        transitions.stream().filter(t -> t.round() == 0).map(t -> t.to().name()).toList());
  }

  @Test
  void belowQuorumAtTheDeadline_roundFailsWithReason_andNextRoundStartsFromLastVersion() throws Exception {
    // given
    RoundEngine engine = engine(2, 2, 3, "all");
    members.connect("bank-a", "bank-b", "bank-c");
    engine.tick();
    answerStatistics(engine);
    engine.acceptResult("bank-a", trainResult(members.lastTask("bank-a"), filled(9, 1f), 10));
    // when: the deadline passes with one update of the quorum of two
    clock.advance(Duration.ofSeconds(61));
    engine.tick();
    // then
    RoundReport failed = engine.reports().get(1);
    assertEquals(RoundPhase.FAILED, failed.outcome());
    assertTrue(failed.reason().contains("1 update(s) by the deadline, quorum is 2"), failed.reason());
    assertEquals("missed the deadline", failed.dropouts().get("bank-b"));
    assertTrue(registry.all().isEmpty());
    // and round 2 trains from version 0 again
    Task next = members.lastTask("bank-c");
    assertEquals(2, next.getRound());
    assertEquals(0, next.getTrain().getGlobalModel().getVersion());
  }

  @Test
  void disconnectedMember_dropsOut_andTheRoundClosesWithoutWaitingForTheDeadline() throws Exception {
    RoundEngine engine = engine(1, 2, 3, "all");
    members.connect("bank-a", "bank-b", "bank-c");
    engine.tick();
    answerStatistics(engine);
    engine.acceptResult("bank-a", trainResult(members.lastTask("bank-a"), filled(9, 1f), 10));
    engine.acceptResult("bank-b", trainResult(members.lastTask("bank-b"), filled(9, 1f), 10));
    // when: bank-c's process dies mid-training
    members.disconnect("bank-c");
    engine.tick();
    // then: the round moved on to evaluation at once, with no clock advance
    assertEquals("round 1 EVALUATING", engine.currentRoundStatus());
    engine.acceptResult("bank-a", evalResult(members.lastTask("bank-a"), 0.9, true, 0.1, false));
    engine.acceptResult("bank-b", evalResult(members.lastTask("bank-b"), 0.9, true, 0.1, false));
    RoundReport report = engine.reports().get(1);
    assertEquals(RoundPhase.COMMITTED, report.outcome());
    assertEquals("disconnected", report.dropouts().get("bank-c"));
  }

  @Test
  void declinedTask_countsAsADropoutWithTheBanksReason() throws Exception {
    RoundEngine engine = engine(1, 1, 2, "all");
    members.connect("bank-a", "bank-b");
    engine.tick();
    answerStatistics(engine);
    Task task = members.lastTask("bank-b");
    engine.acceptResult("bank-b", SubmitResultRequest.newBuilder().setTaskId(task.getTaskId()).setRound(task.getRound())
        .setDeclined(TaskDeclined.newBuilder().setReason(TaskDeclined.Reason.PRIVACY_BUDGET_EXHAUSTED)).build());
    engine.acceptResult("bank-a", trainResult(members.lastTask("bank-a"), filled(9, 1f), 10));
    assertEquals("round 1 EVALUATING", engine.currentRoundStatus());
  }

  @Test
  void malformedAndUnexpectedResults_areRejected_andChangeNothing() throws Exception {
    RoundEngine engine = engine(1, 2, 2, "all");
    members.connect("bank-a", "bank-b");
    engine.tick();
    answerStatistics(engine);
    Task task = members.lastTask("bank-a");
    // wrong length
    ResultRejectedException wrongLength = assertThrows(ResultRejectedException.class,
        () -> engine.acceptResult("bank-a", trainResult(task, filled(8, 1f), 10)));
    assertEquals(ResultRejectedException.Kind.INVALID_ARGUMENT, wrongLength.kind());
    assertTrue(wrongLength.getMessage().contains("update has 32 bytes, expected 36"), wrongLength.getMessage());
    // NaN
    float[] nan = filled(9, 1f);
    nan[3] = Float.NaN;
    assertThrows(ResultRejectedException.class, () -> engine.acceptResult("bank-a", trainResult(task, nan, 10)));
    // zero samples
    assertThrows(ResultRejectedException.class, () -> engine.acceptResult("bank-a", trainResult(task, filled(9, 1f), 0)));
    // someone else's task
    ResultRejectedException notYours = assertThrows(ResultRejectedException.class,
        () -> engine.acceptResult("bank-b", trainResult(task, filled(9, 1f), 10)));
    assertEquals(ResultRejectedException.Kind.FAILED_PRECONDITION, notYours.kind());
    // a statistics result in the training stage
    assertThrows(ResultRejectedException.class, () -> engine.acceptResult("bank-a",
        SubmitResultRequest.newBuilder().setTaskId(task.getTaskId()).setRound(1).setStats(stats(10, 1)).build()));
    // then: the round still waits for both banks, and a correct update is still accepted once
    assertEquals("round 1 TRAINING", engine.currentRoundStatus());
    engine.acceptResult("bank-a", trainResult(task, filled(9, 1f), 10));
    ResultRejectedException duplicate = assertThrows(ResultRejectedException.class,
        () -> engine.acceptResult("bank-a", trainResult(task, filled(9, 1f), 10)));
    assertEquals(ResultRejectedException.Kind.FAILED_PRECONDITION, duplicate.kind());
    assertEquals(7L, engine.rejections().values().stream().mapToLong(Long::longValue).sum() + 1);
  }

  @Test
  void lateResult_afterTheRoundClosed_isRejected() throws Exception {
    RoundEngine engine = engine(2, 1, 2, "all");
    members.connect("bank-a", "bank-b");
    engine.tick();
    answerStatistics(engine);
    Task slow = members.lastTask("bank-b");
    engine.acceptResult("bank-a", trainResult(members.lastTask("bank-a"), filled(9, 1f), 10));
    clock.advance(Duration.ofSeconds(61));
    engine.tick();
    ResultRejectedException late = assertThrows(ResultRejectedException.class,
        () -> engine.acceptResult("bank-b", trainResult(slow, filled(9, 1f), 10)));
    assertEquals(ResultRejectedException.Kind.FAILED_PRECONDITION, late.kind());
  }

  @Test
  void participants_areSampledWithTheSeededRng_fromTheConnectedMembers() throws Exception {
    // given: 2 of 6 per round
    RoundEngine engine = engine(3, 1, 6, "2");
    members.connect("b1", "b2", "b3", "b4", "b5", "b6");
    engine.tick();
    answerStatistics(engine);
    List<TreeSet<String>> selections = new ArrayList<>();
    for (int round = 1; round <= 3; round++) {
      TreeSet<String> chosen = new TreeSet<>();
      for (String member : List.of("b1", "b2", "b3", "b4", "b5", "b6")) {
        Task task = members.lastTask(member);
        if (task != null && task.getRound() == round && task.hasTrain()) {
          chosen.add(member);
          engine.acceptResult(member, trainResult(task, filled(9, 0f), 1));
        }
      }
      assertEquals(2, chosen.size());
      selections.add(chosen);
      clock.advance(Duration.ofSeconds(31));
      engine.tick();
    }
    // then: the same plan seed gives the same selections in a second engine
    FakeMembers otherMembers = new FakeMembers();
    otherMembers.connect("b1", "b2", "b3", "b4", "b5", "b6");
    RoundEngine again = new RoundEngine("run-2", PlanLoader.parse(PLAN.formatted(3, 1, 6, "2"), "t"), clock,
        otherMembers, otherMembers, new ModelRegistry());
    again.tick();
    for (String member : List.of("b1", "b2", "b3", "b4", "b5", "b6")) {
      Task task = otherMembers.lastTask(member);
      again.acceptResult(member, SubmitResultRequest.newBuilder().setTaskId(task.getTaskId()).setRound(0)
          .setStats(stats(10, 1)).build());
    }
    TreeSet<String> firstAgain = new TreeSet<>();
    for (String member : List.of("b1", "b2", "b3", "b4", "b5", "b6")) {
      Task task = otherMembers.lastTask(member);
      if (task.getRound() == 1 && task.hasTrain()) {
        firstAgain.add(member);
      }
    }
    assertEquals(selections.get(0), firstAgain);
    assertTrue(!selections.get(0).equals(selections.get(1)) || !selections.get(1).equals(selections.get(2)),
        "different rounds sample differently");
  }

  @Test
  void tooFewMembersByTheJoinTimeout_failsTheStatisticsRound_andTheRunStopsAfterThreeAttempts() throws Exception {
    RoundEngine engine = engine(1, 2, 3, "all");
    members.connect("bank-a");
    for (int attempt = 0; attempt < 3; attempt++) {
      engine.tick();
      clock.advance(Duration.ofSeconds(121));
      engine.tick();
    }
    engine.tick();
    assertNotNull(engine.outcome());
    assertTrue(!engine.outcome().completed());
    assertTrue(engine.reports().get(0).reason().contains("only 1 member(s) connected by the join timeout, need 3"),
        engine.reports().get(0).reason());
    assertEquals(List.of("run finished"), members.finished);
  }

  @Test
  void statistics_fixTheGlobalNormalisation() throws Exception {
    RoundEngine engine = engine(1, 2, 2, "all");
    members.connect("bank-a", "bank-b");
    engine.tick();
    assertNull(engine.normalization());
    Task a = members.lastTask("bank-a");
    Task b = members.lastTask("bank-b");
    // bank-a column a: {1, 3}; bank-b: {5, 7, 9} -> mean 5, variance 8
    engine.acceptResult("bank-a", SubmitResultRequest.newBuilder().setTaskId(a.getTaskId()).setRound(0)
        .setStats(StatsResult.newBuilder().setRows(2).setPositives(1)
            .addFeatures(FeatureMoments.newBuilder().setCount(2).setSum(4).setSumOfSquares(10))
            .addFeatures(FeatureMoments.newBuilder().setCount(2).setSum(0).setSumOfSquares(2))).build());
    engine.acceptResult("bank-b", SubmitResultRequest.newBuilder().setTaskId(b.getTaskId()).setRound(0)
        .setStats(StatsResult.newBuilder().setRows(3).setPositives(1)
            .addFeatures(FeatureMoments.newBuilder().setCount(3).setSum(21).setSumOfSquares(155))
            .addFeatures(FeatureMoments.newBuilder().setCount(3).setSum(0).setSumOfSquares(3))).build());
    assertEquals(5.0, engine.normalization().mean()[0], 1e-12);
    assertEquals(Math.sqrt(8), engine.normalization().std()[0], 1e-12);
    assertEquals(0.4, engine.normalization().positiveRate(), 1e-12);
    // and the training tasks carry it
    assertEquals(5.0, members.lastTask("bank-a").getTrain().getNormalization().getMean(0), 1e-12);
  }

  @Test
  void selectionSeeds_differPerMember() throws Exception {
    RoundEngine engine = engine(1, 2, 2, "all");
    members.connect("bank-a", "bank-b");
    engine.tick();
    answerStatistics(engine);
    assertNotEquals(members.lastTask("bank-a").getTrain().getSeed(), members.lastTask("bank-b").getTrain().getSeed());
  }

  @Test
  void secureRound_refusesAPlaintextUpdateUnread_andFailsBelowThresholdWithTheProtocolsReason() throws Exception {
    // given: secure aggregation on, 4 banks
    FederationPlan plan = PlanLoader.parse(PLAN.formatted(1, 3, 4, "all")
        + "secure_aggregation: {enabled: true, stage_deadline: 10s}\n", "test");
    RoundEngine engine = new RoundEngine("run-s", plan, clock, members, members, registry);
    engine.addListener(new RoundListener() {
      @Override
      public void onTransition(RoundTransition transition) {
        transitions.add(transition);
      }
    });
    members.connect("b1", "b2", "b3", "b4");
    engine.tick();
    answerStatistics(engine);
    Task task = members.lastTask("b1");
    assertTrue(task.hasSecagg() && task.getSecagg().hasTrainAndAdvertise(), task.toString());
    assertEquals(4, task.getSecagg().getSetup().getMembersCount());
    // when: a bank sends its update in the clear
    ResultRejectedException plaintext = assertThrows(ResultRejectedException.class,
        () -> engine.acceptResult("b1", trainResult(task, filled(9, 1f), 10)));
    // then
    assertEquals(ResultRejectedException.Kind.INVALID_ARGUMENT, plaintext.kind());
    assertTrue(plaintext.getMessage().contains("refused unread"), plaintext.getMessage());
    // when: no bank advertises keys by the deadline
    clock.advance(Duration.ofSeconds(61));
    engine.tick();
    // then
    RoundReport report = engine.reports().get(1);
    assertEquals(RoundPhase.FAILED, report.outcome());
    assertTrue(report.reason().contains("secure aggregation aborted in stage ADVERTISE_KEYS"), report.reason());
    assertTrue(registry.all().isEmpty());
  }

  @Test
  void bankLevelPrivacy_runStopsExactlyAtItsBudget_andEpsilonIsReportedEveryRound() throws Exception {
    // given: q = 1, z = 1, and a budget between the epsilon of 3 and of 4 rounds
    double delta = 1e-5;
    double three = org.comity.aggregation.dp.RdpAccountant.withDefaultOrders()
        .compose(new org.comity.aggregation.dp.PoissonGaussianStep(1.0, 1.0, 3)).epsilon(delta).epsilon();
    double four = org.comity.aggregation.dp.RdpAccountant.withDefaultOrders()
        .compose(new org.comity.aggregation.dp.PoissonGaussianStep(1.0, 1.0, 4)).epsilon(delta).epsilon();
    FederationPlan plan = PlanLoader.parse(PLAN.formatted(10, 1, 2, "all") + """
        privacy:
          bank_level: {enabled: true, clip_norm: 1.0, noise_multiplier: 1.0, participation_rate: 1.0,
                       target_epsilon: %s, delta: %s}
        """.formatted((three + four) / 2, delta), "test");
    RoundEngine engine = new RoundEngine("run-dp", plan, clock, members, members, registry);
    members.connect("bank-a", "bank-b");
    engine.tick();
    answerStatistics(engine);
    // when: every round gets its updates
    for (int round = 1; round <= 10 && engine.outcome() == null; round++) {
      for (String member : List.of("bank-a", "bank-b")) {
        Task task = members.lastTask(member);
        if (task.getRound() == round && task.hasTrain()) {
          assertEquals(1.0, task.getTrain().getClipNorm(), "banks are told to clip");
          engine.acceptResult(member, trainResult(task, filled(9, 0.1f), 10));
        }
      }
      for (String member : List.of("bank-a", "bank-b")) {
        Task task = members.lastTask(member);
        if (task.getRound() == round && task.hasEvaluate()) {
          engine.acceptResult(member, evalResult(task, 0.9, true, 0.1, false));
        }
      }
    }
    // then
    assertNotNull(engine.outcome());
    assertTrue(engine.outcome().reason().startsWith("privacy budget reached"), engine.outcome().reason());
    assertEquals(3, registry.all().size());
    List<RoundReport> training = engine.reports().stream().filter(r -> r.round() > 0).toList();
    assertEquals(three, training.get(2).epsilonSpent(), 1e-9);
    assertTrue(training.get(0).epsilonSpent() < training.get(1).epsilonSpent());
  }

  @Test
  void bankLevelPrivacy_clipsEachUpdateAtTheCoordinator() throws Exception {
    FederationPlan plan = PlanLoader.parse(PLAN.formatted(1, 1, 1, "all") + """
        privacy:
          bank_level: {enabled: true, clip_norm: 1.0, noise_multiplier: 0.001, participation_rate: 1.0,
                       target_epsilon: 1000000, delta: 0.1}
        """, "test");
    RoundEngine engine = new RoundEngine("run-dp", plan, clock, members, members, registry);
    members.connect("bank-a");
    engine.tick();
    answerStatistics(engine);
    Task task = members.lastTask("bank-a");
    float[] global = PackedFloats.unpackFinite(task.getTrain().getGlobalModel().getPackedFloat32Le(), 9, "g");
    // when: a bank sends an update of L2 norm 300
    engine.acceptResult("bank-a", trainResult(task, filled(9, 100f), 10));
    engine.acceptResult("bank-a", evalResult(members.lastTask("bank-a"), 0.9, true, 0.1, false));
    // then: the model moved by at most the clip norm (plus negligible noise)
    float[] next = registry.latest().orElseThrow().weights();
    double moved = 0;
    for (int i = 0; i < 9; i++) {
      moved += (next[i] - global[i]) * (next[i] - global[i]);
    }
    assertEquals(1.0, Math.sqrt(moved), 2e-2);
  }

  @Test
  void adaptiveClipping_movesTheClipNormTowardsTheTargetQuantile() throws Exception {
    // given: every update is far above the clip norm, target quantile 0.5, learning rate 0.2, negligible noise
    FederationPlan plan = PlanLoader.parse(PLAN.formatted(2, 2, 2, "all") + """
        privacy:
          bank_level: {enabled: true, clip_norm: 1.0, noise_multiplier: 0.01, participation_rate: 1.0,
                       target_epsilon: 1000000, delta: 0.1, adaptive_clipping: true,
                       target_unclipped_quantile: 0.5, clip_learning_rate: 0.2, clipped_count_stddev: 0.006}
        """, "test");
    RoundEngine engine = new RoundEngine("run-ac", plan, clock, members, members, registry);
    members.connect("bank-a", "bank-b");
    engine.tick();
    answerStatistics(engine);
    // when: round 1 with two updates of norm 30
    for (String member : List.of("bank-a", "bank-b")) {
      Task task = members.lastTask(member);
      assertEquals(1.0, task.getTrain().getClipNorm(), 1e-12);
      engine.acceptResult(member, trainResult(task, filled(9, 10f), 10));
    }
    for (String member : List.of("bank-a", "bank-b")) {
      engine.acceptResult(member, evalResult(members.lastTask(member), 0.9, true, 0.1, false));
    }
    // then: no update fit, so C grows geometrically: C * exp(-0.2 * (0 - 0.5)) = exp(0.1)
    Task next = members.lastTask("bank-a");
    assertEquals(2, next.getRound());
    assertEquals(Math.exp(0.1), next.getTrain().getClipNorm(), 2e-3);
  }

  @Test
  void privacySettings_areValidatedWhenThePlanLoads() {
    PlanException e = assertThrows(PlanException.class, () -> PlanLoader.parse(PLAN.formatted(1, 1, 4, "all") + """
        privacy:
          bank_level: {enabled: true, noise_multiplier: -1, delta: 0.5}
        """, "test"));
    assertTrue(e.getMessage().contains("privacy.bank_level.clip_norm: is required"), e.getMessage());
    assertTrue(e.getMessage().contains("privacy.bank_level.noise_multiplier: value -1 is out of range"), e.getMessage());
    assertTrue(e.getMessage().contains("privacy.bank_level.delta: value 0.5 is not below 1 / banks = 1/4"), e.getMessage());
  }

  // -----------------------------------------------------------------------------------------------------------

  private void answerStatistics(RoundEngine engine) throws ResultRejectedException {
    for (String member : members.connectedMembers()) {
      Task task = members.lastTask(member);
      assertTrue(task.hasStats(), "statistics first");
      engine.acceptResult(member, SubmitResultRequest.newBuilder().setTaskId(task.getTaskId()).setRound(0)
          .setStats(stats(100, 10)).build());
    }
  }

  private static StatsResult stats(long rows, long positives) {
    return StatsResult.newBuilder().setRows(rows).setPositives(positives)
        .addFeatures(FeatureMoments.newBuilder().setCount(rows).setSum(rows).setSumOfSquares(rows * 2))
        .addFeatures(FeatureMoments.newBuilder().setCount(rows).setSum(0).setSumOfSquares(rows))
        .build();
  }

  private static SubmitResultRequest trainResult(Task task, float[] delta, long samples) {
    return SubmitResultRequest.newBuilder().setTaskId(task.getTaskId()).setRound(task.getRound())
        .setTrain(TrainResult.newBuilder().setDeltaPackedFloat32Le(PackedFloats.pack(delta)).setSampleCount(samples)
            .setTrainLoss(0.5).setTrainingMillis(3))
        .build();
  }

  private static SubmitResultRequest evalResult(Task task, double positiveScore, boolean p, double negativeScore,
      boolean n) {
    ScoreHistogram histogram = new ScoreHistogram();
    histogram.add(positiveScore, p);
    histogram.add(negativeScore, n);
    EvaluateResult.Builder result = EvaluateResult.newBuilder();
    for (long c : histogram.positiveCounts()) {
      result.addPositiveBins(c);
    }
    for (long c : histogram.negativeCounts()) {
      result.addNegativeBins(c);
    }
    result.setTruePositives(positiveScore >= 0.5 ? 1 : 0).setFalseNegatives(positiveScore >= 0.5 ? 0 : 1)
        .setFalsePositives(negativeScore >= 0.5 ? 1 : 0).setTrueNegatives(negativeScore >= 0.5 ? 0 : 1)
        .setLossSum(1.0);
    return SubmitResultRequest.newBuilder().setTaskId(task.getTaskId()).setRound(task.getRound())
        .setEvaluate(result).build();
  }

  private static float[] filled(int n, float value) {
    float[] values = new float[n];
    java.util.Arrays.fill(values, value);
    return values;
  }

  /** A clock the test moves by hand. */
  static final class FakeClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Members the test connects and disconnects by hand; records the tasks each was sent. */
  static class FakeMembers implements MemberDirectory, TaskDispatcher {
    private final Map<String, Boolean> connected = new LinkedHashMap<>();
    private final Map<String, Task> lastTask = new LinkedHashMap<>();
    final List<String> finished = new ArrayList<>();

    void connect(String... ids) {
      for (String id : ids) {
        connected.put(id, true);
      }
    }

    void disconnect(String id) {
      connected.put(id, false);
    }

    Task lastTask(String member) {
      return lastTask.get(member);
    }

    @Override
    public List<String> connectedMembers() {
      return connected.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public boolean isConnected(String memberId) {
      return connected.getOrDefault(memberId, false);
    }

    @Override
    public void dispatch(String memberId, Task task) {
      lastTask.put(memberId, task);
    }

    @Override
    public void withdrawRound(int round) {}

    @Override
    public void finishRun(String reason) {
      finished.add("run finished");
    }
  }
}
