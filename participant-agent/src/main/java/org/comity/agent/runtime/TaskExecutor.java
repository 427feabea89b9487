package org.comity.agent.runtime;

import java.util.List;
import org.comity.agent.data.BankDataset;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.pki.SecAggKeySigner;
import org.comity.agent.privacy.SampleLevelPrivacyLedger;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.LocalStatistics;
import org.comity.agent.training.LocalTrainer;
import org.comity.agent.training.Normalize;
import org.comity.aggregation.dp.L2Clipping;
import org.comity.aggregation.metrics.ExampleEvaluator;
import org.comity.aggregation.normalization.Normalization;
import org.comity.aggregation.secagg.DistributedNoise;
import org.comity.plan.FederationPlan;
import org.comity.proto.v1.EvaluateResult;
import org.comity.proto.v1.FeatureMoments;
import org.comity.proto.v1.ModelWeights;
import org.comity.proto.v1.SecAggResult;
import org.comity.proto.v1.StatsResult;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.Task;
import org.comity.proto.v1.TaskDeclined;
import org.comity.proto.v1.TrainResult;
import org.comity.wire.PackedFloats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the coordinator's tasks on the bank's own data: feature statistics, local training, holdout
 * evaluation. Only aggregates leave this class (moments, a weight delta with its sample count, evaluation
 * counts); raw rows never do.
 */
public final class TaskExecutor {
  private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);

  private final FederationPlan plan;
  private final HoldoutSplit data;
  private final LocalModel model;
  private final LocalTrainer trainer;
  private final int parameterCount;
  private final SecureAggregationParticipant secure;
  private final SampleLevelPrivacyLedger ledger;
  /** The last local update with the task that produced it: resent when the coordinator asks again. */
  private KeptUpdate kept;
  private int trainingsRun;
  private Normalization cachedNormalization;
  private BankDataset normalizedTraining;
  private BankDataset normalizedHoldout;
  /** What the latest {@link #execute} call did, for the bank's status and metrics; written and read on one thread. */
  private Work lastWork = Work.NONE;

  /**
   * What one task did at the bank.
   *
   * @param rows rows read (training or holdout), 0 for none
   * @param trainingMillis local training time, 0 without training
   * @param loss mean local training loss, {@code null} without training
   */
  public record Work(long rows, long trainingMillis, Double loss) {
    static final Work NONE = new Work(0, 0, null);
  }

  /** An executor without a sample-level privacy ledger (the plan must not enable DP-SGD). */
  public TaskExecutor(String memberId, FederationPlan plan, HoldoutSplit data, LocalModel model) {
    this(memberId, plan, data, model, null);
  }

  /**
   * @param ledger the bank's own DP-SGD ledger with its own ceiling; required when the plan enables sample-level
   *     privacy, ignored otherwise
   * @throws IllegalArgumentException when the plan enables DP-SGD and no ledger is given
   */
  public TaskExecutor(String memberId, FederationPlan plan, HoldoutSplit data, LocalModel model,
      SampleLevelPrivacyLedger ledger) {
    this(memberId, plan, data, model, ledger, null);
  }

  /**
   * @param signer with the consortium PKI, signs this bank's secure-aggregation keys and checks the other banks';
   *     {@code null} without a PKI
   */
  public TaskExecutor(String memberId, FederationPlan plan, HoldoutSplit data, LocalModel model,
      SampleLevelPrivacyLedger ledger, SecAggKeySigner signer) {
    if (plan.samplePrivacy().enabled() && ledger == null) {
      throw new IllegalArgumentException("the plan trains with DP-SGD: this bank must set its own epsilon ceiling");
    }
    this.ledger = plan.samplePrivacy().enabled() ? ledger : null;
    this.secure = new SecureAggregationParticipant(memberId, plan.secureAggregation(),
        plan.modelLayout().parameterCount() + (adaptiveClipBit(plan) ? 1 : 0),
        plan.bankPrivacy().enabled() ? 1 : plan.secureAggregation().maxSampleCount(), signer,
        // With distributed noise this bank adds its own share of the DP noise, derived from its own plan.
        plan.bankPrivacy().distributedNoise() ? new DistributedNoise(plan.bankPrivacy().clipNorm(),
            plan.bankPrivacy().noiseMultiplier(), plan.rounds().minQuorum()) : null);
    this.plan = plan;
    this.data = data;
    this.model = model;
    this.trainer = new LocalTrainer(plan.training(), plan.evaluation(), plan.samplePrivacy());
    this.parameterCount = plan.modelLayout().parameterCount();
  }

  /**
   * Runs {@code task} and returns the result to submit (without session id), or {@code null} when there is
   * nothing to send (a secure-aggregation round that the coordinator aborted).
   */
  public SubmitResultRequest execute(Task task) {
    SubmitResultRequest.Builder result = SubmitResultRequest.newBuilder().setTaskId(task.getTaskId())
        .setRound(task.getRound());
    lastWork = Work.NONE;
    try {
      String overBudget = privacyRefusal(task);
      if (overBudget != null) {
        log.warn("round {}: declined to train: {}", task.getRound(), overBudget);
        return result.setDeclined(TaskDeclined.newBuilder().setReason(TaskDeclined.Reason.PRIVACY_BUDGET_EXHAUSTED)
            .setDetail(overBudget)).build();
      }
      switch (task.getKindCase()) {
        case STATS -> result.setStats(statistics());
        case TRAIN -> result.setTrain(train(task));
        case EVALUATE -> result.setEvaluate(evaluate(task));
        case SECAGG -> {
          var reply = secureStage(task);
          if (reply.isEmpty()) {
            return null;
          }
          result.setSecagg(reply.get());
        }
        default -> result.setDeclined(TaskDeclined.newBuilder().setReason(TaskDeclined.Reason.INTERNAL_ERROR)
            .setDetail("task kind not supported by this agent: " + task.getKindCase()));
      }
    } catch (IllegalArgumentException | org.comity.aggregation.secagg.SecAggRejectedException e) {
      log.error("task {} cannot be carried out: {}", task.getTaskId(), e.getMessage());
      result.setDeclined(TaskDeclined.newBuilder().setReason(TaskDeclined.Reason.INTERNAL_ERROR)
          .setDetail("the task is malformed: " + e.getMessage()));
    }
    return result.build();
  }

  private StatsResult statistics() {
    LocalStatistics local = LocalStatistics.of(data.training());
    StatsResult.Builder stats = StatsResult.newBuilder().setRows(local.rows()).setPositives(local.positives());
    for (var column : local.columns()) {
      stats.addFeatures(FeatureMoments.newBuilder().setCount(column.count()).setSum(column.sum())
          .setSumOfSquares(column.sumOfSquares()));
    }
    log.info("reported feature statistics of {} training rows", local.rows());
    lastWork = new Work(local.rows(), 0, null);
    return stats.build();
  }

  /** With bank-level DP and adaptive clipping, a bank's masked vector ends with its "fit unclipped" bit. */
  private static boolean adaptiveClipBit(FederationPlan plan) {
    return plan.bankPrivacy().enabled() && plan.bankPrivacy().adaptiveClipping();
  }

  /** Why this bank will not train this task (its own DP ceiling), or {@code null}. */
  private String privacyRefusal(Task task) {
    boolean trains = task.hasTrain() || (task.hasSecagg() && task.getSecagg().hasTrainAndAdvertise());
    if (ledger == null || !trains) {
      return null;
    }
    var train = task.hasTrain() ? task.getTrain() : task.getSecagg().getTrainAndAdvertise();
    if (kept != null && kept.key().equals(TrainingKey.of(task, train))) {
      return null; // resending a kept update spends nothing
    }
    var check = ledger.check(trainer.roundPrivacyCost(data.training().rows()));
    return check.allowed() ? null : check.describe();
  }

  /** What the latest {@link #execute} call did (rows, training time, loss); call it on the thread that executes. */
  public Work lastWork() {
    return lastWork;
  }

  /** The bank's sample-level privacy spent against its own ceiling, or empty when the plan does not use DP-SGD. */
  public java.util.Optional<PrivacySpent> samplePrivacy() {
    return ledger == null ? java.util.Optional.empty()
        : java.util.Optional.of(new PrivacySpent(ledger.epsilonSpent(), ledger.delta(), ledger.epsilonCeiling()));
  }

  /** The bank's sample-level epsilon spent so far, or 0 without DP-SGD. */
  public double sampleEpsilonSpent() {
    return ledger == null ? 0.0 : ledger.epsilonSpent();
  }

  /** One round of local training from the task's global model. */
  private record LocalUpdate(float[] delta, long samples, double loss, long millis, boolean clipped) {}

  /**
   * A training task's identity: a coordinator that restarted asks again for (run, round) with the same global
   * model, seed and clip norm, and gets the same update back without the bank training (or spending privacy) twice.
   */
  private record TrainingKey(String runId, int round, long globalVersion, com.google.protobuf.ByteString globalHash,
      long seed, double clipNorm) {
    static TrainingKey of(Task task, org.comity.proto.v1.TrainTask train) {
      return new TrainingKey(task.getRunId(), task.getRound(), train.getGlobalModel().getVersion(),
          com.google.protobuf.ByteString.copyFrom(sha256(train.getGlobalModel().getPackedFloat32Le())),
          train.getSeed(), train.getClipNorm());
    }

    private static byte[] sha256(com.google.protobuf.ByteString bytes) {
      try {
        return java.security.MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private record KeptUpdate(TrainingKey key, LocalUpdate update) {}

  /** How many times this executor actually trained (a resent update does not count). */
  public int trainingsRun() {
    return trainingsRun;
  }

  private LocalUpdate trainLocally(Task task, org.comity.proto.v1.TrainTask train) {
    TrainingKey key = TrainingKey.of(task, train);
    if (kept != null && kept.key().equals(key)) {
      log.info("round {}: the coordinator asked again for this round's update; resending the one kept (no "
          + "retraining, no privacy spent)", task.getRound());
      return kept.update();
    }
    LocalUpdate update = trainFresh(task, train);
    kept = new KeptUpdate(key, update);
    return update;
  }

  private LocalUpdate trainFresh(Task task, org.comity.proto.v1.TrainTask train) {
    trainingsRun++;
    float[] global = weights(train.getGlobalModel());
    Normalization normalization = normalization(train.getNormalization());
    LocalTrainer.RoundResult outcome = trainer.trainRound(model, global, normalizedTraining, normalization.positiveRate(),
        train.getSeed());
    if (outcome.privacyCost() != null) {
      double spent = ledger.record(outcome.privacyCost()).epsilon();
      log.info("round {}: DP-SGD epsilon spent {} of this bank's ceiling {} at delta {}", task.getRound(),
          String.format("%.4f", spent), ledger.epsilonCeiling(), ledger.delta());
    }
    float[] delta = new float[global.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = outcome.weights()[i] - global[i];
    }
    log.info("round {}: trained {} rows from version {} in {} ms on {}, loss {}", task.getRound(),
        outcome.samples(), train.getGlobalModel().getVersion(), outcome.millis(), model.deviceDescription(),
        String.format("%.5f", outcome.meanLoss()));
    long weight = outcome.samples();
    double loss = Double.isFinite(outcome.meanLoss()) ? outcome.meanLoss() : 0.0;
    lastWork = new Work(outcome.samples(), outcome.millis(), loss);
    boolean clipped = false;
    if (train.getClipNorm() > 0) {
      // Bank-level DP: bound this bank's influence before anything leaves it, and weigh it like every other bank.
      var bounded = L2Clipping.clip(delta, train.getClipNorm());
      delta = bounded.values();
      clipped = bounded.wasClipped();
      weight = 1;
    }
    if (ledger != null) {
      // DP-SGD covers the weights only: the row count (a FedAvg weight) and the training loss would each reveal
      // something of single rows, so they stay inside the bank.
      weight = 1;
      loss = 0.0;
    }
    return new LocalUpdate(delta, weight, loss, outcome.millis(), clipped);
  }

  private TrainResult train(Task task) {
    LocalUpdate update = trainLocally(task, task.getTrain());
    return TrainResult.newBuilder()
        .setDeltaPackedFloat32Le(PackedFloats.pack(update.delta()))
        .setSampleCount(update.samples())
        .setTrainLoss(update.loss())
        .setTrainingMillis(update.millis())
        .setDevice(model.deviceDescription())
        .setSampleEpsilonSpent(sampleEpsilonSpent())
        .build();
  }

  private java.util.Optional<SecAggResult> secureStage(Task task) {
    var secagg = task.getSecagg();
    if (secagg.hasTrainAndAdvertise()) {
      LocalUpdate update = trainLocally(task, secagg.getTrainAndAdvertise());
      float[] contribution = update.delta();
      if (adaptiveClipBit(plan)) {
        contribution = java.util.Arrays.copyOf(contribution, contribution.length + 1);
        contribution[contribution.length - 1] = update.clipped() ? 0f : 1f;
      }
      var keys = secure.start(task.getRunId(), task.getRound(), secagg.getSetup(), contribution, update.samples(),
          secagg.getTrainAndAdvertise().getSeed() ^ 0x5EC0A66L);
      return java.util.Optional.of(SecAggResult.newBuilder().setAdvertiseKeys(keys).setTrainLoss(update.loss())
          .setTrainingMillis(update.millis()).setDevice(model.deviceDescription())
          .setSampleEpsilonSpent(sampleEpsilonSpent()).build());
    }
    return secure.onStage(task.getRunId(), task.getRound(), secagg);
  }

  private EvaluateResult evaluate(Task task) {
    var evaluate = task.getEvaluate();
    float[] weights = weights(evaluate.getModel());
    normalization(evaluate.getNormalization());
    model.setWeights(weights);
    ExampleEvaluator evaluator = trainer.evaluate(model, normalizedHoldout);
    var confusion = evaluator.confusion();
    EvaluateResult.Builder result = EvaluateResult.newBuilder()
        .setTruePositives(confusion.truePositives()).setFalsePositives(confusion.falsePositives())
        .setTrueNegatives(confusion.trueNegatives()).setFalseNegatives(confusion.falseNegatives())
        .setLossSum(evaluator.lossSum());
    for (long count : evaluator.histogram().positiveCounts()) {
      result.addPositiveBins(count);
    }
    for (long count : evaluator.histogram().negativeCounts()) {
      result.addNegativeBins(count);
    }
    log.info("round {}: evaluated version {} on {} holdout rows", task.getRound(), evaluate.getModel().getVersion(),
        normalizedHoldout.rows());
    lastWork = new Work(normalizedHoldout.rows(), 0, null);
    return result.build();
  }

  private float[] weights(ModelWeights message) {
    if (message.getParameterCount() != parameterCount) {
      throw new IllegalArgumentException("model has %d parameters, the plan's layout %d"
          .formatted(message.getParameterCount(), parameterCount));
    }
    return PackedFloats.unpackFinite(message.getPackedFloat32Le(), parameterCount, "global model");
  }

  private Normalization normalization(org.comity.proto.v1.Normalization message) {
    Normalization normalization = new Normalization(
        toArray(message.getMeanList()), toArray(message.getStdList()), message.getPositiveRate());
    if (normalization.columns() != plan.inputWidth()) {
      throw new IllegalArgumentException("normalisation has %d columns, the plan %d"
          .formatted(normalization.columns(), plan.inputWidth()));
    }
    if (!normalization.equals(cachedNormalization)) {
      cachedNormalization = normalization;
      normalizedTraining = Normalize.apply(data.training(), normalization);
      normalizedHoldout = Normalize.apply(data.holdout(), normalization);
    }
    return normalization;
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
