package org.comity.agent.model;

/**
 * Argument checks shared by the model's entry points. Non-finite values are rejected before they reach TensorFlow:
 * one NaN would silently turn every weight NaN and the bank would ship a poisoned update to the consortium.
 * Messages name positions, never values, because rows are bank data.
 */
final class ModelInputChecks {

  private ModelInputChecks() {}

  static void checkFeatureMatrix(float[] featuresRowMajor, int rows, int inputWidth) {
    if (featuresRowMajor == null) {
      throw new IllegalArgumentException("features must not be null");
    }
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be >= 1, got " + rows);
    }
    long expected = (long) rows * inputWidth;
    if (featuresRowMajor.length != expected) {
      throw new IllegalArgumentException(
          "features has %d values; %d rows x %d inputs needs exactly %d"
              .formatted(featuresRowMajor.length, rows, inputWidth, expected));
    }
    for (int i = 0; i < featuresRowMajor.length; i++) {
      if (!Float.isFinite(featuresRowMajor[i])) {
        throw new IllegalArgumentException(
            "feature at row %d, column %d is NaN or infinite".formatted(i / inputWidth, i % inputWidth));
      }
    }
  }

  static void checkLabels(float[] labels, int rows) {
    if (labels == null) {
      throw new IllegalArgumentException("labels must not be null");
    }
    if (labels.length != rows) {
      throw new IllegalArgumentException(
          "labels has %d values but rows is %d; need one label per row".formatted(labels.length, rows));
    }
    for (int i = 0; i < labels.length; i++) {
      if (!(labels[i] >= 0.0f && labels[i] <= 1.0f)) {
        throw new IllegalArgumentException("label at row %d is not in [0, 1]".formatted(i));
      }
    }
  }

  static void checkPositiveClassWeight(float positiveClassWeight) {
    if (!(positiveClassWeight > 0.0f) || !Float.isFinite(positiveClassWeight)) {
      throw new IllegalArgumentException(
          "positiveClassWeight must be finite and > 0, got " + positiveClassWeight);
    }
  }

  static void checkFlatWeights(float[] flat, int parameterCount) {
    if (flat == null) {
      throw new IllegalArgumentException("weights must not be null");
    }
    if (flat.length != parameterCount) {
      throw new IllegalArgumentException(
          "weights has %d values but this architecture has %d parameters"
              .formatted(flat.length, parameterCount));
    }
    for (int i = 0; i < flat.length; i++) {
      if (!Float.isFinite(flat[i])) {
        throw new IllegalArgumentException("weight at flat index %d is NaN or infinite".formatted(i));
      }
    }
  }
}
