package org.comity.aggregation.fedavg;

/**
 * Streaming FedAvg: accumulates the sample-weighted sum of model updates as they arrive, so memory is a few
 * vectors of the model's size however many banks take part (no per-bank update is kept).
 *
 * <p>Why fixed point: updates arrive in whatever order the network delivers them, and floating-point addition
 * is not associative, so a float or double sum would make the new global model depend on arrival order and a
 * seeded run would not reproduce. Each weighted value {@code weight * update} is rounded once to a multiple of
 * 2^-20 and summed exactly in a 125-bit integer (a carry word plus a 61-bit low word per coordinate), so the sum
 * is the same in every order. The rounding error of the weighted mean is at most {@code n * 2^-21 / totalWeight}
 * per coordinate for n updates. A weighted value beyond 2^42 in magnitude (an update of 4,000 with a billion
 * samples) is refused as implausible. Not thread-safe: the round engine owns it under its lock.
 */
public final class WeightedUpdateAccumulator {
  private static final double SCALE = 0x1p20;
  private static final double MAX_WEIGHTED_VALUE = 0x1p42;
  private static final int LOW_BITS = 61;

  private final long[] low;
  private final long[] carries;
  private double totalWeight;
  private int updates;

  /** An empty accumulator for updates of {@code parameterCount} values. */
  public WeightedUpdateAccumulator(int parameterCount) {
    if (parameterCount < 1) {
      throw new IllegalArgumentException("parameterCount must be >= 1, got " + parameterCount);
    }
    this.low = new long[parameterCount];
    this.carries = new long[parameterCount];
  }

  /**
   * Adds one bank's update with its weight (its training sample count).
   *
   * @throws IllegalArgumentException if the length differs from the model's, the weight is not positive and
   *     finite, or a value is not finite; the accumulator is then unchanged
   */
  public void add(float[] update, double weight) {
    if (update.length != low.length) {
      throw new IllegalArgumentException(
          "update has %d values, the model has %d".formatted(update.length, low.length));
    }
    if (!(weight > 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("update weight must be positive and finite, got " + weight);
    }
    for (int i = 0; i < update.length; i++) {
      if (!Float.isFinite(update[i])) {
        throw new IllegalArgumentException("update value %d is %s".formatted(i, update[i]));
      }
      if (Math.abs(weight * update[i]) > MAX_WEIGHTED_VALUE) {
        throw new IllegalArgumentException("update value %d is %s with weight %s: implausibly large"
            .formatted(i, update[i], weight));
      }
    }
    for (int i = 0; i < update.length; i++) {
      long sum = low[i] + Math.round(weight * update[i] * SCALE);
      long carry = sum >> LOW_BITS;
      low[i] = sum - (carry << LOW_BITS);
      carries[i] += carry;
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
    float[] mean = new float[low.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) (weightedSum(i) / totalWeight);
    }
    return mean;
  }

  /**
   * The next global model: {@code global + serverLearningRate * weightedMean}. With rate 1 this is plain FedAvg
   * (the weighted mean of the banks' local models).
   */
  public float[] applyTo(float[] global, double serverLearningRate) {
    if (global.length != low.length) {
      throw new IllegalArgumentException(
          "global model has %d values, updates have %d".formatted(global.length, low.length));
    }
    if (updates == 0) {
      throw new IllegalStateException("no update was added");
    }
    float[] next = new float[global.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = (float) (global[i] + serverLearningRate * (weightedSum(i) / totalWeight));
    }
    return next;
  }

  /** The exact fixed-point sum of coordinate i as a double. */
  private double weightedSum(int i) {
    return (carries[i] * 0x1p61 + low[i]) / SCALE;
  }
}
