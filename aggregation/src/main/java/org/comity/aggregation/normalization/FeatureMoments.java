package org.comity.aggregation.normalization;

/**
 * First and second moments of one feature column over its non-missing values; summable across banks.
 *
 * @param count number of non-missing values
 * @param sum sum of the values
 * @param sumOfSquares sum of the squared values
 */
public record FeatureMoments(long count, double sum, double sumOfSquares) {
  public FeatureMoments {
    if (count < 0 || !Double.isFinite(sum) || !Double.isFinite(sumOfSquares) || sumOfSquares < 0) {
      throw new IllegalArgumentException("invalid moments: count %d, sum %s, sum of squares %s"
          .formatted(count, sum, sumOfSquares));
    }
  }

  public static final FeatureMoments EMPTY = new FeatureMoments(0, 0, 0);

  public FeatureMoments plus(FeatureMoments other) {
    return new FeatureMoments(count + other.count, sum + other.sum, sumOfSquares + other.sumOfSquares);
  }

  /** Mean of the values; 0 when there is none. */
  public double mean() {
    return count == 0 ? 0.0 : sum / count;
  }

  /**
   * Population standard deviation, floored so that a constant column normalises to 0 instead of dividing by 0.
   */
  public double standardDeviation() {
    if (count == 0) {
      return 1.0;
    }
    double mean = mean();
    double variance = Math.max(0.0, sumOfSquares / count - mean * mean);
    double std = Math.sqrt(variance);
    return std < 1e-6 ? 1.0 : std;
  }
}
