package org.comity.coordinator.export;

import java.util.ArrayList;
import java.util.List;
import org.comity.plan.FederationPlan;
import org.comity.plan.FeatureSpec;
import org.comity.plan.FeatureType;
import org.comity.plan.ModelLayout;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * The inference-only serving graph of a plan's model: raw features in, fraud probability out. No optimizer, no
 * dropout, no labels. Holds op handles only; the {@link Graph} belongs to the caller.
 *
 * <p>Pipeline, per row: the input checks (a NaN in a {@code missing: reject} feature, or a categorical cell that is
 * not a category index, fails the request with a message naming the feature, unquoted because TensorFlow escapes
 * quotes in assertion messages); one-hot encoding of categorical
 * indices; the plan's missing-value policy; the version's normalisation; the dense network; sigmoid.
 *
 * <p><b>Bit-for-bit agreement with the agent.</b> The agent normalises in Java as
 * {@code (float) (((double) x - mean) / std)} with double mean and std, and a NaN (missing, {@code mean} policy)
 * becomes 0. Here the same is done in float64 ops (exact IEEE subtraction and division, round-to-nearest cast back
 * to float32), so normalised inputs are identical. Mean and std are float64 variables (saved in {@code variables/})
 * rather than constants, so graph optimisation cannot fold the division into a multiplication by a reciprocal. The
 * network repeats the agent's inference ops one for one (MatMul, BiasAdd, activation, reshape to {@code [-1]},
 * Sigmoid), with variables of the same names ({@code dense0_kernel}, ...), so it runs the same kernels.
 */
final class ServingGraph {
  /** float32 {@code [-1, features]}: the serving input. */
  final Placeholder<TFloat32> features;
  /** float32 {@code [-1, 1]}: the serving output. */
  final Operand<TFloat32> probability;
  /** float32 {@code [parameterCount]}: fed once to {@link #load} before the export. */
  final Placeholder<TFloat32> newWeights;
  /** float64 {@code [inputWidth]} each: fed once to {@link #load} before the export. */
  final Placeholder<TFloat64> newMean;
  final Placeholder<TFloat64> newStd;
  /** Writes the weights and the normalisation from the three placeholders. */
  final Op load;

  private ServingGraph(Ops tf, FederationPlan plan) {
    int featureCount = plan.features().size();
    int inputWidth = plan.inputWidth();
    ModelLayout layout = plan.modelLayout();

    features = tf.withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, featureCount)));
    List<Op> checks = new ArrayList<>();
    for (int f = 0; f < featureCount; f++) {
      checks.addAll(inputChecks(tf, plan.features().get(f), column(tf, features, f)));
    }
    Operand<TFloat32> checked = tf.withControlDependencies(checks).withName("checked_features").identity(features);

    List<Operand<TFloat32>> modelColumns = new ArrayList<>();
    for (int f = 0; f < featureCount; f++) {
      modelColumns.add(encode(tf, plan.features().get(f), column(tf, checked, f)));
    }
    Operand<TFloat32> modelInputs = tf.withName("model_inputs").concat(modelColumns, tf.constant(1));

    Variable<TFloat64> mean = tf.withName("normalization_mean")
        .variable(tf.zeros(tf.array(inputWidth), TFloat64.class));
    Variable<TFloat64> std = tf.withName("normalization_std")
        .variable(tf.fill(tf.array(inputWidth), tf.constant(1.0)));
    Operand<TFloat32> normalised = normalise(tf, modelInputs, mean, std);

    List<Variable<TFloat32>> kernels = new ArrayList<>();
    List<Variable<TFloat32>> biases = new ArrayList<>();
    List<ModelLayout.Layer> layers = layout.layers();
    for (int i = 0; i < layers.size(); i++) {
      ModelLayout.Layer layer = layers.get(i);
      kernels.add(tf.withName("dense" + i + "_kernel")
          .variable(tf.zeros(tf.array(layer.inputs(), layer.outputs()), TFloat32.class)));
      biases.add(tf.withName("dense" + i + "_bias").variable(tf.zeros(tf.array(layer.outputs()), TFloat32.class)));
    }
    Operand<TFloat32> activations = normalised;
    int hidden = layers.size() - 1;
    for (int i = 0; i < hidden; i++) {
      activations = activate(tf, plan, tf.nn.biasAdd(tf.linalg.matMul(activations, kernels.get(i)), biases.get(i)));
    }
    Operand<TFloat32> logits = tf.reshape(
        tf.nn.biasAdd(tf.linalg.matMul(activations, kernels.get(hidden)), biases.get(hidden)), tf.array(-1));
    probability = tf.withName("fraud_probability")
        .reshape(tf.math.sigmoid(logits), tf.array(-1, 1));

    newWeights = tf.withName("load_weights_values")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(layout.parameterCount())));
    newMean = tf.withName("load_mean_values").placeholder(TFloat64.class, Placeholder.shape(Shape.of(inputWidth)));
    newStd = tf.withName("load_std_values").placeholder(TFloat64.class, Placeholder.shape(Shape.of(inputWidth)));
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      ModelLayout.Layer layer = layers.get(i);
      long kernelSize = (long) layer.inputs() * layer.outputs();
      assigns.add(tf.assign(kernels.get(i), tf.reshape(
          tf.slice(newWeights, tf.array((long) layer.kernelOffset()), tf.array(kernelSize)),
          tf.array((long) layer.inputs(), layer.outputs()))));
      assigns.add(tf.assign(biases.get(i),
          tf.slice(newWeights, tf.array((long) layer.biasOffset()), tf.array((long) layer.outputs()))));
    }
    assigns.add(tf.assign(mean, newMean));
    assigns.add(tf.assign(std, newStd));
    load = tf.withControlDependencies(assigns).withName("load_weights").noOp();
  }

  /** Builds the graph of {@code plan}'s model into {@code graph} (on the default device: serving picks its own). */
  static ServingGraph build(Graph graph, FederationPlan plan) {
    return new ServingGraph(Ops.create(graph), plan);
  }

  /** Column {@code index} of {@code matrix} as {@code [-1, 1]}. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> matrix, int index) {
    return tf.slice(matrix, tf.constant(new int[] {0, index}), tf.constant(new int[] {-1, 1}));
  }

  private static List<Op> inputChecks(Ops tf, FeatureSpec feature, Operand<TFloat32> cell) {
    List<Op> checks = new ArrayList<>();
    Operand<TBool> missing = tf.math.isNan(cell);
    Operand<TInt32> allAxes = tf.constant(new int[] {0, 1});
    if (feature.missing() == org.comity.plan.MissingValuePolicy.REJECT) {
      checks.add(tf.assertThat(tf.reduceAll(tf.math.logicalNot(missing), allAxes), List.of(tf.constant(
          "missing value (NaN) in feature %s, and the plan says missing: reject".formatted(feature.name())))));
    }
    if (feature.type() == FeatureType.CATEGORICAL) {
      Operand<TBool> isIndex = tf.math.logicalAnd(tf.math.equal(cell, tf.math.floor(cell)),
          tf.math.logicalAnd(tf.math.greaterEqual(cell, tf.constant(0f)),
              tf.math.less(cell, tf.constant((float) feature.categories().size()))));
      checks.add(tf.assertThat(tf.reduceAll(tf.math.logicalOr(missing, isIndex), allAxes), List.of(tf.constant(
          ("feature %s must be a category index 0 to %d (positions in the plan's categories %s) or NaN for "
              + "missing").formatted(feature.name(), feature.categories().size() - 1, feature.categories())))));
    }
    return checks;
  }

  /** The feature's model-input columns before normalisation, as the agent's data validator encodes them. */
  private static Operand<TFloat32> encode(Ops tf, FeatureSpec feature, Operand<TFloat32> cell) {
    Operand<TBool> missing = tf.math.isNan(cell);
    if (feature.type() == FeatureType.NUMERIC) {
      // mean: NaN stays NaN and becomes 0 (the global mean) in normalise; zero: 0 before normalisation.
      return feature.missing() == org.comity.plan.MissingValuePolicy.ZERO
          ? tf.select(missing, tf.zerosLike(cell), cell) : cell;
    }
    // A missing category is index -1, which OneHot encodes as all zeros, as the validator does.
    Operand<TInt32> index = tf.reshape(tf.dtypes.cast(
        tf.select(missing, tf.fill(tf.shape(cell), tf.constant(-1f)), cell), TInt32.class), tf.array(-1));
    return tf.oneHot(index, tf.constant(feature.categories().size()), tf.constant(1f), tf.constant(0f));
  }

  private static Operand<TFloat32> normalise(Ops tf, Operand<TFloat32> modelInputs, Operand<TFloat64> mean,
      Operand<TFloat64> std) {
    Operand<TFloat64> wide = tf.dtypes.cast(modelInputs, TFloat64.class);
    Operand<TFloat32> scaled = tf.dtypes.cast(tf.math.div(tf.math.sub(wide, mean), std), TFloat32.class);
    return tf.withName("normalized_inputs")
        .select(tf.math.isNan(modelInputs), tf.zerosLike(scaled), scaled);
  }

  /** The plan's hidden activation, with the agent's parameters (leaky ReLU slope 0.2). */
  private static Operand<TFloat32> activate(Ops tf, FederationPlan plan, Operand<TFloat32> preActivation) {
    switch (plan.model().activation()) {
      case RELU:
        return tf.nn.relu(preActivation);
      case TANH:
        return tf.math.tanh(preActivation);
      case ELU:
        return tf.nn.elu(preActivation);
      case LEAKY_RELU:
        return tf.nn.leakyRelu(preActivation, LeakyRelu.alpha(LEAKY_RELU_SLOPE));
      default:
        throw new AssertionError(plan.model().activation());
    }
  }

  /**
   * The agent's leaky ReLU slope ({@code org.comity.agent.model.Activation.LEAKY_RELU_SLOPE}); the simulation's
   * bit-for-bit test of every activation fails if the two differ.
   */
  static final float LEAKY_RELU_SLOPE = 0.2f;
}
