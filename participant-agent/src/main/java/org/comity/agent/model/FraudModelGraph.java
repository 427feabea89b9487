package org.comity.agent.model;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The complete training graph: inputs, network, loss, gated Adam, weight read/write. Holds op handles only; owns no
 * native resource (the {@link Graph} is owned by {@link FraudModel}).
 *
 * <p>Every op built here goes through one {@link Ops} carrying the training device, so placement is uniform.
 */
final class FraudModelGraph {

  final Placeholder<TFloat32> features;
  final Placeholder<TFloat32> labels;
  final Placeholder<TFloat32> positiveClassWeight;
  /** {@code int64 [hiddenLayers, 2]}; null when the network has no dropout. */
  final Placeholder<TInt64> dropoutSeeds;
  final Placeholder<TFloat32> newWeights;
  final Operand<TFloat32> trainingLoss;
  /** float32 {@code [rows, 1]}, the serving export's output shape. */
  final Operand<TFloat32> probabilities;
  final Operand<TFloat32> currentWeights;
  final Op trainStep;
  final Op assignWeights;
  final Op resetOptimizer;
  // --- DP-SGD (sample-level DP): the private gradient and its Adam step, sharing variables and Adam state ---
  final DpSgdGraph dpSgd;
  final Op dpSgdTrainStep;

  private FraudModelGraph(Graph graph, Ops tf, ModelArchitecture architecture, TrainingHyperparameters hyper) {
    DenseNetworkGraph network = DenseNetworkGraph.createVariables(tf, architecture);
    features =
        tf.withName("features")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, architecture.inputWidth())));
    labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    positiveClassWeight =
        tf.withName("positive_class_weight").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    dropoutSeeds =
        network.usesDropout()
            ? tf.withName("dropout_seeds")
                .placeholder(
                    TInt64.class, Placeholder.shape(Shape.of(architecture.hiddenUnits().size(), 2)))
            : null;
    newWeights =
        tf.withName("new_weights")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(architecture.parameterCount())));

    Operand<TFloat32> trainingLogits = network.trainingLogits(tf, features, dropoutSeeds);
    trainingLoss = WeightedBinaryCrossEntropy.meanLoss(tf, trainingLogits, labels, positiveClassWeight);
    GatedAdamOptimizer adam =
        GatedAdamOptimizer.minimize(graph, tf, trainingLoss, network.variables(), hyper);
    trainStep = adam.step();
    resetOptimizer = adam.reset();
    dpSgd = DpSgdGraph.build(graph, tf, network, features, labels, positiveClassWeight, dropoutSeeds);
    dpSgdTrainStep = adam.additionalStep(tf, dpSgd.privateGradients, "dpsgd_adam_step");

    // Shaped [-1, 1] exactly as the coordinator's serving export ends (Reshape [-1] -> Sigmoid -> Reshape [-1, 1]):
    // graph optimisation fuses the sigmoid differently when a reshape follows it, which changes the last bit of
    // some scores, and the agent's evaluation must score exactly as a served export does.
    probabilities = tf.withName("fraud_probability")
        .reshape(tf.math.sigmoid(network.inferenceLogits(tf, features)), tf.array(-1, 1));
    currentWeights = network.flatWeights(tf);
    assignWeights = network.assignFromFlat(tf, newWeights);
  }

  static FraudModelGraph build(
      Graph graph, TrainingDevice device, ModelArchitecture architecture, TrainingHyperparameters hyper) {
    Ops tf = Ops.create(graph).withDevice(device.placement());
    return new FraudModelGraph(graph, tf, architecture, hyper);
  }
}
