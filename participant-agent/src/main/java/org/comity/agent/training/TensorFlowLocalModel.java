package org.comity.agent.training;

import org.comity.agent.model.Activation;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.DpSgdSettings;
import org.comity.agent.model.NoiseSeeds;
import org.comity.agent.model.PrivateEpochResult;
import org.comity.agent.model.FraudModel;
import org.comity.agent.model.ModelArchitecture;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.model.TrainingHyperparameters;
import org.comity.plan.FederationPlan;

/** The plan's network trained with TensorFlow Java: {@link LocalModel} over {@link FraudModel}. */
public final class TensorFlowLocalModel implements LocalModel {
  private final FraudModel model;
  /** The bank's secret source of DP-SGD sampling and noise. */
  private final NoiseSeeds noise = NoiseSeeds.secure();

  private TensorFlowLocalModel(FraudModel model) {
    this.model = model;
  }

  /**
   * A factory for the plan's model on {@code device} with the given session threads.
   *
   * @param device "cpu", "gpu", "gpu:N" or "auto"
   */
  public static LocalModelFactory factory(DeviceSelection device, SessionThreads threads) {
    return (plan, seed) -> new TensorFlowLocalModel(FraudModel.create(architecture(plan), hyperparameters(plan),
        device, threads, seed));
  }

  /** The TensorFlow architecture of a plan's model. */
  public static ModelArchitecture architecture(FederationPlan plan) {
    return new ModelArchitecture(plan.inputWidth(), plan.model().hiddenUnits(), plan.model().dropout(),
        Activation.parse(plan.model().activation().name()));
  }

  private static TrainingHyperparameters hyperparameters(FederationPlan plan) {
    return TrainingHyperparameters.of(plan.training().learningRate(), plan.training().batchSize());
  }

  @Override
  public void setWeights(float[] weights) {
    model.setWeights(weights);
  }

  @Override
  public float[] weights() {
    return model.weights();
  }

  @Override
  public void resetOptimizerState() {
    model.resetOptimizerState();
  }

  @Override
  public double trainEpoch(float[] featuresRowMajor, float[] labels, int rows, float positiveClassWeight,
      long shuffleSeed) {
    return model.trainEpoch(featuresRowMajor, labels, rows, positiveClassWeight, shuffleSeed).meanLoss();
  }

  @Override
  public PrivateEpochResult trainEpochPrivately(float[] featuresRowMajor, float[] labels, int rows,
      float positiveClassWeight, DpSgdSettings settings) {
    return model.trainEpochPrivately(featuresRowMajor, labels, rows, positiveClassWeight, settings, noise);
  }

  @Override
  public float[] predictProbabilities(float[] featuresRowMajor, int rows) {
    return model.predictProbabilities(featuresRowMajor, rows);
  }

  @Override
  public String deviceDescription() {
    return model.deviceDescription();
  }

  @Override
  public void close() {
    model.close();
  }
}
