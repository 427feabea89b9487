package org.comity.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the loss and the optimizer to their formulas: two full-batch steps on a 2-2-1 ReLU network (no dropout)
 * against a plain-Java double-precision reference of weighted cross-entropy backpropagation and Adam.
 */
class ReferenceAdamTest {

  private static final ModelArchitecture TWO_TWO_ONE = new ModelArchitecture(2, List.of(2), 0.0, Activation.RELU);
  private static final double LEARNING_RATE = 0.05;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-7;
  private static final float POSITIVE_WEIGHT = 3f;

  @Test
  void trainEpoch_twoFullBatchSteps_matchJavaReferenceOfWeightedBceAndAdam() {
    // given
    float[] start = {1f, -1f, 0.5f, 2f, 0.5f, 0.25f, 0.4f, -0.3f, -0.5f};
    float[] features = {1f, 2f, -1f, 0.5f, 0.3f, -0.7f, 2f, 1f};
    float[] labels = {1f, 0f, 1f, 0f};
    double[] reference = toDouble(start);
    double[] firstMoment = new double[start.length];
    double[] secondMoment = new double[start.length];
    try (FraudModel model =
        FraudModel.create(TWO_TWO_ONE, new TrainingHyperparameters(LEARNING_RATE, 4, BETA1, BETA2, EPSILON),
            DeviceSelection.cpu(), new SessionThreads(1, 1), 0)) {
      model.setWeights(start);

      for (int step = 1; step <= 2; step++) {
        // when
        EpochResult result = model.trainEpoch(features, labels, 4, POSITIVE_WEIGHT, step);

        // then
        double[] gradient = new double[start.length];
        double loss = lossAndGradient(reference, features, labels, gradient);
        assertEquals(loss, result.meanLoss(), 1e-6, "loss before step " + step);
        adamStep(reference, gradient, firstMoment, secondMoment, step);
        float[] actual = model.weights();
        for (int i = 0; i < actual.length; i++) {
          assertEquals(reference[i], actual[i], 1e-5, "weight " + i + " after step " + step);
        }
      }
    }
  }

  /** Mean weighted BCE over rows; fills the gradient in the flat layout. */
  private static double lossAndGradient(double[] w, float[] x, float[] y, double[] gradient) {
    int rows = y.length;
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      double x0 = x[2 * r];
      double x1 = x[2 * r + 1];
      double pre0 = x0 * w[0] + x1 * w[2] + w[4];
      double pre1 = x0 * w[1] + x1 * w[3] + w[5];
      double h0 = Math.max(0, pre0);
      double h1 = Math.max(0, pre1);
      double z = h0 * w[6] + h1 * w[7] + w[8];
      double rowWeight = 1 + (POSITIVE_WEIGHT - 1) * y[r];
      loss += rowWeight * (Math.max(0, z) - z * y[r] + Math.log1p(Math.exp(-Math.abs(z)))) / rows;
      double dz = rowWeight * (1 / (1 + Math.exp(-z)) - y[r]) / rows;
      gradient[6] += dz * h0;
      gradient[7] += dz * h1;
      gradient[8] += dz;
      double dPre0 = pre0 > 0 ? dz * w[6] : 0;
      double dPre1 = pre1 > 0 ? dz * w[7] : 0;
      gradient[0] += dPre0 * x0;
      gradient[1] += dPre1 * x0;
      gradient[2] += dPre0 * x1;
      gradient[3] += dPre1 * x1;
      gradient[4] += dPre0;
      gradient[5] += dPre1;
    }
    return loss;
  }

  /** TensorFlow's ApplyAdam at step t. */
  private static void adamStep(double[] w, double[] g, double[] m, double[] v, int t) {
    double stepSize = LEARNING_RATE * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
    for (int i = 0; i < w.length; i++) {
      m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
      v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
      w[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + EPSILON);
    }
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
