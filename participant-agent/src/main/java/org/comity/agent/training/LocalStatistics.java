package org.comity.agent.training;

import java.util.ArrayList;
import java.util.List;
import org.comity.agent.data.BankDataset;
import org.comity.aggregation.normalization.FeatureMoments;
import org.comity.aggregation.normalization.Normalization;

/**
 * Per-column moments of a bank's training rows over the non-missing values: what a bank reports in the
 * statistics round (aggregates only, never rows).
 *
 * @param columns one entry per model input column
 * @param rows number of rows
 * @param positives number of positive labels
 */
public record LocalStatistics(List<FeatureMoments> columns, long rows, long positives) {
  public LocalStatistics {
    columns = List.copyOf(columns);
  }

  public static LocalStatistics of(BankDataset data) {
    int width = data.columns();
    long[] counts = new long[width];
    double[] sums = new double[width];
    double[] squares = new double[width];
    float[] values = data.featuresRowMajor();
    for (int i = 0; i < values.length; i++) {
      float value = values[i];
      if (!Float.isNaN(value)) {
        int column = i % width;
        counts[column]++;
        sums[column] += value;
        squares[column] += (double) value * value;
      }
    }
    List<FeatureMoments> columns = new ArrayList<>(width);
    for (int c = 0; c < width; c++) {
      columns.add(new FeatureMoments(counts[c], sums[c], squares[c]));
    }
    return new LocalStatistics(columns, data.rows(), data.positives());
  }

  /** The normalisation these statistics alone imply (a bank training on its own). */
  public Normalization normalization() {
    return Normalization.fromMoments(columns, rows, positives);
  }
}
