package org.comity.agent.training;

import org.comity.agent.model.DpSgdSettings;
import org.comity.agent.model.PrivateEpochResult;

/**
 * The model a bank trains locally, as the agent sees it: flat weights in the plan's layout in and out, epochs of
 * training on normalised rows, probabilities out. The TensorFlow implementation is {@link TensorFlowLocalModel}.
 * Not thread-safe.
 */
public interface LocalModel extends AutoCloseable {
  /** Loads weights in the plan's layout. */
  void setWeights(float[] weights);

  /** The current weights in the plan's layout. */
  float[] weights();

  /** Resets the optimizer's moments, so each round's local training starts from the same optimizer state. */
  void resetOptimizerState();

  /**
   * One pass over the rows in minibatches, shuffled with {@code shuffleSeed}.
   *
   * @return the mean class-weighted loss over the epoch
   */
  double trainEpoch(float[] featuresRowMajor, float[] labels, int rows, float positiveClassWeight, long shuffleSeed);

  /**
   * One epoch of DP-SGD (Poisson-sampled batches, per-example clipping, Gaussian noise); sampling, noise and dropout
   * masks all come from the bank's secret randomness.
   *
   * @return the epoch's loss (kept inside the bank: not private) and its privacy cost
   */
  PrivateEpochResult trainEpochPrivately(float[] featuresRowMajor, float[] labels, int rows, float positiveClassWeight,
      DpSgdSettings settings);

  /** Fraud probabilities for normalised rows (inference path: no dropout). */
  float[] predictProbabilities(float[] featuresRowMajor, int rows);

  /** Which device trains, e.g. "CPU" or "GPU:0". */
  String deviceDescription();

  @Override
  void close();
}
