package org.comity.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.comity.agent.data.BankDataset;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.model.DpSgdSettings;
import org.comity.agent.model.PrivateEpochResult;
import org.comity.agent.training.LocalModel;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.comity.proto.v1.ModelWeights;
import org.comity.proto.v1.Normalization;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.Task;
import org.comity.proto.v1.TrainTask;
import org.comity.wire.PackedFloats;
import org.junit.jupiter.api.Test;

/** A coordinator that restarted asks again for a round's update: the bank resends it instead of training twice. */
class TaskExecutorResendTest {
  private static final String PLAN = "label: y\nfeatures: [{name: a}, {name: b}]\nmodel: {hidden_units: [2]}\n";

  @Test
  void sameTrainingTaskAskedAgain_resendsTheKeptUpdate_withoutTrainingAgain() throws Exception {
    FederationPlan plan = PlanLoader.parse(PLAN, "t");
    CountingModel model = new CountingModel(plan.modelLayout().parameterCount());
    TaskExecutor executor = new TaskExecutor("bank-a", plan, data(), model);
    Task first = trainTask(plan, "run-1/r2.1/train/bank-a", 2, 7L);
    SubmitResultRequest sent = executor.execute(first);
    int epochs = model.epochs;
    // when: the restarted coordinator sends the same round's task again
    SubmitResultRequest resent = executor.execute(trainTask(plan, "run-1/r2.1/train/bank-a", 2, 7L));
    // then
    assertEquals(sent.getTrain().getDeltaPackedFloat32Le(), resent.getTrain().getDeltaPackedFloat32Le());
    assertEquals(sent.getTrain().getSampleCount(), resent.getTrain().getSampleCount());
    assertEquals(epochs, model.epochs, "no epoch trained for the resend");
    assertEquals(1, executor.trainingsRun());
  }

  @Test
  void anotherRoundOrAnotherSeed_trainsAgain() throws Exception {
    FederationPlan plan = PlanLoader.parse(PLAN, "t");
    CountingModel model = new CountingModel(plan.modelLayout().parameterCount());
    TaskExecutor executor = new TaskExecutor("bank-a", plan, data(), model);
    executor.execute(trainTask(plan, "t1", 2, 7L));
    int afterOne = model.epochs;
    executor.execute(trainTask(plan, "t2", 3, 7L));
    executor.execute(trainTask(plan, "t3", 3, 8L));
    assertEquals(3, executor.trainingsRun());
    assertEquals(3 * afterOne, model.epochs, "every new task trained its epochs");
  }

  private static Task trainTask(FederationPlan plan, String taskId, int round, long seed) {
    int n = plan.modelLayout().parameterCount();
    return Task.newBuilder().setTaskId(taskId).setRunId("run-1").setRound(round)
        .setTrain(TrainTask.newBuilder().setSeed(seed)
            .setGlobalModel(ModelWeights.newBuilder().setVersion(round - 1).setParameterCount(n)
                .setPackedFloat32Le(PackedFloats.pack(new float[n])))
            .setNormalization(Normalization.newBuilder().addMean(0).addMean(0).addStd(1).addStd(1)
                .setPositiveRate(0.5)))
        .build();
  }

  private static HoldoutSplit data() {
    int rows = 40;
    float[] x = new float[rows * 2];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = -i;
      y[i] = i % 2;
    }
    return HoldoutSplit.of(new BankDataset(x, y, rows, 2), 0.25, 1);
  }

  /** A model whose epoch moves every weight by a seed-dependent step, and that counts its epochs. */
  private static final class CountingModel implements LocalModel {
    private float[] weights;
    int epochs;

    CountingModel(int parameters) {
      weights = new float[parameters];
    }

    @Override
    public void setWeights(float[] weights) {
      this.weights = weights.clone();
    }

    @Override
    public float[] weights() {
      return weights.clone();
    }

    @Override
    public void resetOptimizerState() {}

    @Override
    public double trainEpoch(float[] x, float[] y, int rows, float positiveClassWeight, long shuffleSeed) {
      epochs++;
      for (int i = 0; i < weights.length; i++) {
        weights[i] += (shuffleSeed % 13) * 0.001f + 0.01f;
      }
      return 0.5;
    }

    @Override
    public PrivateEpochResult trainEpochPrivately(float[] x, float[] y, int rows, float positiveClassWeight,
        DpSgdSettings settings) {
      throw new UnsupportedOperationException("not used: the plan has no DP-SGD");
    }

    @Override
    public float[] predictProbabilities(float[] x, int rows) {
      return new float[rows];
    }

    @Override
    public String deviceDescription() {
      return "test";
    }

    @Override
    public void close() {}
  }
}
