package org.comity.aggregation.metrics;

import java.util.Arrays;

/**
 * Counts of scores per label on a fixed grid, so that evaluation results from many banks can be summed and
 * ROC-AUC and PR-AUC computed exactly for the union of their examples.
 *
 * <p>Why a grid: averaging per-bank AUCs is wrong (AUC is not additive), and sending raw (score, label) pairs
 * would reveal a bank's examples. Every bank bins its scores on the same grid: {@value #BINS} bins uniform in
 * logit space over [{@value #MIN_LOGIT}, {@value #MAX_LOGIT}] (about 0.004 logits wide), the outermost bins
 * catching everything beyond. The metrics are then exact for the scores rounded to their bin: examples in one
 * bin count as tied, as scikit-learn counts equal scores. The bin width bounds the difference to the unbinned
 * metric by the mass of pairs that fall in a common bin.
 */
public final class ScoreHistogram {
  /** Number of bins of the protocol's grid. */
  public static final int BINS = 8192;
  /** Lowest logit of the grid. */
  public static final double MIN_LOGIT = -16.0;
  /** Highest logit of the grid. */
  public static final double MAX_LOGIT = 16.0;

  private final long[] positives;
  private final long[] negatives;

  /** An empty histogram. */
  public ScoreHistogram() {
    this(new long[BINS], new long[BINS]);
  }

  private ScoreHistogram(long[] positives, long[] negatives) {
    this.positives = positives;
    this.negatives = negatives;
  }

  /**
   * A histogram from transmitted bin counts.
   *
   * @throws IllegalArgumentException if either array does not have {@link #BINS} entries or has a negative count
   */
  public static ScoreHistogram fromCounts(long[] positives, long[] negatives) {
    checkCounts(positives, "positive");
    checkCounts(negatives, "negative");
    return new ScoreHistogram(positives.clone(), negatives.clone());
  }

  private static void checkCounts(long[] counts, String what) {
    if (counts.length != BINS) {
      throw new IllegalArgumentException("%s histogram has %d bins, the protocol uses %d".formatted(what, counts.length, BINS));
    }
    for (long count : counts) {
      if (count < 0) {
        throw new IllegalArgumentException(what + " histogram has a negative count: " + count);
      }
    }
  }

  /** The bin of a probability: bins are uniform in logit space. */
  public static int binOf(double probability) {
    if (Double.isNaN(probability)) {
      throw new IllegalArgumentException("score is NaN");
    }
    double p = Math.min(Math.max(probability, 0.0), 1.0);
    double logit = Math.log(p) - Math.log1p(-p);
    double position = (logit - MIN_LOGIT) / (MAX_LOGIT - MIN_LOGIT) * BINS;
    if (!(position > 0)) {
      return 0;
    }
    return (int) Math.min(BINS - 1, Math.floor(position));
  }

  /** Counts one example. */
  public void add(double probability, boolean positive) {
    int bin = binOf(probability);
    if (positive) {
      positives[bin]++;
    } else {
      negatives[bin]++;
    }
  }

  /** Adds another histogram's counts to this one. */
  public void merge(ScoreHistogram other) {
    for (int i = 0; i < BINS; i++) {
      positives[i] = Math.addExact(positives[i], other.positives[i]);
      negatives[i] = Math.addExact(negatives[i], other.negatives[i]);
    }
  }

  /** Copy of the positive counts per bin. */
  public long[] positiveCounts() {
    return positives.clone();
  }

  /** Copy of the negative counts per bin. */
  public long[] negativeCounts() {
    return negatives.clone();
  }

  public long positiveTotal() {
    return Arrays.stream(positives).sum();
  }

  public long negativeTotal() {
    return Arrays.stream(negatives).sum();
  }

  /**
   * ROC-AUC: the probability that a random positive scores above a random negative, ties counting one half.
   * NaN when either class is absent.
   */
  public double rocAuc() {
    double p = positiveTotal();
    double n = negativeTotal();
    if (p == 0 || n == 0) {
      return Double.NaN;
    }
    double concordant = 0;
    double negativesBelow = 0;
    for (int bin = 0; bin < BINS; bin++) {
      concordant += positives[bin] * (negativesBelow + negatives[bin] / 2.0);
      negativesBelow += negatives[bin];
    }
    return concordant / (p * n);
  }

  /**
   * PR-AUC as average precision: the sum over thresholds, from the highest score down, of the recall gained
   * times the precision at that threshold (scikit-learn's {@code average_precision_score}, with one threshold
   * per bin). NaN when there is no positive.
   */
  public double averagePrecision() {
    double p = positiveTotal();
    if (p == 0) {
      return Double.NaN;
    }
    double truePositives = 0;
    double predictedPositives = 0;
    double ap = 0;
    for (int bin = BINS - 1; bin >= 0; bin--) {
      if (positives[bin] == 0 && negatives[bin] == 0) {
        continue;
      }
      truePositives += positives[bin];
      predictedPositives += positives[bin] + negatives[bin];
      ap += (positives[bin] / p) * (truePositives / predictedPositives);
    }
    return ap;
  }
}
