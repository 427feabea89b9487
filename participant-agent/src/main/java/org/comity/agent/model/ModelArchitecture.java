package org.comity.agent.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The fraud model's shape: {@code inputWidth -> hiddenUnits... -> 1}, with {@code activation} and dropout after each
 * hidden layer (dropout only while training) and a sigmoid on the single output.
 *
 * <h2>Flat weight layout (contract with the coordinator)</h2>
 * All parameters travel as ONE {@code float[]} of length {@link #parameterCount()}: for each dense layer in order
 * (the hidden layers, then the output layer), the kernel {@code [inputs x outputs]} in row-major order, then the bias
 * {@code [outputs]}. Changing this order silently corrupts federated averaging, so it is defined only here
 * ({@link #layers()}) and pinned by tests.
 *
 * @param inputWidth number of (already normalised) input features, at least 1
 * @param hiddenUnits width of each hidden layer in order, each at least 1; may be empty (logistic regression)
 * @param dropoutRate fraction of hidden activations zeroed while training, in {@code [0, 1)}
 * @param activation activation after each hidden layer
 */
public record ModelArchitecture(int inputWidth, List<Integer> hiddenUnits, double dropoutRate, Activation activation) {

  /** Default hidden layers, chosen for tabular transaction features. */
  public static final List<Integer> DEFAULT_HIDDEN_UNITS = List.of(128, 64, 32);
  /** Default dropout rate. */
  public static final double DEFAULT_DROPOUT_RATE = 0.3;

  public ModelArchitecture {
    if (inputWidth < 1) {
      throw new IllegalArgumentException("inputWidth must be >= 1, got " + inputWidth);
    }
    if (hiddenUnits == null) {
      throw new IllegalArgumentException("hiddenUnits must not be null (use an empty list for no hidden layer)");
    }
    hiddenUnits = List.copyOf(hiddenUnits);
    for (int i = 0; i < hiddenUnits.size(); i++) {
      if (hiddenUnits.get(i) < 1) {
        throw new IllegalArgumentException(
            "hiddenUnits[%d] must be >= 1, got %d".formatted(i, hiddenUnits.get(i)));
      }
    }
    if (!(dropoutRate >= 0.0 && dropoutRate < 1.0)) {
      throw new IllegalArgumentException("dropoutRate must be in [0, 1), got " + dropoutRate);
    }
    if (activation == null) {
      throw new IllegalArgumentException("activation must not be null");
    }
    long total = 0;
    for (DenseLayerShape layer : layersOf(inputWidth, hiddenUnits)) {
      total += layer.parameterCount();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "model has %d parameters; at most %d fit in one float[]".formatted(total, Integer.MAX_VALUE - 8));
    }
  }

  /** The default network {@code inputWidth -> 128 -> 64 -> 32 -> 1}, ReLU, dropout 0.3. */
  public static ModelArchitecture defaults(int inputWidth) {
    return new ModelArchitecture(inputWidth, DEFAULT_HIDDEN_UNITS, DEFAULT_DROPOUT_RATE, Activation.RELU);
  }

  /** Dense layers in flat-vector order: hidden layers, then the output layer with one unit. */
  public List<DenseLayerShape> layers() {
    return layersOf(inputWidth, hiddenUnits);
  }

  /** Length of the flat weight vector: {@code sum(in * out + out)} over {@link #layers()}. */
  public int parameterCount() {
    long total = 0;
    for (DenseLayerShape layer : layers()) {
      total += layer.parameterCount();
    }
    return Math.toIntExact(total);
  }

  private static List<DenseLayerShape> layersOf(int inputWidth, List<Integer> hiddenUnits) {
    List<DenseLayerShape> layers = new ArrayList<>(hiddenUnits.size() + 1);
    int inputs = inputWidth;
    for (int units : hiddenUnits) {
      layers.add(new DenseLayerShape(inputs, units));
      inputs = units;
    }
    layers.add(new DenseLayerShape(inputs, 1));
    return List.copyOf(layers);
  }
}
