package org.comity.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelArchitectureTest {

  @Test
  void parameterCount_defaultNetworkOn30Inputs_is14337() {
    // given
    ModelArchitecture architecture = ModelArchitecture.defaults(30);

    // when
    int count = architecture.parameterCount();

    // then: 30*128+128 + 128*64+64 + 64*32+32 + 32*1+1
    assertEquals(14_337, count);
  }

  @Test
  void layers_listHiddenLayersThenOneOutputUnit() {
    // given
    ModelArchitecture architecture = new ModelArchitecture(5, List.of(4, 3), 0.0, Activation.TANH);

    // when
    List<DenseLayerShape> layers = architecture.layers();

    // then
    assertEquals(
        List.of(new DenseLayerShape(5, 4), new DenseLayerShape(4, 3), new DenseLayerShape(3, 1)), layers);
    assertEquals(5 * 4 + 4 + 4 * 3 + 3 + 3 + 1, architecture.parameterCount());
  }

  @Test
  void constructor_noHiddenLayers_isLogisticRegression() {
    // when
    ModelArchitecture architecture = new ModelArchitecture(7, List.of(), 0.0, Activation.RELU);

    // then
    assertEquals(8, architecture.parameterCount());
  }

  @Test
  void constructor_copiesHiddenUnits_soLaterChangesDoNotLeakIn() {
    // given
    List<Integer> units = new ArrayList<>(List.of(8, 4));
    ModelArchitecture architecture = new ModelArchitecture(3, units, 0.3, Activation.ELU);

    // when
    units.add(2);

    // then
    assertEquals(List.of(8, 4), architecture.hiddenUnits());
  }

  @Test
  void constructor_invalidValues_areRejectedWithTheOffendingValue() {
    assertMessageContains("inputWidth must be >= 1, got 0",
        () -> new ModelArchitecture(0, List.of(4), 0.3, Activation.RELU));
    assertMessageContains("hiddenUnits[1] must be >= 1, got 0",
        () -> new ModelArchitecture(3, List.of(4, 0), 0.3, Activation.RELU));
    assertMessageContains("dropoutRate must be in [0, 1), got 1.0",
        () -> new ModelArchitecture(3, List.of(4), 1.0, Activation.RELU));
    assertMessageContains("dropoutRate must be in [0, 1), got -0.1",
        () -> new ModelArchitecture(3, List.of(4), -0.1, Activation.RELU));
    assertMessageContains("dropoutRate must be in [0, 1), got NaN",
        () -> new ModelArchitecture(3, List.of(4), Double.NaN, Activation.RELU));
    assertMessageContains("activation must not be null",
        () -> new ModelArchitecture(3, List.of(4), 0.3, null));
    assertMessageContains("parameters; at most",
        () -> new ModelArchitecture(100_000, List.of(100_000), 0.3, Activation.RELU));
  }

  @Test
  void activationParse_acceptsConfigNamesAndRejectsOthers() {
    assertEquals(Activation.LEAKY_RELU, Activation.parse("Leaky-ReLU"));
    assertEquals(Activation.ELU, Activation.parse(" elu "));
    assertMessageContains("unknown activation 'gelu'; allowed: relu, tanh, elu, leaky_relu",
        () -> Activation.parse("gelu"));
  }

  @Test
  void trainingHyperparameters_invalidValues_areRejected() {
    assertMessageContains("batchSize must be >= 1, got 0", () -> TrainingHyperparameters.of(1e-3, 0));
    assertMessageContains("learningRate must be finite and > 0, got 0.0", () -> TrainingHyperparameters.of(0, 32));
    assertMessageContains("learningRate must be finite and > 0, got NaN",
        () -> TrainingHyperparameters.of(Double.NaN, 32));
    assertMessageContains("beta1 must be in [0, 1), got 1.0",
        () -> new TrainingHyperparameters(1e-3, 32, 1.0, 0.999, 1e-7));
    assertMessageContains("epsilon must be finite and > 0, got 0.0",
        () -> new TrainingHyperparameters(1e-3, 32, 0.9, 0.999, 0.0));
  }

  static void assertMessageContains(String expected, Runnable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
  }
}
