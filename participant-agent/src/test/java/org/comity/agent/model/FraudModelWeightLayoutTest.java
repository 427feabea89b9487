package org.comity.agent.model;

import static org.comity.agent.model.ModelArchitectureTest.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FraudModelWeightLayoutTest {

  private static final ModelArchitecture TWO_TWO_ONE =
      new ModelArchitecture(2, List.of(2), 0.3, Activation.RELU);

  @Test
  void setWeights_thenWeights_roundTripsExactly() {
    // given
    ModelArchitecture architecture = ModelArchitecture.defaults(30);
    float[] flat = new float[architecture.parameterCount()];
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (float) random.nextGaussian();
    }
    try (FraudModel model = cpuModel(architecture, 1)) {
      // when
      model.setWeights(flat);

      // then
      assertArrayEquals(flat, model.weights());
    }
  }

  @Test
  void predictProbabilities_handMadeTwoTwoOneNetwork_matchesHandComputation() {
    // given: kernels row-major [inputs x outputs]
    // W0 = [[1, -1], [0.5, 2]], b0 = [0.5, -4], W1 = [[0.4], [3]], b1 = [-0.5]
    float[] flat = {1f, -1f, 0.5f, 2f, 0.5f, -4f, 0.4f, 3f, -0.5f};
    float[] rows = {1f, 2f, -1f, 0.5f};
    try (FraudModel model = cpuModel(TWO_TWO_ONE, 1)) {
      model.setWeights(flat);

      // when
      float[] probabilities = model.predictProbabilities(rows, 2);

      // then
      // row 0: h = relu([1*1 + 2*0.5 + 0.5, 1*-1 + 2*2 - 4]) = [2.5, 0]; z = 2.5*0.4 + 0*3 - 0.5 = 0.5
      // row 1: h = relu([-1 + 0.25 + 0.5, 1 + 1 - 4]) = [0, 0]; z = -0.5
      // (a column-major reading would give z = 1.0 for row 0)
      assertEquals(sigmoid(0.5), probabilities[0], 1e-6);
      assertEquals(sigmoid(-0.5), probabilities[1], 1e-6);
    }
  }

  @Test
  void create_initialWeights_areSymmetricGlorotKernelsAndZeroBiases() {
    // given
    ModelArchitecture architecture = new ModelArchitecture(30, List.of(128), 0.0, Activation.RELU);
    double limit = Math.sqrt(6.0 / (30 + 128));
    try (FraudModel model = cpuModel(architecture, 5)) {
      // when
      float[] flat = model.weights();

      // then
      int kernel = 30 * 128;
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (int i = 0; i < kernel; i++) {
        min = Math.min(min, flat[i]);
        max = Math.max(max, flat[i]);
      }
      assertEquals(-limit, min, 0.02 * limit, "kernel reaches the negative limit");
      assertEquals(limit, max, 0.02 * limit, "kernel reaches the positive limit");
      for (int i = kernel; i < kernel + 128; i++) {
        assertEquals(0f, flat[i], "bias " + (i - kernel));
      }
      assertArrayEquals(GlorotUniformInitializer.initialWeights(architecture, 5), flat);
    }
  }

  @Test
  void setWeights_wrongLengthOrNonFinite_isRejectedAndWeightsStayUnchanged() {
    try (FraudModel model = cpuModel(TWO_TWO_ONE, 1)) {
      // given
      float[] before = model.weights();
      float[] withNaN = before.clone();
      withNaN[4] = Float.NaN;
      float[] withInfinity = before.clone();
      withInfinity[0] = Float.NEGATIVE_INFINITY;

      // when / then
      assertMessageContains("weights has 8 values but this architecture has 9 parameters",
          () -> model.setWeights(new float[8]));
      assertMessageContains("weight at flat index 4 is NaN or infinite", () -> model.setWeights(withNaN));
      assertMessageContains("weight at flat index 0 is NaN or infinite", () -> model.setWeights(withInfinity));
      assertMessageContains("weights must not be null", () -> model.setWeights(null));
      assertArrayEquals(before, model.weights());
    }
  }

  static FraudModel cpuModel(ModelArchitecture architecture, long seed) {
    return FraudModel.create(
        architecture, TrainingHyperparameters.of(0.01, 32), DeviceSelection.cpu(), new SessionThreads(1, 1), seed);
  }

  private static float sigmoid(double z) {
    return (float) (1.0 / (1.0 + Math.exp(-z)));
  }
}
