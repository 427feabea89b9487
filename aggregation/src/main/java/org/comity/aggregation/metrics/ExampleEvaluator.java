package org.comity.aggregation.metrics;

/**
 * Accumulates the summable evaluation counts of scored examples: score histogram, confusion counts at the
 * threshold and the log-loss sum. Used by each bank on its holdout and by simulations on test sets, so every
 * regime is measured by the same code.
 */
public final class ExampleEvaluator {
  private static final double EPSILON = 1e-7;
  private final double threshold;
  private final ScoreHistogram histogram = new ScoreHistogram();
  private long tp;
  private long fp;
  private long tn;
  private long fn;
  private double lossSum;

  public ExampleEvaluator(double threshold) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
    this.threshold = threshold;
  }

  /** Adds predicted probabilities with their 0/1 labels. */
  public ExampleEvaluator addAll(float[] probabilities, float[] labels) {
    if (probabilities.length != labels.length) {
      throw new IllegalArgumentException(
          "%d scores for %d labels".formatted(probabilities.length, labels.length));
    }
    for (int i = 0; i < probabilities.length; i++) {
      boolean positive = labels[i] >= 0.5f;
      double p = probabilities[i];
      histogram.add(p, positive);
      boolean predicted = p >= threshold;
      if (predicted && positive) {
        tp++;
      } else if (predicted) {
        fp++;
      } else if (positive) {
        fn++;
      } else {
        tn++;
      }
      double clipped = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
      lossSum += positive ? -Math.log(clipped) : -Math.log1p(-clipped);
    }
    return this;
  }

  public ScoreHistogram histogram() {
    return histogram;
  }

  public ConfusionCounts confusion() {
    return new ConfusionCounts(tp, fp, tn, fn);
  }

  public double lossSum() {
    return lossSum;
  }

  public EvaluationSummary summary() {
    return EvaluationSummary.of(histogram, confusion(), lossSum, threshold);
  }
}
