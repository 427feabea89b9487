package org.comity.agent.model;

/**
 * Local-training settings of one bank's agent.
 *
 * <p>Adam follows Kingma and Ba as implemented by TensorFlow's {@code ApplyAdam}:
 * {@code lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)}, {@code m = beta1 m + (1 - beta1) g},
 * {@code v = beta2 v + (1 - beta2) g^2}, {@code w -= lr_t m / (sqrt(v) + epsilon)}. The default epsilon is
 * {@code 1e-7}, the Keras default, so results are comparable with a Keras reference model of the same shape
 * (the original paper uses 1e-8; with lr 1e-3 the difference is negligible once {@code v} has warmed up).
 *
 * @param learningRate Adam step size, finite and {@code > 0}
 * @param batchSize rows per optimizer step, {@code >= 1}; the last batch of an epoch may be smaller
 * @param beta1 first-moment decay, in {@code [0, 1)}
 * @param beta2 second-moment decay, in {@code [0, 1)}
 * @param epsilon denominator guard, finite and {@code > 0}
 */
public record TrainingHyperparameters(
    double learningRate, int batchSize, double beta1, double beta2, double epsilon) {

  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  public static final int DEFAULT_BATCH_SIZE = 256;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  public TrainingHyperparameters {
    if (!(learningRate > 0.0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    if (!(beta1 >= 0.0 && beta1 < 1.0)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0.0 && beta2 < 1.0)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    if (!(epsilon > 0.0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
    }
  }

  /** Adam with the default betas and epsilon. */
  public static TrainingHyperparameters of(double learningRate, int batchSize) {
    return new TrainingHyperparameters(learningRate, batchSize, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  /** Learning rate 1e-3, batch 256, beta1 0.9, beta2 0.999, epsilon 1e-7. */
  public static TrainingHyperparameters defaults() {
    return of(DEFAULT_LEARNING_RATE, DEFAULT_BATCH_SIZE);
  }
}
