package org.comity.serving;

import java.util.List;
import org.comity.plan.FederationPlan;
import org.comity.plan.FeatureSpec;
import org.comity.plan.FeatureType;

/**
 * The serving input encoding: one float32 per plan feature, in the plan's feature order, as a bank's row holds it.
 *
 * <ul>
 *   <li>numeric feature: the raw value (not normalised: the exported graph applies the version's normalisation);
 *   <li>categorical feature: the 0-based position of the value in the plan's {@code categories} list, as a float
 *       ({@code 0.0}, {@code 1.0}, ...); the graph one-hot encodes it and refuses any other number;
 *   <li>missing value (empty cell): {@code NaN}; the graph applies the feature's {@code missing} policy
 *       ({@code mean}: the global mean, {@code zero}: 0 before normalisation, categorical: all-zero one-hot,
 *       {@code reject}: the request fails naming the feature).
 * </ul>
 *
 * <p>A categorical value travels as its index rather than as a string so that the whole input is one float32
 * matrix, which every TensorFlow Serving client can send (REST {@code "instances": [[...], ...]}).
 */
public final class ServingInput {
  private ServingInput() {}

  /**
   * Turns model inputs (numeric features raw with NaN for an imputed-by-mean missing value, categorical features
   * one-hot, all-zero when missing) back into the serving input encoding.
   *
   * @param modelInputsRowMajor {@code rows x plan.inputWidth()} values, row-major
   * @return {@code rows x plan.features().size()} values, row-major
   * @throws IllegalArgumentException if the sizes do not match or a one-hot group holds anything but one 1 or all 0
   */
  public static float[] fromModelInputs(FederationPlan plan, float[] modelInputsRowMajor, int rows) {
    int width = plan.inputWidth();
    List<FeatureSpec> features = plan.features();
    if (modelInputsRowMajor.length != (long) rows * width) {
      throw new IllegalArgumentException("%d model input values do not make %d rows of %d columns"
          .formatted(modelInputsRowMajor.length, rows, width));
    }
    float[] raw = new float[rows * features.size()];
    for (int row = 0; row < rows; row++) {
      int column = row * width;
      for (int f = 0; f < features.size(); f++) {
        FeatureSpec feature = features.get(f);
        raw[row * features.size() + f] = feature.type() == FeatureType.NUMERIC
            ? modelInputsRowMajor[column]
            : categoryIndex(feature, modelInputsRowMajor, column, row);
        column += feature.inputWidth();
      }
    }
    return raw;
  }

  private static float categoryIndex(FeatureSpec feature, float[] values, int start, int row) {
    int hot = -1;
    for (int i = 0; i < feature.inputWidth(); i++) {
      float value = values[start + i];
      if (value == 1f && hot < 0) {
        hot = i;
      } else if (value != 0f) {
        throw new IllegalArgumentException("row %d, feature '%s': one-hot group is not one 1 among 0s"
            .formatted(row, feature.name()));
      }
    }
    return hot < 0 ? Float.NaN : hot;
  }
}
