package org.comity.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where each parameter of the dense network lives in the flat weight vector that travels on the wire.
 *
 * <p>The layout is a contract between coordinator and agents: for each dense layer in order (hidden layers, then
 * the single output unit) the kernel {@code [inputs x outputs]} row-major, then the bias {@code [outputs]}.
 *
 * @param inputWidth number of model input columns
 * @param hiddenUnits units of the hidden layers
 */
public record ModelLayout(int inputWidth, List<Integer> hiddenUnits) {
  public ModelLayout {
    if (inputWidth < 1) {
      throw new IllegalArgumentException("the model needs at least one input column, got " + inputWidth);
    }
    hiddenUnits = List.copyOf(hiddenUnits);
    for (int units : hiddenUnits) {
      if (units < 1) {
        throw new IllegalArgumentException("hidden layer sizes must be >= 1, got " + hiddenUnits);
      }
    }
  }

  /** One dense layer's shape and offsets in the flat vector. */
  public record Layer(int inputs, int outputs, int kernelOffset, int biasOffset) {}

  /** The dense layers in order, output layer last. */
  public List<Layer> layers() {
    List<Layer> layers = new ArrayList<>();
    int inputs = inputWidth;
    int offset = 0;
    List<Integer> outputs = new ArrayList<>(hiddenUnits);
    outputs.add(1);
    for (int out : outputs) {
      layers.add(new Layer(inputs, out, offset, offset + inputs * out));
      offset += inputs * out + out;
      inputs = out;
    }
    return layers;
  }

  /** Total number of float parameters. */
  public int parameterCount() {
    long total = 0;
    for (Layer layer : layers()) {
      total += (long) layer.inputs() * layer.outputs() + layer.outputs();
    }
    return Math.toIntExact(total);
  }

  /**
   * Initial weights: symmetric Glorot-uniform kernels in [-limit, limit] with limit = sqrt(6 / (in + out)) and
   * zero biases, from {@code seed}. Computed in plain Java so that the coordinator, which has no TensorFlow,
   * creates version 0 and every bank starts from the same model.
   */
  public float[] initialWeights(long seed) {
    float[] weights = new float[parameterCount()];
    SplittableRandom random = new SplittableRandom(seed);
    for (Layer layer : layers()) {
      double limit = Math.sqrt(6.0 / (layer.inputs() + layer.outputs()));
      int kernelSize = layer.inputs() * layer.outputs();
      for (int i = 0; i < kernelSize; i++) {
        weights[layer.kernelOffset() + i] = (float) ((random.nextDouble() * 2 - 1) * limit);
      }
    }
    return weights;
  }
}
