package org.comity.agent.data;

/**
 * A bank's rows encoded as model inputs (one-hot expanded), before normalisation. Missing values that the plan
 * imputes with the global mean are NaN here; the normalisation turns them into 0. Never leaves the agent.
 *
 * @param featuresRowMajor {@code rows x columns} values, row-major
 * @param labels 0 or 1 per row
 * @param rows number of rows
 * @param columns number of model input columns
 */
public record BankDataset(float[] featuresRowMajor, float[] labels, int rows, int columns) {
  public BankDataset {
    if (featuresRowMajor.length != (long) rows * columns || labels.length != rows) {
      throw new IllegalArgumentException("%d values and %d labels do not make %d rows of %d columns"
          .formatted(featuresRowMajor.length, labels.length, rows, columns));
    }
  }

  public long positives() {
    long count = 0;
    for (float label : labels) {
      if (label >= 0.5f) {
        count++;
      }
    }
    return count;
  }

  /** The rows at {@code indices}, in that order. */
  public BankDataset select(int[] indices) {
    float[] features = new float[indices.length * columns];
    float[] selectedLabels = new float[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(featuresRowMajor, indices[i] * columns, features, i * columns, columns);
      selectedLabels[i] = labels[indices[i]];
    }
    return new BankDataset(features, selectedLabels, indices.length, columns);
  }

  /** Rows of several datasets of the same width, concatenated (pooled data for centralized baselines). */
  public static BankDataset concat(java.util.List<BankDataset> parts) {
    int columns = parts.get(0).columns();
    int rows = parts.stream().mapToInt(BankDataset::rows).sum();
    float[] features = new float[rows * columns];
    float[] labels = new float[rows];
    int offset = 0;
    for (BankDataset part : parts) {
      if (part.columns() != columns) {
        throw new IllegalArgumentException("cannot pool datasets of %d and %d columns".formatted(columns, part.columns()));
      }
      System.arraycopy(part.featuresRowMajor(), 0, features, offset * columns, part.rows() * columns);
      System.arraycopy(part.labels(), 0, labels, offset, part.rows());
      offset += part.rows();
    }
    return new BankDataset(features, labels, rows, columns);
  }

  @Override
  public String toString() {
    return "BankDataset[%d rows x %d columns, %d positives]".formatted(rows, columns, positives());
  }
}
