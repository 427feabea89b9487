package org.comity.aggregation.dp;

/**
 * A run of {@code steps} identical releases of the multi-dimensional Skellam mechanism (Agarwal, Kairouz, Liu,
 * "The Skellam Mechanism for Differentially Private Federated Learning", NeurIPS 2021): an integer vector, here the
 * sum of the banks' quantized updates, plus independent Skellam noise Sk(mu, mu) on every coordinate (the
 * difference of two Poisson(mu) variables; variance 2 mu). One bank changes the integer vector by at most {@code
 * l2Sensitivity} in L2 norm and {@code l1Sensitivity} in L1 norm.
 *
 * <p><b>No amplification by sampling.</b> Unlike {@link PoissonGaussianStep} this step has no sampling rate: every
 * release is charged as if the bank were always included. That is conservative (valid for any participation rate,
 * Poisson or not), and needed here because the distributed noise is added by the banks, which cannot attest to how
 * the coordinator sampled them.
 *
 * <p><b>Neighbouring relation.</b> The bound is for two integer vectors at most Delta apart under the same noise. With
 * the noise added by the banks that is zero-out adjacency: one bank's update replaced by zeros while its noise share
 * stays in the sum. It does not cover a bank's absence together with its noise share (the noise of the sum would then
 * differ too); who took part is in any case visible to the coordinator, which runs the protocol with the banks.
 *
 * @param l2Sensitivity Delta_2 > 0, in the integer units of the vector
 * @param l1Sensitivity Delta_1 >= Delta_2 (the L1 norm of an integer vector is at least its L2 norm)
 * @param poissonMean mu > 0: the Poisson mean of each half of the total noise on a coordinate (variance 2 mu)
 * @param steps how many such releases, >= 0
 */
public record SkellamStep(double l2Sensitivity, double l1Sensitivity, double poissonMean, long steps) {

  public SkellamStep {
    if (!(l2Sensitivity > 0.0) || Double.isInfinite(l2Sensitivity)) {
      throw new IllegalArgumentException(
          "l2Sensitivity must be finite and > 0, got %s".formatted(l2Sensitivity));
    }
    if (!(l1Sensitivity >= l2Sensitivity) || Double.isInfinite(l1Sensitivity)) {
      throw new IllegalArgumentException(
          "l1Sensitivity must be finite and >= l2Sensitivity %s, got %s".formatted(l2Sensitivity, l1Sensitivity));
    }
    if (!(poissonMean > 0.0) || Double.isInfinite(poissonMean)) {
      throw new IllegalArgumentException("poissonMean must be finite and > 0, got %s".formatted(poissonMean));
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got %d".formatted(steps));
    }
  }

  /**
   * The RDP of one release at order {@code alpha}: the bound of Agarwal, Kairouz, Liu 2021 on the multi-dimensional
   * Skellam mechanism (arXiv 2110.04995). Public implementations (the accounting utilities of Google's
   * distributed-DP federated code, which cite it as a corollary of the paper's Renyi bound, and their ports) write it
   * with the variance {@code v = 2 mu} of the noise: {@code a D2^2 / (2 v) + min(((2a - 1) D2^2 + 6 D1) /
   * (4 v^2), 3 D1 / (2 v))}. With the Poisson mean mu of each half it reads
   *
   * <pre>
   *   eps(alpha) = alpha D2^2 / (4 mu) + min( ((2 alpha - 1) D2^2 + 6 D1) / (16 mu^2), 3 D1 / (4 mu) )
   * </pre>
   *
   * valid for every real alpha > 1. The first term is the Gaussian mechanism's RDP at the same variance; the second
   * is the price of the discrete noise, which vanishes as mu grows. The two spellings found in public code agree once
   * the variance 2 mu is substituted, so no choice between constants was needed; the test {@code SkellamRdpTest}
   * checks the bound against the numerically exact Renyi divergence of the one-dimensional Skellam (and that it is
   * within 10% of it at large mu), so a wrong constant or a variance mistaken for the Poisson mean fails it.
   *
   * @throws IllegalArgumentException if alpha is not above 1
   */
  public double rdpOfOneStep(double alpha) {
    if (!(alpha > 1.0)) {
      throw new IllegalArgumentException("alpha must be > 1, got %s".formatted(alpha));
    }
    if (alpha == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY; // Skellam noise gives no pure-DP guarantee
    }
    double d2sq = l2Sensitivity * l2Sensitivity;
    double gaussian = alpha * d2sq / (4.0 * poissonMean);
    double discreteA = ((2.0 * alpha - 1.0) * d2sq + 6.0 * l1Sensitivity) / (16.0 * poissonMean * poissonMean);
    double discreteB = 3.0 * l1Sensitivity / (4.0 * poissonMean);
    return gaussian + Math.min(discreteA, discreteB);
  }
}
