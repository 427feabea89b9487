package org.comity.aggregation.normalization;

import java.util.Arrays;
import java.util.List;

/**
 * The global feature normalisation {@code x' = (x - mean) / std}, one entry per model input column, computed
 * from all banks' moments before training and stored with every model version, so banks and serving scale
 * identically.
 */
public final class Normalization {
  private final double[] mean;
  private final double[] std;
  private final double positiveRate;

  public Normalization(double[] mean, double[] std, double positiveRate) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException("%d means for %d standard deviations".formatted(mean.length, std.length));
    }
    for (int i = 0; i < std.length; i++) {
      if (!Double.isFinite(mean[i]) || !(std[i] > 0) || !Double.isFinite(std[i])) {
        throw new IllegalArgumentException("column %d: mean %s and std %s must be finite, std > 0"
            .formatted(i, mean[i], std[i]));
      }
    }
    if (!(positiveRate >= 0 && positiveRate <= 1)) {
      throw new IllegalArgumentException("positive rate must be in [0, 1], got " + positiveRate);
    }
    this.mean = mean.clone();
    this.std = std.clone();
    this.positiveRate = positiveRate;
  }

  /** Combines the banks' summed moments into the global normalisation. */
  public static Normalization fromMoments(List<FeatureMoments> columns, long rows, long positives) {
    double[] mean = new double[columns.size()];
    double[] std = new double[columns.size()];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = columns.get(i).mean();
      std[i] = columns.get(i).standardDeviation();
    }
    return new Normalization(mean, std, rows == 0 ? 0.0 : (double) positives / rows);
  }

  public int columns() {
    return mean.length;
  }

  public double[] mean() {
    return mean.clone();
  }

  public double[] std() {
    return std.clone();
  }

  /** Global fraction of positive labels among the banks' training rows. */
  public double positiveRate() {
    return positiveRate;
  }

  /**
   * Normalises a row-major matrix in place. Missing values (NaN) become 0, the global mean, which is how the
   * plan's {@code missing: mean} policy is applied.
   */
  public void applyInPlace(float[] rowMajor) {
    if (rowMajor.length % mean.length != 0) {
      throw new IllegalArgumentException("%d values is not a whole number of rows of %d columns"
          .formatted(rowMajor.length, mean.length));
    }
    for (int i = 0; i < rowMajor.length; i++) {
      int column = i % mean.length;
      float value = rowMajor[i];
      rowMajor[i] = Float.isNaN(value) ? 0f : (float) ((value - mean[column]) / std[column]);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Normalization that && Arrays.equals(mean, that.mean) && Arrays.equals(std, that.std)
        && positiveRate == that.positiveRate;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[columns=%d, positiveRate=%.5f]".formatted(mean.length, positiveRate);
  }
}
