package org.comity.agent.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Poisson sampling of row indices: every row is included independently with probability {@code q}.
 *
 * <p>Instead of one Bernoulli draw per row, the gaps between included rows are drawn: the number of rows skipped
 * before the next inclusion is geometric, {@code P(skip = k) = (1 - q)^k q}, obtained by inversion as
 * {@code floor(log(u) / log(1 - q))} with {@code u} uniform in {@code (0, 1]}. This has exactly the distribution of
 * independent inclusions (up to double rounding of {@code u}) and costs {@code O(q * rows)} draws per step instead
 * of {@code O(rows)}.
 */
final class PoissonSampler {

  private PoissonSampler() {}

  /** Sorted indices in {@code [0, rows)} of the included rows; possibly empty. */
  static int[] sample(int rows, double q, SplittableRandom random) {
    if (!(q >= 0.0 && q <= 1.0)) {
      throw new IllegalArgumentException("sampling rate must be in [0, 1], got " + q);
    }
    if (q == 1.0) {
      int[] all = new int[rows];
      Arrays.setAll(all, i -> i);
      return all;
    }
    if (q == 0.0) {
      return new int[0];
    }
    double logMiss = Math.log1p(-q);
    int[] included = new int[Math.max(16, (int) Math.min(rows, 2 * q * rows + 16))];
    int count = 0;
    long previous = -1;
    while (true) {
      double u = 1.0 - random.nextDouble();
      double skip = Math.floor(Math.log(u) / logMiss);
      if (previous + 1 + skip >= rows) {
        break;
      }
      previous += 1 + (long) skip;
      if (count == included.length) {
        included = Arrays.copyOf(included, Math.min(rows, included.length * 2));
      }
      included[count++] = (int) previous;
    }
    return Arrays.copyOf(included, count);
  }
}
