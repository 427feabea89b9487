package org.comity.coordinator.round;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.comity.aggregation.fedavg.WeightedUpdateAccumulator;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.aggregation.normalization.Normalization;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.SkellamEncoding;
import org.comity.coordinator.model.ModelRegistry;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.proto.v1.EvaluateResult;
import org.comity.proto.v1.EvaluateTask;
import org.comity.proto.v1.ModelWeights;
import org.comity.proto.v1.SecAggResult;
import org.comity.proto.v1.SecAggTask;
import org.comity.proto.v1.StatsResult;
import org.comity.proto.v1.StatsTask;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.Task;
import org.comity.proto.v1.TrainResult;
import org.comity.proto.v1.TrainTask;
import org.comity.wire.PackedFloats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's round engine: drives a run through its rounds, one explicit state machine per round.
 *
 * <p>A run starts with the statistics round (round 0): the banks report per-feature moments, from which the
 * global normalisation is fixed. Each training round then goes SELECTING (participants sampled with a seeded RNG
 * from the connected members), TRAINING (updates streamed into a weighted sum as they arrive, so memory is
 * O(model size)), AGGREGATING (FedAvg with the server learning rate), EVALUATING (every connected bank scores
 * the candidate on its holdout; counts are summed, so metrics are exact), and COMMITTED. A round whose training
 * stage ends (all selected answered or dropped, or the deadline passed) with fewer updates than the quorum is
 * FAILED with the reason, and the next round starts from the last committed version. Stragglers and
 * disconnected members never stall a round: every stage has a deadline.
 *
 * <p>Threading: all methods are synchronized; the engine never blocks. Time comes from the injected
 * {@link Clock}; something must call {@link #tick()} periodically (the server does it every 100 ms; tests call it
 * after advancing a fake clock). Results are processed as they arrive, and the round advances at once when the
 * last expected result is in.
 */
public final class RoundEngine {
  private static final Logger log = LoggerFactory.getLogger(RoundEngine.class);
  private static final int MAX_STATISTICS_ATTEMPTS = 3;

  private final String runId;
  private final FederationPlan plan;
  private final String planHash;
  private final int parameterCount;
  private final Clock clock;
  private final MemberDirectory members;
  private final TaskDispatcher dispatcher;
  private final ModelRegistry registry;
  private final List<RoundListener> listeners = new CopyOnWriteArrayList<>();
  private final List<RoundReport> reports = new ArrayList<>();
  private final Map<String, Long> rejections = new LinkedHashMap<>();
  private final Map<String, Double> sampleEpsilonByBank = new java.util.TreeMap<>();

  private float[] globalWeights;
  private long globalVersion;
  private Normalization normalization;
  private int statisticsAttempts;
  private int nextTrainingRound = 1;
  private int committedRounds;
  private int failedRounds;
  private ActiveRound active;
  private RunOutcome outcome;
  /** Bank-level DP of the run, or null when off. */
  private final BankLevelPrivacy privacy;
  private final Instant runStartedAt;
  private final RunJournal journal;
  /** Set when a listener threw: the run stops at the next opportunity (listeners such as the audit fail closed). */
  private String listenerFailure;
  /** After a restart: the round that was in flight, to be resumed (or failed and retried) first. */
  private InFlightRound resumeFrom;
  /** A round to run next under its own number with a fixed set of banks (a retry after a restart). */
  private RetryPlan retry;
  /** After a restart: banks of the last rounds that the first selection waits for (up to the join timeout). */
  private List<String> awaitAfterRestart = List.of();

  public RoundEngine(String runId, FederationPlan plan, Clock clock, MemberDirectory members,
      TaskDispatcher dispatcher, ModelRegistry registry) {
    this(runId, plan, clock, members, dispatcher, registry, RunJournal.NONE);
  }

  /**
   * A new run, recorded in {@code journal} as it goes.
   *
   * @throws JournalException if the run's start cannot be recorded
   */
  public RoundEngine(String runId, FederationPlan plan, Clock clock, MemberDirectory members,
      TaskDispatcher dispatcher, ModelRegistry registry, RunJournal journal) {
    this(runId, plan, clock, members, dispatcher, registry, journal, false);
    journal.runStarted(runId, plan, planHash, runStartedAt);
  }

  private RoundEngine(String runId, FederationPlan plan, Clock clock, MemberDirectory members,
      TaskDispatcher dispatcher, ModelRegistry registry, RunJournal journal, boolean resumed) {
    this.journal = journal;
    this.runId = runId;
    this.plan = plan;
    this.planHash = PlanHash.of(plan);
    this.parameterCount = plan.modelLayout().parameterCount();
    this.clock = clock;
    this.members = members;
    this.dispatcher = dispatcher;
    this.registry = registry;
    this.globalWeights = plan.modelLayout().initialWeights(plan.model().initSeed());
    this.globalVersion = 0;
    this.runStartedAt = clock.instant();
    this.privacy = plan.bankPrivacy().enabled()
        ? new BankLevelPrivacy(plan.bankPrivacy(), plan.rounds().minMembersToStart(), parameterCount) : null;
  }

  /**
   * Resumes a run from its journal after the coordinator stopped: the committed versions go back into
   * {@code registry}, the counters and the privacy ledger are restored, and the round that was in flight is run
   * again with the same banks (they resend the results they kept, so nothing is retrained) or, if it was in a
   * secure-aggregation stage whose secrets only the stopped process held, failed with that reason and retried.
   *
   * @throws IllegalArgumentException if the journal's run is bound to another plan
   */
  public static RoundEngine resume(RecoveredRun run, FederationPlan plan, Clock clock, MemberDirectory members,
      TaskDispatcher dispatcher, ModelRegistry registry, RunJournal journal) {
    String planHash = PlanHash.of(plan);
    if (!planHash.equals(run.planHash())) {
      throw new IllegalArgumentException("run %s is bound to plan %s, not to this plan %s".formatted(run.runId(),
          run.planHash(), planHash));
    }
    RoundEngine engine = new RoundEngine(run.runId(), plan, clock, members, dispatcher, registry, journal, true);
    engine.restore(run);
    return engine;
  }

  private void restore(RecoveredRun run) {
    for (ModelVersion version : run.versions()) {
      registry.add(version);
    }
    normalization = run.normalization();
    reports.addAll(run.reports());
    EngineCheckpoint checkpoint = run.checkpoint();
    if (checkpoint != null) {
      nextTrainingRound = checkpoint.nextTrainingRound();
      committedRounds = checkpoint.committedRounds();
      failedRounds = checkpoint.failedRounds();
      statisticsAttempts = checkpoint.statisticsAttempts();
      if (privacy != null) {
        privacy.restore(checkpoint.privacyRoundsAccounted(), checkpoint.clipNorm());
      }
    }
    if (!run.versions().isEmpty()) {
      ModelVersion latest = run.versions().get(run.versions().size() - 1);
      globalVersion = latest.version();
      globalWeights = latest.weights();
    }
    resumeFrom = run.inFlight();
    java.util.Set<String> await = new java.util.TreeSet<>();
    if (!run.reports().isEmpty()) {
      await.addAll(run.reports().get(run.reports().size() - 1).selected());
    }
    if (resumeFrom != null) {
      await.addAll(resumeFrom.selected());
    }
    awaitAfterRestart = List.copyOf(await);
    log.info("run {} resumed from its journal: version {}, {} committed and {} failed round(s), {}", runId,
        globalVersion, committedRounds, failedRounds, resumeFrom == null ? "no round was in flight"
            : "round %d (attempt %d) was in %s".formatted(resumeFrom.round(), resumeFrom.attempt(),
                resumeFrom.lastPhase()));
  }

  /** The bank-level clip norm of the next round (0 without bank-level DP). */
  public synchronized double bankClipNorm() {
    return clipNorm();
  }

  /** Bank-level epsilon spent so far (0 without bank-level DP). */
  public synchronized double epsilonSpent() {
    return privacy == null ? 0.0 : privacy.epsilonSpent();
  }

  /** Registers a listener (journal, metrics, progress display). */
  public void addListener(RoundListener listener) {
    listeners.add(listener);
  }

  public String runId() {
    return runId;
  }

  /** When this engine started the run (for a resumed run: when it resumed). */
  public Instant runStartedAt() {
    return runStartedAt;
  }

  public String planHash() {
    return planHash;
  }

  /** Reports of the finished rounds, in order. */
  public synchronized List<RoundReport> reports() {
    return List.copyOf(reports);
  }

  /** Each bank's own sample-level (DP-SGD) epsilon spent, as it last reported it. */
  public synchronized Map<String, Double> sampleEpsilonByBank() {
    return Map.copyOf(sampleEpsilonByBank);
  }

  /** Count of rejected results by reason code. */
  public synchronized Map<String, Long> rejections() {
    return Map.copyOf(rejections);
  }

  /** The run's outcome, or {@code null} while it runs. */
  public synchronized RunOutcome outcome() {
    return outcome;
  }

  /** The current round's number and phase, for status displays; {@code null} between rounds. */
  public synchronized String currentRoundStatus() {
    return active == null ? null : "round %d %s".formatted(active.round, active.phase);
  }

  /** The deadline of the current round's stage (joining, training or a secure-aggregation stage, evaluating). */
  public synchronized java.util.Optional<Instant> currentStageDeadline() {
    return active == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(active.stageDeadline);
  }

  /** The global normalisation once the statistics round committed, else {@code null}. */
  public synchronized Normalization normalization() {
    return normalization;
  }

  /** Advances time-driven work: starts rounds, selects participants, closes stages whose deadline passed. */
  public synchronized void tick() {
    progress();
  }

  /**
   * Accepts one member's result.
   *
   * @throws ResultRejectedException if the task is not open for this member or the result is malformed; the
   *     engine's state is then unchanged
   */
  public synchronized void acceptResult(String memberId, SubmitResultRequest request) throws ResultRejectedException {
    try {
      ActiveRound round = active;
      if (outcome != null) {
        throw new ResultRejectedException(ResultRejectedException.Kind.FAILED_PRECONDITION, "run_finished",
            "the run has finished; no result is accepted");
      }
      if (round == null || !round.pending.containsKey(memberId)) {
        throw new ResultRejectedException(ResultRejectedException.Kind.FAILED_PRECONDITION, "task_not_open",
            "task %s is not open for member %s (its round closed, or it was already answered)"
                .formatted(request.getTaskId(), memberId));
      }
      String expectedTask = round.pending.get(memberId);
      if (!expectedTask.equals(request.getTaskId()) || request.getRound() != round.round) {
        throw new ResultRejectedException(ResultRejectedException.Kind.FAILED_PRECONDITION, "task_not_open",
            "task %s (round %d) is not open for member %s; its open task is %s"
                .formatted(request.getTaskId(), request.getRound(), memberId, expectedTask));
      }
      switch (request.getKindCase()) {
        case DECLINED -> round.drop(memberId, "declined: %s %s".formatted(
            request.getDeclined().getReason(), request.getDeclined().getDetail()));
        case STATS -> acceptStatistics(round, memberId, request.getStats());
        case TRAIN -> acceptUpdate(round, memberId, request.getTrain());
        case EVALUATE -> acceptEvaluation(round, memberId, request.getEvaluate());
        case SECAGG -> acceptSecure(round, memberId, request.getSecagg());
        default -> throw new ResultRejectedException(ResultRejectedException.Kind.INVALID_ARGUMENT, "no_result",
            "the request carries no result");
      }
    } catch (ResultRejectedException e) {
      rejections.merge(e.reasonCode(), 1L, Long::sum);
      notifyListeners("a rejection", listener -> listener.onRejected(e.reasonCode()));
      log.warn("rejected result from {}: {}", memberId, e.getMessage());
      throw e;
    }
    progress();
  }

  /** A member left or its connection was lost: it drops out of any stage waiting for it. */
  public synchronized void memberLost(String memberId, String why) {
    if (active != null && active.pending.containsKey(memberId)) {
      active.drop(memberId, why);
      progress();
    }
  }

  private void acceptStatistics(ActiveRound round, String memberId, StatsResult stats) throws ResultRejectedException {
    expectPhase(round, RoundPhase.COLLECTING_STATISTICS, "statistics");
    round.statistics.add(stats);
    round.accept(memberId);
  }

  private void acceptUpdate(ActiveRound round, String memberId, TrainResult update) throws ResultRejectedException {
    expectPhase(round, RoundPhase.TRAINING, "a training update");
    if (round.secure != null) {
      // Refused before the payload is decoded: with secure aggregation on, a plaintext update is never read.
      throw invalid("plaintext_update", "round %d uses secure aggregation; a plaintext update is refused unread"
          .formatted(round.round));
    }
    if (update.getSampleCount() == 0) {
      throw invalid("zero_samples", "an update must carry a positive sample count");
    }
    if (!Double.isFinite(update.getTrainLoss())) {
      throw invalid("bad_loss", "training loss is " + update.getTrainLoss());
    }
    float[] delta;
    try {
      delta = PackedFloats.unpackFinite(update.getDeltaPackedFloat32Le(), parameterCount, "update");
    } catch (IllegalArgumentException e) {
      throw invalid("bad_update", e.getMessage());
    }
    double weight = update.getSampleCount();
    if (privacy != null) {
      // Bank-level DP: the coordinator enforces the bound itself and weighs every bank equally.
      var clipped = privacy.clip(delta);
      delta = clipped.values();
      weight = 1;
      if (!clipped.wasClipped()) {
        round.unclippedUpdates++;
      }
    }
    // The update is folded into the running sum and then dropped: no per-bank vector is kept.
    round.updates.add(delta, weight);
    round.lossSum += update.getTrainLoss() * update.getSampleCount();
    recordSampleEpsilon(memberId, update.getSampleEpsilonSpent());
    round.slowestTrainingMillis = Math.max(round.slowestTrainingMillis, update.getTrainingMillis());
    round.accept(memberId);
  }

  private void acceptEvaluation(ActiveRound round, String memberId, EvaluateResult result)
      throws ResultRejectedException {
    expectPhase(round, RoundPhase.EVALUATING, "an evaluation");
    round.evaluation.add(result);
    round.accept(memberId);
  }

  private void acceptSecure(ActiveRound round, String memberId, SecAggResult result) throws ResultRejectedException {
    expectPhase(round, RoundPhase.TRAINING, "a secure-aggregation message");
    if (round.secure == null) {
      throw invalid("wrong_kind", "round %d does not use secure aggregation".formatted(round.round));
    }
    List<Map.Entry<String, SecAggTask>> next;
    try {
      next = round.secure.accept(memberId, result);
    } catch (SecAggRejectedException e) {
      ResultRejectedException.Kind kind = e.reason() == RejectionReason.WRONG_STAGE
          || e.reason() == RejectionReason.DUPLICATE ? ResultRejectedException.Kind.FAILED_PRECONDITION
          : ResultRejectedException.Kind.INVALID_ARGUMENT;
      throw new ResultRejectedException(kind, "secagg_" + e.reason().name().toLowerCase(), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw invalid("secagg_malformed", "malformed secure-aggregation message: " + e.getMessage());
    }
    if (result.hasAdvertiseKeys()) {
      recordSampleEpsilon(memberId, result.getSampleEpsilonSpent());
      if (Double.isFinite(result.getTrainLoss())) {
        round.lossSum += result.getTrainLoss();
        round.secureLosses++;
      }
      round.slowestTrainingMillis = Math.max(round.slowestTrainingMillis, result.getTrainingMillis());
    }
    round.pending.remove(memberId);
    dispatchSecure(round, next, clock.instant());
  }

  private void recordSampleEpsilon(String memberId, double epsilon) {
    if (epsilon > 0 && Double.isFinite(epsilon)) {
      sampleEpsilonByBank.put(memberId, epsilon);
    }
  }

  /** Sends the protocol's next-stage messages as tasks; a new stage gets a fresh deadline. */
  private void dispatchSecure(ActiveRound round, List<Map.Entry<String, SecAggTask>> tasks, Instant now) {
    if (tasks.isEmpty()) {
      return;
    }
    round.pending.clear();
    round.stageDeadline = now.plus(plan.secureAggregation().stageDeadline());
    String stage = round.secure.stageName();
    for (Map.Entry<String, SecAggTask> entry : tasks) {
      Task task = newTask(round, entry.getKey(), "secagg-" + stage.toLowerCase()).setSecagg(entry.getValue()).build();
      if (!entry.getValue().hasAborted()) {
        round.pending.put(entry.getKey(), task.getTaskId());
      }
      dispatcher.dispatch(entry.getKey(), task);
    }
    transition(round, RoundPhase.TRAINING, "secure aggregation stage %s: waiting for %d bank(s); deadline %s"
        .formatted(stage, round.pending.size(), round.stageDeadline));
  }

  private static void expectPhase(ActiveRound round, RoundPhase phase, String what) throws ResultRejectedException {
    if (round.phase != phase) {
      throw invalid("wrong_kind", "round %d is %s; %s is not expected".formatted(round.round, round.phase, what));
    }
  }

  private static ResultRejectedException invalid(String code, String message) {
    return new ResultRejectedException(ResultRejectedException.Kind.INVALID_ARGUMENT, code, message);
  }

  // ---------------------------------------------------------------------------------------------------------
  // The state machine.

  private void progress() {
    // Each step may enable the next (a stage closing starts the next stage); loop until nothing moves.
    for (int guard = 0; guard < 16 && outcome == null; guard++) {
      boolean moved = step();
      if (listenerFailure != null && outcome == null) {
        stopOnListenerFailure();
        return;
      }
      if (!moved) {
        return;
      }
    }
  }

  /** A listener (the audit trail, say) could not record what happened: the run stops rather than go on unrecorded. */
  private void stopOnListenerFailure() {
    log.error("run {} stops: {}", runId, listenerFailure);
    if (active != null) {
      dispatcher.withdrawRound(active.round);
      active = null;
    }
    outcome = new RunOutcome(false, "a round listener failed (" + listenerFailure + "); what was committed is kept, "
        + "and the run resumes from its journal when the coordinator is started again", committedRounds, failedRounds);
    dispatcher.finishRun(outcome.reason());
    for (RoundListener listener : listeners) {
      try {
        listener.onRunFinished(outcome);
      } catch (RuntimeException e) {
        log.error("round listener {} failed on the end of the run: {}", listener.getClass().getSimpleName(),
            e.getMessage());
      }
    }
  }

  /** Performs at most one transition; returns whether something changed. */
  private boolean step() {
    Instant now = clock.instant();
    if (active == null) {
      return startNextRound(now);
    }
    ActiveRound round = active;
    switch (round.phase) {
      case SELECTING -> {
        return select(round, now);
      }
      case TRAINING -> {
        if (round.secure != null) {
          return stepSecure(round, now);
        }
        return stepCollecting(round, now);
      }
      case COLLECTING_STATISTICS, EVALUATING -> {
        return stepCollecting(round, now);
      }
      default -> throw new IllegalStateException("unexpected phase " + round.phase);
    }
  }

  private boolean stepSecure(ActiveRound round, Instant now) {
    dropDisconnected(round);
    if (round.secure.result().isPresent()) {
      finishSecureTraining(round, now);
      return true;
    }
    if (round.secure.aborted().isPresent()) {
      var aborted = round.secure.aborted().get();
      fail(round, now, "secure aggregation aborted in stage %s: %s (%s); dropouts: %s".formatted(
          aborted.stageAtAbort(), aborted.reason(), aborted.detail(), round.dropouts));
      return true;
    }
    if (!round.pending.isEmpty() && now.isBefore(round.stageDeadline)) {
      return false;
    }
    round.timeOutStragglers();
    dispatcher.withdrawRound(round.round);
    List<Map.Entry<String, SecAggTask>> next = round.secure.deadline();
    dispatchSecure(round, next, now);
    return true;
  }

  private float[] applyPrivately(double[] sumOfClippedUpdates, ActiveRound round, int contributors) {
    float[] mean = privacy.release(sumOfClippedUpdates, round.population, contributors, round.unclippedUpdates,
        round.round);
    float[] candidate = new float[globalWeights.length];
    double rate = plan.rounds().serverLearningRate();
    for (int i = 0; i < candidate.length; i++) {
      candidate[i] = (float) (globalWeights[i] + rate * mean[i]);
    }
    return candidate;
  }

  private void finishSecureTraining(ActiveRound round, Instant now) {
    var result = round.secure.result().orElseThrow();
    if (privacy != null) {
      double[] sum = result.weightedSum();
      if (privacy.adaptive()) {
        round.unclippedUpdates = (int) Math.round(Math.max(0, sum[parameterCount]));
        sum = java.util.Arrays.copyOf(sum, parameterCount);
      }
      round.candidate = applyPrivately(sum, round, result.contributors().size());
    } else {
      double[] mean = result.weightedMean();
      float[] candidate = new float[globalWeights.length];
      double rate = plan.rounds().serverLearningRate();
      for (int i = 0; i < candidate.length; i++) {
        candidate[i] = (float) (globalWeights[i] + rate * mean[i]);
      }
      round.candidate = candidate;
    }
    round.contributors.addAll(result.contributors());
    round.meanTrainLoss = round.secureLosses == 0 ? Double.NaN : round.lossSum / round.secureLosses;
    transition(round, RoundPhase.AGGREGATING, ("secure sum of %d bank(s) unmasked (dropped after sharing keys: %s), "
        + "total weight %d; quantization error bound %.3g per weight").formatted(result.contributors().size(),
        result.droppedAfterSharing(), result.totalWeight(), result.meanErrorBound()));
    round.secure = null;
    startEvaluation(round, now);
  }

  /** A stage that collects one result per member: closes when all answered or dropped, or at the deadline. */
  private boolean stepCollecting(ActiveRound round, Instant now) {
    dropDisconnected(round);
    if (!round.pending.isEmpty() && now.isBefore(round.stageDeadline)) {
      return false;
    }
    round.timeOutStragglers();
    dispatcher.withdrawRound(round.round);
    if (round.phase == RoundPhase.COLLECTING_STATISTICS) {
      finishStatistics(round, now);
    } else if (round.phase == RoundPhase.TRAINING) {
      finishTraining(round, now);
    } else {
      commit(round, now);
    }
    return true;
  }

  private boolean startNextRound(Instant now) {
    if (resumeFrom != null) {
      return resumeInFlight(now);
    }
    if (retry != null) {
      RetryPlan plan = retry;
      retry = null;
      active = new ActiveRound(plan.round(), plan.attempt(), now, now.plus(this.plan.rounds().joinTimeout()));
      active.fixedSelection = plan.banks();
      transition(active, RoundPhase.SELECTING, plan.reason());
      return true;
    }
    if (normalization == null) {
      if (statisticsAttempts >= MAX_STATISTICS_ATTEMPTS) {
        finishRun(false, "the statistics round failed %d times; see the round reports".formatted(statisticsAttempts));
        return false;
      }
      statisticsAttempts++;
      active = new ActiveRound(0, statisticsAttempts, now, now.plus(plan.rounds().joinTimeout()));
      transition(active, RoundPhase.SELECTING, "start of run: collecting feature statistics (attempt %d)"
          .formatted(statisticsAttempts));
      return true;
    }
    if (nextTrainingRound > plan.rounds().count()) {
      finishRun(true, "all %d rounds done: %d committed, %d failed"
          .formatted(plan.rounds().count(), committedRounds, failedRounds));
      return false;
    }
    if (privacy != null && !privacy.allowsAnotherRound()) {
      finishRun(true, privacy.budgetReached(committedRounds, failedRounds));
      return false;
    }
    active = new ActiveRound(nextTrainingRound++, 1, now, now.plus(plan.rounds().joinTimeout()));
    transition(active, RoundPhase.SELECTING, "round starts from version " + globalVersion);
    return true;
  }

  /**
   * The first step after a restart: the round that was in flight runs again under its number with the same banks
   * (they resend their kept results), or, when it was inside secure aggregation, is failed and retried.
   */
  private boolean resumeInFlight(Instant now) {
    InFlightRound lost = resumeFrom;
    resumeFrom = null;
    if (lost.round() == 0 || normalization == null) {
      // The statistics round asks every bank again; its answers are cheap and deterministic.
      log.info("the statistics round was in flight when the coordinator stopped; it starts again");
      return true;
    }
    nextTrainingRound = Math.max(nextTrainingRound, lost.round() + 1);
    boolean selected = !lost.selected().isEmpty();
    if (privacy != null && selected) {
      // The lost attempt may already have released a noised aggregate (to the evaluating banks): charge it.
      privacy.accountRound();
    }
    if (lost.secure() && selected) {
      ActiveRound failed = new ActiveRound(lost.round(), lost.attempt(), now, now);
      failed.selected.addAll(lost.selected());
      failed.phase = lost.lastPhase();
      failed.phaseBefore = lost.lastPhase();
      active = failed;
      String why = ("the coordinator restarted during secure aggregation (last phase %s): the key shares and masked "
          + "inputs were held only by the stopped process").formatted(lost.lastPhase());
      retry = new RetryPlan(lost.round(), lost.attempt() + 1, lost.selected(),
          "retry after a coordinator restart (%s); the same %d bank(s) resend the updates they kept"
              .formatted(why, lost.selected().size()));
      fail(failed, now, why + "; retried as attempt " + (lost.attempt() + 1));
      return true;
    }
    active = new ActiveRound(lost.round(), lost.attempt(), now, now.plus(plan.rounds().joinTimeout()));
    if (selected) {
      active.fixedSelection = lost.selected();
    }
    transition(active, RoundPhase.SELECTING, ("resumed after a coordinator restart: round %d was in %s; %s")
        .formatted(lost.round(), lost.lastPhase(), selected
            ? "asking the same %d bank(s) again, which resend the results they kept".formatted(lost.selected().size())
            : "it had not chosen its banks yet"));
    return true;
  }

  private boolean select(ActiveRound round, Instant now) {
    List<String> connected = members.connectedMembers();
    boolean statistics = round.round == 0;
    List<String> awaited = round.fixedSelection != null ? round.fixedSelection : awaitAfterRestart;
    if (!awaited.isEmpty() && now.isBefore(round.stageDeadline) && !connected.containsAll(awaited)) {
      // After a restart the banks reconnect one by one: choosing before they are back would change the round.
      return false;
    }
    awaitAfterRestart = List.of();
    if (round.fixedSelection != null) {
      List<String> back = new ArrayList<>(round.fixedSelection);
      back.retainAll(connected);
      int needed = statistics ? plan.rounds().minMembersToStart() : plan.rounds().minQuorum();
      if (back.size() < needed) {
        fail(round, now, "only %d of the round's %d bank(s) reconnected by the join timeout, need %d"
            .formatted(back.size(), round.fixedSelection.size(), needed));
        return true;
      }
      return dispatchSelection(round, now, back, connected.size(), statistics);
    }
    int needed = statistics ? plan.rounds().minMembersToStart() : plan.rounds().minQuorum();
    if (connected.size() < needed) {
      if (!now.isBefore(round.stageDeadline)) {
        fail(round, now, "only %d member(s) connected by the join timeout, need %d".formatted(connected.size(), needed));
        return true;
      }
      return false;
    }
    List<String> chosen;
    int perRound = plan.rounds().participantsPerRound();
    if (!statistics && privacy != null) {
      chosen = privacy.sample(connected, new SplittableRandom(mix(plan.rounds().seed(), round.round, round.attempt)));
      round.population = connected.size();
      if (chosen.size() < plan.rounds().minQuorum()) {
        fail(round, now, "Poisson sampling at rate %s chose %d of %d bank(s), below the quorum %d; no data was used"
            .formatted(plan.bankPrivacy().participationRate(), chosen.size(), connected.size(),
                plan.rounds().minQuorum()));
        return true;
      }
    } else if (statistics || perRound == 0 || perRound >= connected.size()) {
      chosen = connected;
    } else {
      List<String> shuffled = new ArrayList<>(connected);
      Collections.sort(shuffled);
      SplittableRandom random = new SplittableRandom(mix(plan.rounds().seed(), round.round, round.attempt));
      for (int i = shuffled.size() - 1; i > 0; i--) {
        Collections.swap(shuffled, i, random.nextInt(i + 1));
      }
      chosen = new ArrayList<>(shuffled.subList(0, perRound));
      Collections.sort(chosen);
    }
    return dispatchSelection(round, now, chosen, connected.size(), statistics);
  }

  /** Records the chosen banks and sends them their tasks (training, secure aggregation or statistics). */
  private boolean dispatchSelection(ActiveRound round, Instant now, List<String> chosen, int connectedCount,
      boolean statistics) {
    if (round.population == 0) {
      round.population = connectedCount;
    }
    round.selected.addAll(chosen);
    boolean secure = !statistics && plan.secureAggregation().enabled();
    try {
      journal.roundSelected(runId, round.round, round.attempt, chosen, secure);
    } catch (JournalException e) {
      stopOnJournalFailure(e);
      return true;
    }
    if (statistics) {
      round.stageDeadline = now.plus(plan.rounds().deadline());
      for (String member : chosen) {
        Task task = newTask(round, member, "stats").setStats(StatsTask.getDefaultInstance()).build();
        round.pending.put(member, task.getTaskId());
        dispatcher.dispatch(member, task);
      }
      transition(round, RoundPhase.COLLECTING_STATISTICS, "asked %d member(s) for feature statistics: %s"
          .formatted(chosen.size(), chosen));
    } else if (plan.secureAggregation().enabled()) {
      try {
        // With adaptive clipping each bank appends its "fit unclipped" bit: the sum is the count, no bit is seen alone.
        int vectorLength = parameterCount + (privacy != null && privacy.adaptive() ? 1 : 0);
        // With distributed noise each bank adds its Skellam share before masking: the unmasked sum is already noised.
        round.secure = SecureAggregationRound.start(round.round, chosen, plan.secureAggregation(), vectorLength,
            privacy == null ? plan.secureAggregation().maxSampleCount() : 1,
            privacy == null ? null : privacy.distributedNoise(plan.rounds().minQuorum()));
      } catch (IllegalArgumentException e) {
        fail(round, now, "secure aggregation cannot run with these %d bank(s): %s".formatted(chosen.size(), e.getMessage()));
        return true;
      }
      round.stageDeadline = now.plus(plan.rounds().deadline());
      ModelWeights global = weightsMessage(globalVersion, globalWeights);
      for (String member : chosen) {
        TrainTask train = TrainTask.newBuilder().setGlobalModel(global).setNormalization(normalizationMessage())
            .setSeed(mix(plan.rounds().seed(), round.round, member.hashCode())).setClipNorm(clipNorm()).build();
        Task task = newTask(round, member, "secagg-train")
            .setSecagg(round.secure.startTask().setTrainAndAdvertise(train)).build();
        round.pending.put(member, task.getTaskId());
        dispatcher.dispatch(member, task);
      }
      var config = round.secure.config();
      if (privacy != null) {
        privacy.accountRound();
      }
      transition(round, RoundPhase.TRAINING, ("sampled %d of %d connected member(s): %s; secure aggregation with %d "
          + "neighbours, threshold %d; deadline %s%s").formatted(chosen.size(), connectedCount, chosen,
          config.parameters().neighbours(), config.threshold(), round.stageDeadline, privacy == null ? ""
              : "; bank-level epsilon after this round %.4f of %s%s".formatted(privacy.epsilonSpent(),
                  plan.bankPrivacy().targetEpsilon(), privacy.distributed()
                      ? " (Skellam noise added by the banks, integer clip %d)".formatted(
                          ((SkellamEncoding) config.encoding()).integerClip())
                      : "")));
    } else {
      round.stageDeadline = now.plus(plan.rounds().deadline());
      round.updates = new WeightedUpdateAccumulator(parameterCount);
      ModelWeights global = weightsMessage(globalVersion, globalWeights);
      for (String member : chosen) {
        Task task = newTask(round, member, "train")
            .setTrain(TrainTask.newBuilder().setGlobalModel(global).setNormalization(normalizationMessage())
                .setSeed(mix(plan.rounds().seed(), round.round, member.hashCode())).setClipNorm(clipNorm()))
            .build();
        round.pending.put(member, task.getTaskId());
        dispatcher.dispatch(member, task);
      }
      if (privacy != null) {
        privacy.accountRound();
      }
      transition(round, RoundPhase.TRAINING, "sampled %d of %d connected member(s): %s; deadline %s%s"
          .formatted(chosen.size(), connectedCount, chosen, round.stageDeadline, privacy == null ? ""
              : "; bank-level epsilon after this round %.4f of %s".formatted(privacy.epsilonSpent(),
                  plan.bankPrivacy().targetEpsilon())));
    }
    return true;
  }

  private void finishStatistics(ActiveRound round, Instant now) {
    int quorum = plan.rounds().minQuorum();
    if (round.accepted.size() < quorum) {
      fail(round, now, "statistics from %d member(s), quorum is %d; dropouts: %s"
          .formatted(round.accepted.size(), quorum, round.dropouts));
      return;
    }
    Normalization fixed = round.statistics.normalization();
    try {
      journal.normalizationFixed(runId, fixed);
    } catch (JournalException e) {
      stopOnJournalFailure(e);
      return;
    }
    normalization = fixed;
    round.phase = RoundPhase.COMMITTED;
    transition(round, RoundPhase.COMMITTED, "normalisation fixed from %d rows of %d member(s); global positive rate %.5f"
        .formatted(round.statistics.rows(), round.accepted.size(), normalization.positiveRate()));
    finishRound(round, now, null, null);
  }

  private void finishTraining(ActiveRound round, Instant now) {
    int quorum = plan.rounds().minQuorum();
    int received = round.accepted.size();
    if (received < quorum) {
      fail(round, now, "%d update(s) by the deadline, quorum is %d; dropouts: %s"
          .formatted(received, quorum, round.dropouts));
      return;
    }
    transition(round, RoundPhase.AGGREGATING, "%d update(s) received (quorum %d), total weight %.0f"
        .formatted(received, quorum, round.updates.totalWeight()));
    if (privacy != null) {
      float[] mean = round.updates.weightedMean();
      double[] sum = new double[mean.length];
      for (int i = 0; i < sum.length; i++) {
        sum[i] = (double) mean[i] * round.updates.totalWeight();
      }
      round.candidate = applyPrivately(sum, round, round.accepted.size());
    } else {
      round.candidate = round.updates.applyTo(globalWeights, plan.rounds().serverLearningRate());
    }
    round.contributors.addAll(round.accepted);
    round.meanTrainLoss = round.lossSum / round.updates.totalWeight();
    round.updates = null;
    startEvaluation(round, now);
  }

  private void startEvaluation(ActiveRound round, Instant now) {
    round.accepted.clear();
    round.pending.clear();
    round.stageDeadline = now.plus(plan.rounds().evaluationDeadline());
    List<String> evaluators = members.connectedMembers();
    ModelWeights candidate = weightsMessage(globalVersion + 1, round.candidate);
    for (String member : evaluators) {
      Task task = newTask(round, member, "evaluate")
          .setEvaluate(EvaluateTask.newBuilder().setModel(candidate).setNormalization(normalizationMessage()))
          .build();
      round.pending.put(member, task.getTaskId());
      dispatcher.dispatch(member, task);
    }
    transition(round, RoundPhase.EVALUATING, "candidate version %d sent to %d member(s) for holdout evaluation"
        .formatted(globalVersion + 1, evaluators.size()));
  }

  private void commit(ActiveRound round, Instant now) {
    EvaluationSummary validation = round.accepted.isEmpty() ? null
        : round.evaluation.summary(plan.evaluation().threshold());
    globalVersion++;
    globalWeights = round.candidate;
    List<String> participants = new ArrayList<>(round.contributors);
    Collections.sort(participants);
    ModelVersion version = new ModelVersion(globalVersion, runId, planHash, round.round, globalWeights,
        normalization, validation, participants, now, epsilonSpent());
    committedRounds++;
    String metrics = validation == null ? "no member evaluated it"
        : "validation ROC-AUC %.4f, PR-AUC %.4f on %d holdout examples of %d member(s)"
            .formatted(validation.rocAuc(), validation.prAuc(), validation.examples(), round.accepted.size());
    round.phase = RoundPhase.COMMITTED;
    transition(round, RoundPhase.COMMITTED, "version %d committed (%s); %s"
        .formatted(globalVersion, version.weightsHash().substring(0, 12), metrics));
    finishRound(round, now, version, validation);
  }

  private void fail(ActiveRound round, Instant now, String reason) {
    dispatcher.withdrawRound(round.round);
    round.pending.clear();
    if (round.secure != null && round.secure.aborted().isEmpty()) {
      for (Map.Entry<String, SecAggTask> notice : round.secure.abort(reason)) {
        dispatcher.dispatch(notice.getKey(), newTask(round, notice.getKey(), "secagg-aborted")
            .setSecagg(notice.getValue()).build());
      }
    }
    round.secure = null;
    if (round.round > 0) {
      failedRounds++;
    }
    transition(round, RoundPhase.FAILED, reason + "; the next round starts from version " + globalVersion);
    finishRound(round, now, null, null);
  }

  /**
   * Ends the round: its report (and, when it committed, the new version) is made durable first; only then do the
   * registry and the listeners hear of it and can the next round start.
   */
  private void finishRound(ActiveRound round, Instant now, ModelVersion committed, EvaluationSummary validation) {
    RoundPhase outcomePhase = round.phase;
    String reason = round.lastReason;
    List<String> contributors = new ArrayList<>(round.contributors.isEmpty() ? round.accepted : round.contributors);
    Collections.sort(contributors);
    RoundReport report = new RoundReport(round.round, round.attempt, outcomePhase, reason, round.selected,
        contributors, round.dropouts, committed == null ? -1 : committed.version(),
        round.meanTrainLoss, validation, round.slowestTrainingMillis, Duration.between(round.startedAt, now),
        epsilonSpent());
    active = null;
    try {
      journal.roundFinished(runId, report, committed, checkpoint());
    } catch (JournalException e) {
      stopOnJournalFailure(e);
      return;
    }
    reports.add(report);
    if (committed != null) {
      registry.add(committed);
      notifyListeners("version " + committed.version(), listener -> listener.onCommitted(committed));
    }
    notifyListeners("the end of round " + report.round(), listener -> listener.onRoundFinished(report));
  }

  /**
   * Tells every listener; one that throws is logged and recorded, and the run then stops (see {@link #progress}):
   * a listener such as the audit trail fails closed, so nothing goes on unrecorded.
   */
  private void notifyListeners(String what, java.util.function.Consumer<RoundListener> call) {
    for (RoundListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        log.error("round listener {} failed on {}: {}", listener.getClass().getSimpleName(), what, e.getMessage(), e);
        if (listenerFailure == null) {
          listenerFailure = "%s failed on %s: %s".formatted(listener.getClass().getSimpleName(), what, e.getMessage());
        }
      }
    }
  }

  private EngineCheckpoint checkpoint() {
    return new EngineCheckpoint(nextTrainingRound, committedRounds, failedRounds, statisticsAttempts, globalVersion,
        privacy == null ? 0 : privacy.roundsAccounted(), privacy == null ? 0.0 : privacy.clipNorm());
  }

  /**
   * The journal could not record something: going on would leave a run that a restart cannot reproduce, so the
   * run stops here with the reason; what was recorded before stays resumable.
   */
  private void stopOnJournalFailure(JournalException e) {
    log.error("run {} stops: the journal failed: {}", runId, e.getMessage(), e);
    if (active != null) {
      dispatcher.withdrawRound(active.round);
      active = null;
    }
    outcome = new RunOutcome(false, "the run journal failed (" + e.getMessage() + "); restart the coordinator "
        + "once the database is reachable and the run resumes from its last record", committedRounds, failedRounds);
    dispatcher.finishRun(outcome.reason());
    for (RoundListener listener : listeners) {
      listener.onRunFinished(outcome);
    }
  }

  private void finishRun(boolean completed, String reason) {
    RunOutcome finished = new RunOutcome(completed, reason, committedRounds, failedRounds);
    try {
      journal.runFinished(runId, finished, clock.instant());
    } catch (JournalException e) {
      stopOnJournalFailure(e);
      return;
    }
    outcome = finished;
    log.info("run {} finished after {}: {}", runId, Duration.between(runStartedAt, clock.instant()), reason);
    dispatcher.finishRun(reason);
    for (RoundListener listener : listeners) {
      listener.onRunFinished(outcome);
    }
  }

  private void dropDisconnected(ActiveRound round) {
    for (String member : List.copyOf(round.pending.keySet())) {
      if (!members.isConnected(member)) {
        round.drop(member, "disconnected");
      }
    }
  }

  private void transition(ActiveRound round, RoundPhase to, String reason) {
    RoundPhase from = round.phaseBefore;
    round.phase = to;
    round.phaseBefore = to;
    round.lastReason = reason;
    RoundTransition transition = new RoundTransition(runId, round.round, round.attempt, from, to, reason,
        clock.instant());
    log.info("round {}{} {} -> {}: {}", round.round, round.attempt > 1 ? " (attempt " + round.attempt + ")" : "",
        from == null ? "start" : from, to, reason);
    // A transition that cannot be journaled is logged and reported, not fatal by itself: the records that
    // recovery depends on (selection, round end, normalisation) stop the run when they fail.
    try {
      journal.transition(transition);
    } catch (JournalException e) {
      log.error("round {}: transition to {} not journaled: {}", round.round, to, e.getMessage());
    }
    notifyListeners("a transition of round " + round.round, listener -> listener.onTransition(transition));
  }

  private Task.Builder newTask(ActiveRound round, String member, String kind) {
    return Task.newBuilder()
        .setTaskId("%s/r%d.%d/%s/%s".formatted(runId, round.round, round.attempt, kind, member))
        .setRunId(runId)
        .setRound(round.round)
        .setDeadlineUnixMs(round.stageDeadline.toEpochMilli());
  }

  private ModelWeights weightsMessage(long version, float[] weights) {
    return ModelWeights.newBuilder().setVersion(version).setParameterCount(weights.length)
        .setPackedFloat32Le(PackedFloats.pack(weights)).build();
  }

  private org.comity.proto.v1.Normalization normalizationMessage() {
    var builder = org.comity.proto.v1.Normalization.newBuilder().setPositiveRate(normalization.positiveRate());
    for (double m : normalization.mean()) {
      builder.addMean(m);
    }
    for (double s : normalization.std()) {
      builder.addStd(s);
    }
    return builder.build();
  }

  /** The L2 bound banks clip to under bank-level DP, else 0 (no clipping). */
  private double clipNorm() {
    return privacy == null ? 0.0 : privacy.clipNorm();
  }

  private static long mix(long seed, long a, long b) {
    long h = seed * 0x9E3779B97F4A7C15L + a;
    h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L + b;
    return h ^ (h >>> 32);
  }

  /** A round to run again under its own number with the banks it had chosen. */
  private record RetryPlan(int round, int attempt, List<String> banks, String reason) {}

  /** Mutable state of the round in flight; owned by the engine under its lock. */
  private final class ActiveRound {
    final int round;
    final int attempt;
    final Instant startedAt;
    Instant stageDeadline;
    RoundPhase phase;
    RoundPhase phaseBefore;
    String lastReason = "";
    final List<String> selected = new ArrayList<>();
    final Map<String, String> pending = new LinkedHashMap<>();
    final List<String> accepted = new ArrayList<>();
    final List<String> contributors = new ArrayList<>();
    final Map<String, String> dropouts = new LinkedHashMap<>();
    // statistics
    final StatisticsTally statistics = new StatisticsTally(plan.inputWidth());
    // training
    WeightedUpdateAccumulator updates;
    SecureAggregationRound secure;
    int secureLosses;
    int population;
    int unclippedUpdates;
    double lossSum;
    double meanTrainLoss = Double.NaN;
    long slowestTrainingMillis;
    float[] candidate;
    /** Set when the round must ask exactly these banks (a resumed or retried round). */
    List<String> fixedSelection;
    // evaluation
    final EvaluationTally evaluation = new EvaluationTally();

    ActiveRound(int round, int attempt, Instant startedAt, Instant selectionDeadline) {
      this.round = round;
      this.attempt = attempt;
      this.startedAt = startedAt;
      this.stageDeadline = selectionDeadline;
    }

    void accept(String member) {
      pending.remove(member);
      accepted.add(member);
    }

    void drop(String member, String why) {
      pending.remove(member);
      String stage = phase == RoundPhase.EVALUATING ? "evaluation: " : "";
      dropouts.put(member, stage + why);
      log.info("round {}: member {} dropped out of {}: {}", round, member, phase, why);
    }

    void timeOutStragglers() {
      for (String member : List.copyOf(pending.keySet())) {
        drop(member, "missed the deadline");
      }
    }
  }
}
