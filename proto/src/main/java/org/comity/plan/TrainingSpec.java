package org.comity.plan;

/**
 * Local training at each bank in one round.
 *
 * @param epochs passes over the bank's training split per round
 * @param batchSize minibatch size
 * @param learningRate Adam learning rate
 * @param imbalance class weighting or balanced sampling
 * @param classWeight positive-class loss weight; {@code null} means "balanced": the global ratio of negatives to
 *     positives from the statistics round, capped at {@code maxClassWeight}
 * @param maxClassWeight cap of the balanced class weight
 * @param optimizerState what each bank does with its Adam moments between rounds
 */
public record TrainingSpec(
    int epochs, int batchSize, double learningRate, ImbalanceHandling imbalance, Double classWeight,
    double maxClassWeight, OptimizerStatePolicy optimizerState) {

  /**
   * Adam keeps running moments; when a round starts from new global weights, a bank either keeps its moments
   * from its previous round or starts them from zero.
   */
  public enum OptimizerStatePolicy {
    /** Keep each bank's moments across rounds (measured better on the shared credit data; see docs/RESULTS.md). */
    KEEP_PER_BANK,
    /** Zero them at every round: each round's local training is independent of the bank's history. */
    RESET_EACH_ROUND
  }

  /** The positive-class weight to use given the global positive rate from the statistics round. */
  public double positiveClassWeight(double globalPositiveRate) {
    if (imbalance == ImbalanceHandling.BALANCED_SAMPLING) {
      return 1.0;
    }
    if (classWeight != null) {
      return classWeight;
    }
    if (globalPositiveRate <= 0 || globalPositiveRate >= 1) {
      return 1.0;
    }
    return Math.max(1.0, Math.min(maxClassWeight, (1 - globalPositiveRate) / globalPositiveRate));
  }
}
