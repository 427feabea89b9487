package org.comity.aggregation.dp;

/**
 * Source of zero-mean Gaussian noise, injected so that the privacy math stays deterministic and testable.
 *
 * <p>Production implementations must draw from a cryptographically secure generator and use a sampler that is safe
 * for differential privacy on floating point (for example a discrete or snapped Gaussian); naive {@code
 * Random.nextGaussian()} is neither. This package never creates noise itself.
 */
@FunctionalInterface
public interface GaussianNoise {

  /**
   * One sample of N(0, standardDeviation^2).
   *
   * @param standardDeviation >= 0 and finite; at 0 the sample must be exactly 0
   */
  double next(double standardDeviation);
}
