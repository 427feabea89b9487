package org.comity.aggregation.secagg;

/**
 * Hypergeometric distribution (population {@code total}, {@code marked} of them marked, {@code
 * sampled} drawn without replacement), with the tail and quantile routines the parameter finder
 * needs. The numerics follow the method of federated-compute's {@code distribution_utilities}
 * (log-space PMF, CDF summed from the near tail, quantile search started from a Hoeffding bound) so
 * that Comity derives the same parameters as that implementation.
 */
final class HypergeometricDistribution {
  private final int total;
  private final int marked;
  private final int sampled;

  HypergeometricDistribution(int total, int marked, int sampled) {
    if (total < 0 || marked < 0 || sampled < 0 || marked > total || sampled > total) {
      throw new IllegalArgumentException("invalid hypergeometric parameters: total=%d marked=%d sampled=%d"
          .formatted(total, marked, sampled));
    }
    this.total = total;
    this.marked = marked;
    this.sampled = sampled;
  }

  double pmf(double x) {
    return pmf(x, marked);
  }

  private double pmf(double x, int counted) {
    if (x < 0 || x > sampled || x > counted) {
      return 0;
    }
    if (total + x < counted + sampled) {
      return 0;
    }
    double logPmf = LogGamma.of(sampled + 1) + LogGamma.of(counted + 1) + LogGamma.of(total - counted + 1)
        + LogGamma.of(total - sampled + 1) - LogGamma.of(x + 1) - LogGamma.of(sampled - x + 1)
        - LogGamma.of(counted - x + 1) - LogGamma.of(total + 1) - LogGamma.of(total - sampled - counted + x + 1);
    return Math.exp(logPmf);
  }

  /** P[X <= x]. */
  double cdf(double x) {
    x = Math.floor(x);
    double mean = marked * (double) sampled / total;
    if (x > mean) {
      return 1 - lowerTail(sampled - x - 1, total - marked);
    }
    return lowerTail(x, marked);
  }

  /** Sum of pmf(x), pmf(x-1), ... until terms become negligible. */
  private double lowerTail(double x, int counted) {
    double term = pmf(x, counted);
    double sum = 0;
    while (term > sum * 1e-16) {
      sum += term;
      term *= x;
      term *= total - counted - sampled + x;
      term /= counted - x + 1;
      term /= sampled - x + 1;
      x -= 1;
    }
    return sum;
  }

  /**
   * The value whose CDF is {@code quantile}, rounded outwards (away from the median) to an integer.
   * {@code complement = true} means the upper-tail quantile {@code 1 - quantile}, computed without
   * cancellation.
   */
  double quantile(double quantile, boolean complement) {
    if (quantile > 0.5) {
      quantile = 1 - quantile;
      complement = !complement;
    }
    if (complement) {
      return sampled - lowerQuantile(quantile, total - marked) - 1;
    }
    return lowerQuantile(quantile, marked);
  }

  private double lowerQuantile(double quantile, int counted) {
    double basicBound = counted + sampled - total - 1;
    double hoeffdingBound = sampled * ((double) counted / total - Math.sqrt(-Math.log(quantile) / (2.0 * sampled)));
    double result = Math.floor(Math.max(-1, Math.max(basicBound, hoeffdingBound)));
    double cdf = lowerTail(result, counted);
    double term = pmf(result, counted);
    while (cdf < quantile && result < sampled) {
      if (term > 0) {
        term /= result + 1;
        term /= total - counted - sampled + result + 1;
        term *= counted - result;
        term *= sampled - result;
      } else {
        term = pmf(result + 1, counted);
      }
      cdf += term;
      result += 1;
    }
    return result - 1;
  }

  /** ln Gamma(x) for x >= 1, accurate to a few ulps of the result (Stirling series after shifting). */
  static final class LogGamma {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private LogGamma() {}

    static double of(double x) {
      if (x <= 0) {
        throw new IllegalArgumentException("lgamma argument must be positive, got " + x);
      }
      double shift = 0;
      while (x < 15) {
        shift += Math.log(x);
        x += 1;
      }
      double inv = 1 / x;
      double inv2 = inv * inv;
      double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680
          - inv2 * (1.0 / 1188)))));
      return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series - shift;
    }
  }
}
