package org.comity.aggregation.metrics;

/**
 * Metrics of one model on a set of examples (one bank's holdout, the union of all holdouts, or a test set).
 *
 * @param examples number of examples
 * @param positives number of positive examples
 * @param rocAuc ROC-AUC (NaN when a class is absent)
 * @param prAuc average precision (NaN without positives)
 * @param precision precision at the threshold
 * @param recall recall at the threshold
 * @param f1 F1 at the threshold
 * @param logLoss mean binary cross-entropy
 * @param threshold the decision threshold
 */
public record EvaluationSummary(long examples, long positives, double rocAuc, double prAuc, double precision,
    double recall, double f1, double logLoss, double threshold) {

  /** Summarises summed evaluation counts. */
  public static EvaluationSummary of(ScoreHistogram histogram, ConfusionCounts confusion, double lossSum,
      double threshold) {
    long examples = histogram.positiveTotal() + histogram.negativeTotal();
    return new EvaluationSummary(examples, histogram.positiveTotal(), histogram.rocAuc(),
        histogram.averagePrecision(), confusion.precision(), confusion.recall(), confusion.f1(),
        examples == 0 ? Double.NaN : lossSum / examples, threshold);
  }
}
