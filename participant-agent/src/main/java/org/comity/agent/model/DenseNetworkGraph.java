package org.comity.agent.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The network's variables and forward passes, built into one TensorFlow graph.
 *
 * <p>One builder serves both the training graph ({@link #trainingLogits}, with dropout) and an inference-only graph
 * ({@link #inferenceLogits}, no dropout, no optimizer state), so a serving export can rebuild exactly the same
 * variables by name and load the flat weights through {@link #assignFromFlat}.
 *
 * <p>Variables are {@code VariableV2} with flat names ({@code dense0_kernel}, {@code dense0_bias}, ...,
 * {@code dense3_kernel} for the output layer): TF Java's saver handles only {@code VariableV2}, and scoped names
 * ({@code dense0/kernel}) break derived names elsewhere. They are created zero-filled; the caller writes the
 * initial weights through {@link #assignFromFlat}, so initialisation is plain Java and reproducible
 * (see {@link GlorotUniformInitializer}).
 *
 * <p>The flat layout ({@link ModelArchitecture}) is implemented here and only here: {@link #flatWeights} and
 * {@link #assignFromFlat} are exact inverses over {@link #variables()} in that order.
 */
public final class DenseNetworkGraph {

  private final ModelArchitecture architecture;
  private final List<Variable<TFloat32>> kernels;
  private final List<Variable<TFloat32>> biases;

  private DenseNetworkGraph(
      ModelArchitecture architecture, List<Variable<TFloat32>> kernels, List<Variable<TFloat32>> biases) {
    this.architecture = architecture;
    this.kernels = List.copyOf(kernels);
    this.biases = List.copyOf(biases);
  }

  /**
   * Creates the zero-initialised variables of {@code architecture} in {@code tf}'s graph. Every op is built through
   * {@code tf}, so a device set on {@code tf} ({@link Ops#withDevice}) applies to all of them.
   */
  public static DenseNetworkGraph createVariables(Ops tf, ModelArchitecture architecture) {
    List<Variable<TFloat32>> kernels = new ArrayList<>();
    List<Variable<TFloat32>> biases = new ArrayList<>();
    List<DenseLayerShape> layers = architecture.layers();
    for (int index = 0; index < layers.size(); index++) {
      DenseLayerShape layer = layers.get(index);
      kernels.add(
          tf.withName(variableName(index, "kernel"))
              .variable(tf.zeros(tf.array(layer.inputs(), layer.outputs()), TFloat32.class)));
      biases.add(
          tf.withName(variableName(index, "bias")).variable(tf.zeros(tf.array(layer.outputs()), TFloat32.class)));
    }
    return new DenseNetworkGraph(architecture, kernels, biases);
  }

  /** Name of layer {@code index}'s {@code kernel} or {@code bias} variable, e.g. {@code dense0_kernel}. */
  public static String variableName(int layerIndex, String part) {
    return "dense" + layerIndex + "_" + part;
  }

  public ModelArchitecture architecture() {
    return architecture;
  }

  /** All variables in flat-vector order: kernel 0, bias 0, kernel 1, bias 1, ... */
  public List<Variable<TFloat32>> variables() {
    List<Variable<TFloat32>> all = new ArrayList<>(kernels.size() * 2);
    for (int index = 0; index < kernels.size(); index++) {
      all.add(kernels.get(index));
      all.add(biases.get(index));
    }
    return List.copyOf(all);
  }

  /** Logits {@code [rows]} without dropout: the prediction path. */
  public Operand<TFloat32> inferenceLogits(Ops tf, Operand<TFloat32> features) {
    return forward(tf, features, null);
  }

  /**
   * Logits {@code [rows]} with inverted dropout after every hidden layer.
   *
   * <p>Masks come from {@code StatelessRandomUniform} keyed by row {@code l} of {@code dropoutSeeds}
   * ({@code int64 [hiddenLayers, 2]}) for hidden layer {@code l}: the mask is a pure function of the fed seeds, so
   * a training step is reproducible from its inputs alone, independent of how many steps the session ran before.
   * With a dropout rate of 0 (or no hidden layers) no mask is built and {@code dropoutSeeds} may be null.
   */
  public Operand<TFloat32> trainingLogits(Ops tf, Operand<TFloat32> features, Operand<TInt64> dropoutSeeds) {
    if (usesDropout() && dropoutSeeds == null) {
      throw new IllegalArgumentException("dropout rate " + architecture.dropoutRate() + " needs dropout seeds");
    }
    return forward(tf, features, usesDropout() ? dropoutSeeds : null);
  }

  /** Whether the training path has dropout masks (rate > 0 and at least one hidden layer). */
  public boolean usesDropout() {
    return architecture.dropoutRate() > 0.0 && !architecture.hiddenUnits().isEmpty();
  }

  /**
   * The training path ({@link #trainingLogits}, same dropout masks for the same seeds) with every dense layer's
   * input and pre-activation exposed: what DP-SGD needs for per-example gradient norms. Builds new ops; the
   * variables are shared.
   */
  TrainingPass trainingPass(Ops tf, Operand<TFloat32> features, Operand<TInt64> dropoutSeeds) {
    if (usesDropout() && dropoutSeeds == null) {
      throw new IllegalArgumentException("dropout rate " + architecture.dropoutRate() + " needs dropout seeds");
    }
    return forwardPass(tf, features, usesDropout() ? dropoutSeeds : null);
  }

  /**
   * One forward pass, layer by layer: {@code preActivations[l] = layerInputs[l] * kernel[l] + bias[l]}
   * ({@code [rows, outputs]}); {@code layerInputs[l]} is the (dropped-out) activation feeding layer {@code l}, the
   * features for layer 0. {@code logits} is the last pre-activation reshaped to {@code [rows]}.
   */
  record TrainingPass(
      List<Operand<TFloat32>> layerInputs, List<Operand<TFloat32>> preActivations, Operand<TFloat32> logits) {}

  private Operand<TFloat32> forward(Ops tf, Operand<TFloat32> features, Operand<TInt64> dropoutSeeds) {
    return forwardPass(tf, features, dropoutSeeds).logits();
  }

  private TrainingPass forwardPass(Ops tf, Operand<TFloat32> features, Operand<TInt64> dropoutSeeds) {
    List<Operand<TFloat32>> layerInputs = new ArrayList<>();
    List<Operand<TFloat32>> preActivations = new ArrayList<>();
    Operand<TFloat32> activations = features;
    int hiddenLayers = architecture.hiddenUnits().size();
    for (int index = 0; index < hiddenLayers; index++) {
      layerInputs.add(activations);
      Operand<TFloat32> preActivation =
          tf.nn.biasAdd(tf.linalg.matMul(activations, kernels.get(index)), biases.get(index));
      preActivations.add(preActivation);
      activations = architecture.activation().apply(tf, preActivation);
      if (dropoutSeeds != null) {
        activations = dropout(tf, activations, tf.gather(dropoutSeeds, tf.constant(index), tf.constant(0)));
      }
    }
    layerInputs.add(activations);
    Operand<TFloat32> logits =
        tf.nn.biasAdd(tf.linalg.matMul(activations, kernels.get(hiddenLayers)), biases.get(hiddenLayers));
    preActivations.add(logits);
    return new TrainingPass(
        List.copyOf(layerInputs), List.copyOf(preActivations), tf.reshape(logits, tf.array(-1)));
  }

  private Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> activations, Operand<TInt64> seed) {
    float rate = (float) architecture.dropoutRate();
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(tf.shape(activations), seed, TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
    return tf.math.mul(tf.math.mul(activations, keep), tf.constant(1.0f / (1.0f - rate)));
  }

  /** All weights as one flat {@code [parameterCount]} vector in the contract layout. */
  public Operand<TFloat32> flatWeights(Ops tf) {
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (Variable<TFloat32> variable : variables()) {
      parts.add(tf.reshape(variable, tf.array(-1)));
    }
    return tf.concat(parts, tf.constant(0));
  }

  /**
   * One op that writes every variable from a flat {@code [parameterCount]} vector in the contract layout
   * (the inverse of {@link #flatWeights}). It does not touch optimizer state.
   */
  public Op assignFromFlat(Ops tf, Operand<TFloat32> flat) {
    List<Op> assigns = new ArrayList<>();
    List<DenseLayerShape> layers = architecture.layers();
    long offset = 0;
    for (int index = 0; index < layers.size(); index++) {
      DenseLayerShape layer = layers.get(index);
      Operand<TFloat32> kernel =
          tf.reshape(
              tf.slice(flat, tf.array(offset), tf.array(layer.kernelSize())),
              tf.array((long) layer.inputs(), layer.outputs()));
      assigns.add(tf.assign(kernels.get(index), kernel));
      offset += layer.kernelSize();
      Operand<TFloat32> bias = tf.slice(flat, tf.array(offset), tf.array((long) layer.outputs()));
      assigns.add(tf.assign(biases.get(index), bias));
      offset += layer.outputs();
    }
    return tf.withControlDependencies(assigns).noOp();
  }
}
