package org.comity.aggregation.fedavg;

/**
 * Streaming FedAvg: accumulates the sample-weighted sum of model updates as they arrive, so memory is one
 * vector of the model's size however many banks take part (no per-bank update is kept).
 *
 * <p>Sums are kept in double precision: float accumulation over thousands of banks would lose the low bits of
 * small updates. Not thread-safe: the round engine owns it under its lock.
 */
public final class WeightedUpdateAccumulator {
  private final double[] weightedSum;
  private double totalWeight;
  private int updates;

  /** An empty accumulator for updates of {@code parameterCount} values. */
  public WeightedUpdateAccumulator(int parameterCount) {
    if (parameterCount < 1) {
      throw new IllegalArgumentException("parameterCount must be >= 1, got " + parameterCount);
    }
    this.weightedSum = new double[parameterCount];
  }

  /**
   * Adds one bank's update with its weight (its training sample count).
   *
   * @throws IllegalArgumentException if the length differs from the model's, the weight is not positive and
   *     finite, or a value is not finite; the accumulator is then unchanged
   */
  public void add(float[] update, double weight) {
    if (update.length != weightedSum.length) {
      throw new IllegalArgumentException(
          "update has %d values, the model has %d".formatted(update.length, weightedSum.length));
    }
    if (!(weight > 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("update weight must be positive and finite, got " + weight);
    }
    for (int i = 0; i < update.length; i++) {
      if (!Float.isFinite(update[i])) {
        throw new IllegalArgumentException("update value %d is %s".formatted(i, update[i]));
      }
    }
    for (int i = 0; i < update.length; i++) {
      weightedSum[i] += weight * update[i];
    }
    totalWeight += weight;
    updates++;
  }

  /** Number of updates added. */
  public int updates() {
    return updates;
  }

  /** Sum of the weights added. */
  public double totalWeight() {
    return totalWeight;
  }

  /** The weighted mean of the updates added. */
  public float[] weightedMean() {
    if (updates == 0) {
      throw new IllegalStateException("no update was added");
    }
    float[] mean = new float[weightedSum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) (weightedSum[i] / totalWeight);
    }
    return mean;
  }

  /**
   * The next global model: {@code global + serverLearningRate * weightedMean}. With rate 1 this is plain FedAvg
   * (the weighted mean of the banks' local models).
   */
  public float[] applyTo(float[] global, double serverLearningRate) {
    if (global.length != weightedSum.length) {
      throw new IllegalArgumentException(
          "global model has %d values, updates have %d".formatted(global.length, weightedSum.length));
    }
    if (updates == 0) {
      throw new IllegalStateException("no update was added");
    }
    float[] next = new float[global.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = (float) (global[i] + serverLearningRate * (weightedSum[i] / totalWeight));
    }
    return next;
  }
}
