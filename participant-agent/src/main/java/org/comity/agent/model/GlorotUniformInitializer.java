package org.comity.agent.model;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Initial weights: kernels Glorot-uniform on the symmetric interval {@code [-limit, limit)} with
 * {@code limit = sqrt(6 / (inputs + outputs))}, biases zero.
 *
 * <p>Computed in Java from {@link SplittableRandom}, whose algorithm is specified by the JDK, so the same seed gives
 * the same weights on every JVM and every bank. (TF Java's framework {@code Glorot(UNIFORM)} draws from
 * {@code [0, limit)}, which is why it is not used.)
 */
final class GlorotUniformInitializer {

  private GlorotUniformInitializer() {}

  /** Flat weight vector in the {@link ModelArchitecture} layout. */
  static float[] initialWeights(ModelArchitecture architecture, long seed) {
    float[] flat = new float[architecture.parameterCount()];
    SplittableRandom random = new SplittableRandom(seed);
    int offset = 0;
    List<DenseLayerShape> layers = architecture.layers();
    for (DenseLayerShape layer : layers) {
      double limit = Math.sqrt(6.0 / (layer.inputs() + layer.outputs()));
      int kernelSize = Math.toIntExact(layer.kernelSize());
      for (int i = 0; i < kernelSize; i++) {
        flat[offset + i] = (float) ((2.0 * random.nextDouble() - 1.0) * limit);
      }
      offset += kernelSize + layer.outputs(); // bias stays zero
    }
    return flat;
  }
}
