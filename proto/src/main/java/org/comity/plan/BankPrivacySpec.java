package org.comity.plan;

/**
 * Bank-level differential privacy across the consortium (DP-FedAvg, McMahan et al. 2018) with central noise: each
 * bank's update is clipped to an L2 bound, participants are Poisson-sampled, and the coordinator adds Gaussian noise
 * calibrated to the bound to the sum before averaging. The privacy unit is a whole bank. Accounting is exact (RDP
 * of the Poisson-subsampled Gaussian, converted as Google's dp_accounting does) and enforced: a round that would
 * take the run past {@code targetEpsilon} is not started, and the run ends at its budget.
 *
 * @param enabled whether training rounds are differentially private at the bank level
 * @param clipNorm L2 bound of each bank's update
 * @param noiseMultiplier Gaussian noise standard deviation divided by the clip norm
 * @param participationRate probability with which each connected bank is sampled into a round (Poisson sampling)
 * @param targetEpsilon the run's privacy budget
 * @param delta the delta of (epsilon, delta)-DP; must be below 1 / (number of banks)
 * @param adaptiveClipping whether the clip norm follows a target quantile of the update norms (Andrew et al. 2021),
 *     starting from {@code clipNorm}
 * @param targetUnclippedQuantile the fraction of updates that should fit under the clip norm unclipped
 * @param clipLearningRate learning rate of the geometric clip update
 * @param clippedCountStddev noise standard deviation on the count of unclipped updates; part of the privacy budget
 * @param noisePlacement who adds the noise: the coordinator, to the sum ({@code CENTRAL}), or every bank, its share
 *     of Skellam noise before secure aggregation ({@code DISTRIBUTED}; needs secure aggregation and a fixed clip)
 */
public record BankPrivacySpec(boolean enabled, double clipNorm, double noiseMultiplier, double participationRate,
    double targetEpsilon, double delta, boolean adaptiveClipping, double targetUnclippedQuantile,
    double clipLearningRate, double clippedCountStddev, NoisePlacement noisePlacement) {

  /** Where the bank-level DP noise is added. */
  public enum NoisePlacement {
    /** The coordinator adds Gaussian noise to the sum (it sees the un-noised sum). */
    CENTRAL,
    /**
     * Each bank adds its share of Skellam noise to its encoded update before masking, so the coordinator only ever
     * unmasks a noised sum (Agarwal, Kairouz, Liu 2021).
     */
    DISTRIBUTED
  }

  public BankPrivacySpec {
    // The canonical plan JSON leaves a central placement out (PlanHash), so a plan read back from it has none here.
    if (noisePlacement == null) {
      noisePlacement = NoisePlacement.CENTRAL;
    }
  }

  /** A spec with central noise. */
  public BankPrivacySpec(boolean enabled, double clipNorm, double noiseMultiplier, double participationRate,
      double targetEpsilon, double delta, boolean adaptiveClipping, double targetUnclippedQuantile,
      double clipLearningRate, double clippedCountStddev) {
    this(enabled, clipNorm, noiseMultiplier, participationRate, targetEpsilon, delta, adaptiveClipping,
        targetUnclippedQuantile, clipLearningRate, clippedCountStddev, NoisePlacement.CENTRAL);
  }

  /** Whether the banks add the noise (bank-level DP on, placed at the banks). */
  public boolean distributedNoise() {
    return enabled && noisePlacement == NoisePlacement.DISTRIBUTED;
  }

  /** Bank-level DP off. */
  public static BankPrivacySpec disabled() {
    return new BankPrivacySpec(false, 1.0, 1.0, 1.0, 10.0, 1e-5, false, 0.5, 0.2, 1.0);
  }
}
