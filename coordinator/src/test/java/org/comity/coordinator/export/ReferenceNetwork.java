package org.comity.coordinator.export;

import java.util.List;
import org.comity.aggregation.normalization.Normalization;
import org.comity.plan.FederationPlan;
import org.comity.plan.ModelLayout;

/** The plan's network in plain Java doubles, as an independent reference for the exported graph (ReLU only). */
final class ReferenceNetwork {
  private ReferenceNetwork() {}

  static double probability(FederationPlan plan, float[] weights, Normalization normalization, float[] modelInputs) {
    double[] mean = normalization.mean();
    double[] std = normalization.std();
    double[] activations = new double[modelInputs.length];
    for (int i = 0; i < modelInputs.length; i++) {
      activations[i] = Float.isNaN(modelInputs[i]) ? 0 : (modelInputs[i] - mean[i]) / std[i];
    }
    List<ModelLayout.Layer> layers = plan.modelLayout().layers();
    for (int l = 0; l < layers.size(); l++) {
      ModelLayout.Layer layer = layers.get(l);
      double[] out = new double[layer.outputs()];
      for (int o = 0; o < layer.outputs(); o++) {
        double sum = weights[layer.biasOffset() + o];
        for (int i = 0; i < layer.inputs(); i++) {
          sum += activations[i] * weights[layer.kernelOffset() + i * layer.outputs() + o];
        }
        out[o] = l < layers.size() - 1 ? Math.max(0, sum) : sum;
      }
      activations = out;
    }
    return 1 / (1 + Math.exp(-activations[0]));
  }
}
