/**
 * Differential-privacy math for Comity's aggregation: the Renyi-DP accountant for the Poisson-subsampled Gaussian
 * mechanism ({@link org.comity.aggregation.dp.RdpAccountant}), its inverse ({@link
 * org.comity.aggregation.dp.NoiseCalibrator}), L2 clipping of updates ({@link org.comity.aggregation.dp.L2Clipping})
 * and adaptive clipping ({@link org.comity.aggregation.dp.AdaptiveClipNorm}).
 *
 * <p>Pure: no I/O, clocks, threads, logging or randomness; noise is injected through {@link
 * org.comity.aggregation.dp.GaussianNoise}. Every value type is immutable. Whenever a computation could be wrong it
 * errs towards reporting more privacy loss, or throws.
 */
package org.comity.aggregation.dp;
