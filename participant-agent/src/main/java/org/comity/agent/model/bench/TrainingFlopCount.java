package org.comity.agent.model.bench;

import java.util.List;
import org.comity.agent.model.DenseLayerShape;
import org.comity.agent.model.ModelArchitecture;

/**
 * Floating-point operations of one training sample, counted from the matrix products only.
 *
 * <p>Exact formula, with {@code MAC_l = inputs_l * outputs_l} for dense layer {@code l} and one multiply-accumulate
 * counted as 2 FLOPs:
 * <pre>
 *   forward            = 2 * sum_l MAC_l                    (x W)
 *   backward, weights  = 2 * sum_l MAC_l                    (x^T dZ)
 *   backward, inputs   = 2 * sum_{l >= 1} MAC_l             (dZ W^T; the first layer needs no input gradient)
 *   flopsPerSample     = forward + backward weights + backward inputs
 * </pre>
 * Bias adds, activations, dropout, the loss and Adam's per-parameter update are not counted: together they are a few
 * FLOPs per unit or per parameter per batch, a small fraction for this network, and leaving them out makes the
 * "fraction of peak" a lower bound on the useful matrix work. For 30-128-64-32-1:
 * {@code sum MAC = 14,112}, {@code flopsPerSample = 28,224 + 28,224 + 20,544 = 76,992}.
 */
public final class TrainingFlopCount {

  private TrainingFlopCount() {}

  /** Matrix-product FLOPs of one forward pass for one sample: {@code 2 * sum MAC_l}. */
  public static long forwardFlopsPerSample(ModelArchitecture architecture) {
    long macs = 0;
    for (DenseLayerShape layer : architecture.layers()) {
      macs += layer.multiplyAccumulatesPerRow();
    }
    return 2 * macs;
  }

  /** Matrix-product FLOPs of forward plus backward for one sample, as in the class comment. */
  public static long trainingFlopsPerSample(ModelArchitecture architecture) {
    List<DenseLayerShape> layers = architecture.layers();
    long forward = forwardFlopsPerSample(architecture);
    long inputGradients = 0;
    for (int index = 1; index < layers.size(); index++) {
      inputGradients += 2 * layers.get(index).multiplyAccumulatesPerRow();
    }
    return forward + forward + inputGradients;
  }
}
