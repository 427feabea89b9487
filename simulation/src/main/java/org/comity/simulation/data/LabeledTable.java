package org.comity.simulation.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A labelled numeric table: {@code rows} rows of {@code featureNames.size()} float features (row-major) and a 0/1
 * label per row, 1 being the positive (fraud / risky) class.
 *
 * <p>The constructor copies both arrays and rejects inconsistent sizes, non-finite features and labels other than 0
 * or 1, so every table in circulation is one a bank agent could train on. The array accessors return copies; use
 * {@link #feature(int, int)} and {@link #label(int)} for cheap element access. {@link #equals} compares contents
 * (unlike a plain record), so two tables generated from the same seed compare equal.
 */
public record LabeledTable(List<String> featureNames, float[] featuresRowMajor, float[] labels, int rows) {

  public LabeledTable {
    Objects.requireNonNull(featureNames, "featureNames");
    Objects.requireNonNull(featuresRowMajor, "featuresRowMajor");
    Objects.requireNonNull(labels, "labels");
    if (featureNames.isEmpty()) {
      throw new IllegalArgumentException("need at least 1 feature column, got 0");
    }
    featureNames = List.copyOf(featureNames);
    var seen = new HashSet<String>();
    for (String name : featureNames) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("feature names must be non-blank, got " + featureNames);
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("feature names must be unique, '%s' appears twice".formatted(name));
      }
    }
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    long expected = (long) rows * featureNames.size();
    if (featuresRowMajor.length != expected) {
      throw new IllegalArgumentException(
          "featuresRowMajor must hold rows * columns = %d * %d = %d values, got %d"
              .formatted(rows, featureNames.size(), expected, featuresRowMajor.length));
    }
    if (labels.length != rows) {
      throw new IllegalArgumentException("labels must hold one value per row (%d), got %d".formatted(rows, labels.length));
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0f && labels[i] != 1f) {
        throw new IllegalArgumentException("label of row %d must be 0 or 1, got %s".formatted(i, labels[i]));
      }
    }
    int columns = featureNames.size();
    for (int i = 0; i < featuresRowMajor.length; i++) {
      if (!Float.isFinite(featuresRowMajor[i])) {
        throw new IllegalArgumentException(
            "feature '%s' of row %d must be finite, got %s"
                .formatted(featureNames.get(i % columns), i / columns, featuresRowMajor[i]));
      }
    }
    featuresRowMajor = featuresRowMajor.clone();
    labels = labels.clone();
  }

  /** Number of feature columns (the label is not counted). */
  public int columns() {
    return featureNames.size();
  }

  /** Value of feature {@code column} in {@code row}. */
  public float feature(int row, int column) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(column, columns());
    return featuresRowMajor[row * columns() + column];
  }

  /** Label (0 or 1) of {@code row}. */
  public float label(int row) {
    return labels[Objects.checkIndex(row, rows)];
  }

  /** Index of the named feature column; throws if absent. */
  public int columnIndex(String featureName) {
    int index = featureNames.indexOf(featureName);
    if (index < 0) {
      throw new IllegalArgumentException("no feature '%s' in %s".formatted(featureName, featureNames));
    }
    return index;
  }

  /** A copy of one feature column, one value per row. */
  public float[] column(int column) {
    Objects.checkIndex(column, columns());
    float[] values = new float[rows];
    for (int r = 0; r < rows; r++) {
      values[r] = featuresRowMajor[r * columns() + column];
    }
    return values;
  }

  /** Number of rows with label 1. */
  public int positives() {
    int count = 0;
    for (float label : labels) {
      count += (int) label;
    }
    return count;
  }

  /** Fraction of rows with label 1 (0 for an empty table). */
  public double positiveRate() {
    return rows == 0 ? 0.0 : (double) positives() / rows;
  }

  /** A new table holding the given rows, in the given order (indices may repeat). */
  public LabeledTable selectRows(int[] rowIndices) {
    int columns = columns();
    float[] features = new float[rowIndices.length * columns];
    float[] selectedLabels = new float[rowIndices.length];
    for (int i = 0; i < rowIndices.length; i++) {
      int row = Objects.checkIndex(rowIndices[i], rows);
      System.arraycopy(featuresRowMajor, row * columns, features, i * columns, columns);
      selectedLabels[i] = labels[row];
    }
    return new LabeledTable(featureNames, features, selectedLabels, rowIndices.length);
  }

  /** Copy of the features (row-major). */
  @Override
  public float[] featuresRowMajor() {
    return featuresRowMajor.clone();
  }

  /** Copy of the labels. */
  @Override
  public float[] labels() {
    return labels.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LabeledTable that
        && rows == that.rows
        && featureNames.equals(that.featureNames)
        && Arrays.equals(featuresRowMajor, that.featuresRowMajor)
        && Arrays.equals(labels, that.labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(featureNames, rows, Arrays.hashCode(featuresRowMajor), Arrays.hashCode(labels));
  }

  /** Shape and class balance only: never the data. */
  @Override
  public String toString() {
    return "LabeledTable[rows=%d, columns=%d, positives=%d, featureNames=%s]"
        .formatted(rows, columns(), positives(), featureNames);
  }
}
