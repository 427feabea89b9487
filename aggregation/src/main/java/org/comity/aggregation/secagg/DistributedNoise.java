package org.comity.aggregation.secagg;

/**
 * The plan's public parameters of distributed bank-level DP noise under secure aggregation
 * ({@code privacy.bank_level.noise_placement: distributed}): every bank clips its update to {@code clipNorm} in L2
 * norm and adds its share of Skellam noise to its encoded words before masking, so that the sum anyone unmasks is
 * already noised. Together with the round's bank count, threshold and vector length these fix the
 * {@link SkellamEncoding} identically at every party.
 *
 * @param clipNorm C > 0: the L2 bound of one bank's update
 * @param noiseMultiplier z > 0: standard deviation of the total noise over the L2 sensitivity
 * @param minQuorum the plan's {@code rounds.min_quorum}: no round commits with fewer contributions
 */
public record DistributedNoise(double clipNorm, double noiseMultiplier, int minQuorum) {

  public DistributedNoise {
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip norm must be positive and finite, got " + clipNorm);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be positive and finite, got " + noiseMultiplier);
    }
    if (minQuorum < 1) {
      throw new IllegalArgumentException("min quorum must be at least 1, got " + minQuorum);
    }
  }
}
