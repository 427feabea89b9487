package org.comity.coordinator.round;

import org.comity.aggregation.metrics.ConfusionCounts;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.aggregation.metrics.ScoreHistogram;
import org.comity.proto.v1.EvaluateResult;

/**
 * The evaluation stage's running sums: score histograms, confusion counts and log-loss of the banks' holdouts, so
 * that the metrics are those of the union of the holdouts. Each report is checked whole before any of it is added.
 */
final class EvaluationTally {
  private final ScoreHistogram histogram = new ScoreHistogram();
  private ConfusionCounts confusion = ConfusionCounts.EMPTY;
  private double lossSum;

  /** Adds one bank's counts. */
  void add(EvaluateResult result) throws ResultRejectedException {
    ScoreHistogram reported;
    ConfusionCounts counts;
    try {
      reported = ScoreHistogram.fromCounts(
          result.getPositiveBinsList().stream().mapToLong(Long::longValue).toArray(),
          result.getNegativeBinsList().stream().mapToLong(Long::longValue).toArray());
      counts = new ConfusionCounts(result.getTruePositives(), result.getFalsePositives(),
          result.getTrueNegatives(), result.getFalseNegatives());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    if (counts.total() != reported.positiveTotal() + reported.negativeTotal()) {
      throw invalid("confusion counts cover %d examples, the histogram %d"
          .formatted(counts.total(), reported.positiveTotal() + reported.negativeTotal()));
    }
    if (!Double.isFinite(result.getLossSum()) || result.getLossSum() < 0) {
      throw invalid("loss sum is " + result.getLossSum());
    }
    histogram.merge(reported);
    confusion = confusion.plus(counts);
    lossSum += result.getLossSum();
  }

  /** The metrics of everything added, at the decision threshold. */
  EvaluationSummary summary(double threshold) {
    return EvaluationSummary.of(histogram, confusion, lossSum, threshold);
  }

  private static ResultRejectedException invalid(String message) {
    return new ResultRejectedException(ResultRejectedException.Kind.INVALID_ARGUMENT, "bad_evaluation", message);
  }
}
