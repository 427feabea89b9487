package org.comity.aggregation.dp;

/**
 * Settings of adaptive clipping (Andrew, Thakkar, McMahan, Ramaswamy 2021, "Differentially Private Learning with
 * Adaptive Clipping"), which moves the clip norm C towards a target quantile of the update norms instead of asking
 * operators to guess C.
 *
 * @param targetUnclippedQuantile gamma in [0, 1]: the fraction of updates that should fit under C unclipped (the
 *     paper's experiments use 0.5)
 * @param learningRate eta > 0 of the geometric update {@code C <- C * exp(-eta * (b - gamma))} (the paper uses 0.2)
 * @param clippedCountStddev sigma_b >= 0, standard deviation of the noise on the count of unclipped updates; the
 *     paper suggests {@code expectedRecordsPerRound / 20}. Spending privacy on it reduces the noise left for the sum:
 *     see {@link AdaptiveClippingNoiseSplit}
 * @param expectedRecordsPerRound m > 0, the public expected number of updates per round, used as the denominator so
 *     the actual count is never revealed
 */
public record AdaptiveClippingParams(
    double targetUnclippedQuantile,
    double learningRate,
    double clippedCountStddev,
    double expectedRecordsPerRound) {

  public AdaptiveClippingParams {
    if (!(targetUnclippedQuantile >= 0.0 && targetUnclippedQuantile <= 1.0)) {
      throw new IllegalArgumentException(
          "targetUnclippedQuantile must be in [0, 1], got %s".formatted(targetUnclippedQuantile));
    }
    if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learningRate must be finite and > 0, got %s".formatted(learningRate));
    }
    if (!(clippedCountStddev >= 0.0) || Double.isInfinite(clippedCountStddev)) {
      throw new IllegalArgumentException(
          "clippedCountStddev must be finite and >= 0, got %s".formatted(clippedCountStddev));
    }
    if (!(expectedRecordsPerRound > 0.0) || Double.isInfinite(expectedRecordsPerRound)) {
      throw new IllegalArgumentException(
          "expectedRecordsPerRound must be finite and > 0, got %s".formatted(expectedRecordsPerRound));
    }
  }
}
