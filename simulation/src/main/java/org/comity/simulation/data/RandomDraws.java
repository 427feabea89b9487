package org.comity.simulation.data;

import java.util.SplittableRandom;

/**
 * The few distributions the generator and the partitioner draw from, written on top of one seeded
 * {@link SplittableRandom} so that a seed fixes every draw on every JDK (no reliance on library samplers whose
 * algorithm may change between releases).
 *
 * <p>Not thread-safe: one instance per generating thread.
 */
final class RandomDraws {
  private final SplittableRandom random;

  RandomDraws(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Mixes a seed with a stream number, so that each bank gets an independent, reproducible stream. */
  static long streamSeed(long seed, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + (stream + 1) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  double uniform() {
    return random.nextDouble();
  }

  double uniform(double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  /** Uniform integer in {@code [low, high]} (both inclusive). */
  int integer(int low, int high) {
    return low + random.nextInt(high - low + 1);
  }

  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  /** Standard normal by Box-Muller (one of the pair is discarded to keep the state simple). */
  double gaussian() {
    double u1 = 1.0 - random.nextDouble(); // (0, 1]
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** {@code exp(N(ln median, sigma^2))}. */
  double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * gaussian());
  }

  double exponential(double mean) {
    return -mean * Math.log(1.0 - random.nextDouble());
  }

  /** Poisson by inversion (Knuth); fine for the small means used here (below ~30). */
  int poisson(double mean) {
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }

  /**
   * Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 use the boost {@code G(a) = G(a+1) * U^(1/a)}.
   */
  double gamma(double shape) {
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new IllegalArgumentException("gamma shape must be finite and > 0, got " + shape);
    }
    if (shape < 1.0) {
      double u = 1.0 - random.nextDouble();
      return gamma(shape + 1.0) * Math.pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double x;
      double v;
      do {
        x = gaussian();
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = 1.0 - random.nextDouble();
      if (u < 1.0 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1.0 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  /**
   * A draw from the symmetric Dirichlet(alpha, ..., alpha) over {@code k} parts. Tiny alphas can make every gamma
   * draw underflow to 0; then all mass goes to one uniformly chosen part, which is the limit of the distribution.
   */
  double[] dirichlet(int k, double alpha) {
    double[] parts = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      parts[i] = gamma(alpha);
      sum += parts[i];
    }
    if (!(sum > 0)) {
      parts[random.nextInt(k)] = 1.0;
      return parts;
    }
    for (int i = 0; i < k; i++) {
      parts[i] /= sum;
    }
    return parts;
  }

  /** Fisher-Yates shuffle in place. */
  void shuffle(int[] values) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
  }

  /** Index drawn with probability proportional to {@code weights[i]}. */
  int weightedIndex(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double target = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      target -= weights[i];
      if (target < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /**
   * Splits {@code total} into integer parts proportional to {@code shares} (largest remainder), so the parts sum to
   * {@code total} exactly.
   */
  static int[] apportion(int total, double[] shares) {
    double sum = 0;
    for (double s : shares) {
      sum += s;
    }
    int[] parts = new int[shares.length];
    double[] remainders = new double[shares.length];
    int assigned = 0;
    for (int i = 0; i < shares.length; i++) {
      double exact = sum > 0 ? total * shares[i] / sum : (double) total / shares.length;
      parts[i] = (int) Math.floor(exact);
      remainders[i] = exact - parts[i];
      assigned += parts[i];
    }
    while (assigned < total) {
      int best = 0;
      for (int i = 1; i < shares.length; i++) {
        if (remainders[i] > remainders[best]) {
          best = i;
        }
      }
      parts[best]++;
      remainders[best] = -1;
      assigned++;
    }
    return parts;
  }
}
