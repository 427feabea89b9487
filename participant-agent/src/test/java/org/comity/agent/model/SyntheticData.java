package org.comity.agent.model;

import java.util.SplittableRandom;

/** Seeded synthetic data sets and an ROC-AUC helper for the model tests. */
final class SyntheticData {

  final float[] features;
  final float[] labels;
  final int rows;

  private SyntheticData(float[] features, float[] labels, int rows) {
    this.features = features;
    this.labels = labels;
    this.rows = rows;
  }

  /**
   * Non-linear but learnable: features uniform in [-1, 1]; label 1 when {@code x0 * x1 > 0}, flipped with
   * probability {@code noise}. No linear model beats AUC 0.5 on it.
   */
  static SyntheticData xorLike(int rows, int width, double noise, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] features = new float[rows * width];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        features[r * width + c] = (float) (2.0 * random.nextDouble() - 1.0);
      }
      boolean positive = features[r * width] * features[r * width + 1] > 0;
      if (random.nextDouble() < noise) {
        positive = !positive;
      }
      labels[r] = positive ? 1.0f : 0.0f;
    }
    return new SyntheticData(features, labels, rows);
  }

  /** ROC-AUC by ranks (Mann-Whitney U), ties sharing their mean rank. */
  static double rocAuc(float[] scores, float[] labels) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
    double[] ranks = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double meanRank = (i + j) / 2.0 + 1.0;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = meanRank;
      }
      i = j + 1;
    }
    double positiveRankSum = 0;
    long positives = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] > 0.5f) {
        positiveRankSum += ranks[i];
        positives++;
      }
    }
    long negatives = n - positives;
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
