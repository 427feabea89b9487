package org.comity.aggregation.metrics;

/**
 * Confusion counts at a decision threshold; summable across banks, so precision, recall and F1 of the union are
 * exact.
 */
public record ConfusionCounts(long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {
  public ConfusionCounts {
    if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
      throw new IllegalArgumentException("confusion counts must be >= 0, got %d/%d/%d/%d"
          .formatted(truePositives, falsePositives, trueNegatives, falseNegatives));
    }
  }

  public static final ConfusionCounts EMPTY = new ConfusionCounts(0, 0, 0, 0);

  /** Counts one prediction. */
  public static ConfusionCounts of(boolean predictedPositive, boolean actualPositive) {
    if (predictedPositive) {
      return actualPositive ? new ConfusionCounts(1, 0, 0, 0) : new ConfusionCounts(0, 1, 0, 0);
    }
    return actualPositive ? new ConfusionCounts(0, 0, 0, 1) : new ConfusionCounts(0, 0, 1, 0);
  }

  public ConfusionCounts plus(ConfusionCounts other) {
    return new ConfusionCounts(truePositives + other.truePositives, falsePositives + other.falsePositives,
        trueNegatives + other.trueNegatives, falseNegatives + other.falseNegatives);
  }

  public long total() {
    return truePositives + falsePositives + trueNegatives + falseNegatives;
  }

  /** TP / (TP + FP); 0 when nothing is predicted positive. */
  public double precision() {
    long predicted = truePositives + falsePositives;
    return predicted == 0 ? 0.0 : (double) truePositives / predicted;
  }

  /** TP / (TP + FN); NaN when there is no positive. */
  public double recall() {
    long actual = truePositives + falseNegatives;
    return actual == 0 ? Double.NaN : (double) truePositives / actual;
  }

  /** Harmonic mean of precision and recall; 0 when both are 0. */
  public double f1() {
    double precision = precision();
    double recall = recall();
    if (Double.isNaN(recall)) {
      return Double.NaN;
    }
    return precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
  }
}
