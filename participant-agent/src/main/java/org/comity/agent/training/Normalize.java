package org.comity.agent.training;

import org.comity.agent.data.BankDataset;
import org.comity.aggregation.normalization.Normalization;

/** Applies the global normalisation to a bank's rows (a copy; the raw rows stay as they are). */
public final class Normalize {
  private Normalize() {}

  public static BankDataset apply(BankDataset raw, Normalization normalization) {
    if (raw.columns() != normalization.columns()) {
      throw new IllegalArgumentException("data has %d columns, the normalisation %d"
          .formatted(raw.columns(), normalization.columns()));
    }
    float[] features = raw.featuresRowMajor().clone();
    normalization.applyInPlace(features);
    return new BankDataset(features, raw.labels(), raw.rows(), raw.columns());
  }
}
