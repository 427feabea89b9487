package org.comity.aggregation.secagg;

import java.util.Optional;

/**
 * Neighbour-graph degree and Shamir threshold of a SecAgg+ round, derived from the threat model.
 *
 * <p>Each bank secret-shares its self-mask seed and its masking private key among itself and its
 * {@code neighbours} graph neighbours with threshold {@code threshold}, and masks pairwise only with
 * those neighbours. {@code neighbours == clients - 1} is the complete graph (classic SecAgg).
 *
 * <p><b>Derivation</b> ({@link #derive}). For a sparse graph (a randomly relabelled Harary graph of
 * even degree k), k is the smallest even value, and t the smallest threshold, such that with the
 * given corrupt rate and dropout rate:
 *
 * <ul>
 *   <li>the graph of honest survivors stays connected except with probability &lt; 2^-41;
 *   <li>no bank has t or more corrupt neighbours except with probability &lt; 2^-41 / n
 *       (semi-malicious: 2t - k exceeds that count, so inconsistent dropout claims cannot reveal
 *       both shares of one bank);
 *   <li>every bank keeps at least t surviving neighbours except with probability &lt; 2^-20 / n.
 * </ul>
 *
 * Together: statistical security 2^-40 and correctness failure below 2^-20. This reproduces
 * federated-compute's {@code graph_parameter_finder} and its published test cases. Where no sparse
 * degree below {@code clients - 1} meets the bounds (always for n &lt; 4), the complete graph is
 * used with the smallest secure threshold: {@code floor(a n) + 1} (semi-honest or none) or {@code
 * floor((n + floor(a n)) / 2) + 1} (semi-malicious), at least 2, which must not exceed the {@code n -
 * floor(d n)} share holders that survive; otherwise derivation fails with the reason.
 *
 * @param neighbours number of graph neighbours of each bank, the bank itself excluded
 * @param threshold Shamir threshold: shares needed to reconstruct one bank's secret
 */
public record SecAggParameters(int neighbours, int threshold) {
  static final double SECURITY_BITS = 40;
  static final double CORRECTNESS_BITS = 20;
  static final int MAX_CLIENTS = 1_000_000;
  /** Guards floor/ceil of rate * n against floating point rounding in the insecure direction. */
  private static final double ROUNDING_GUARD = 1e-14;

  public SecAggParameters {
    if (neighbours < 1) {
      throw new IllegalArgumentException("neighbours must be >= 1, got " + neighbours);
    }
    if (threshold < 2 || threshold > neighbours + 1) {
      throw new IllegalArgumentException("need 2 <= threshold <= neighbours + 1 (share holders), got threshold %d with %d neighbours"
          .formatted(threshold, neighbours));
    }
  }

  /** True when every bank neighbours every other bank of a {@code clients}-member round. */
  public boolean isCompleteGraph(int clients) {
    return neighbours == clients - 1;
  }

  /**
   * Derives (k, t) from the threat model.
   *
   * @param clients number of banks n in the round, in [3, 1_000_000]
   * @param corruptRate fraction of banks that may collude with the coordinator, in [0, 1)
   * @param dropoutRate expected fraction of banks that drop out, in [0, 1)
   * @throws IllegalArgumentException naming the violated bound when the inputs are invalid or
   *     infeasible
   */
  public static SecAggParameters derive(int clients, double corruptRate, double dropoutRate, ThreatModel threat) {
    validateThreatModel(clients, corruptRate, dropoutRate, threat);
    Finder finder = new Finder(clients, corruptRate, dropoutRate, threat);
    for (int k = 2; k < clients - 1; k += 2) {
      Optional<Integer> t = finder.thresholdFor(k);
      if (t.isPresent()) {
        return new SecAggParameters(k, t.get());
      }
    }
    int minimum = finder.completeGraphMinimumThreshold();
    int maximum = finder.completeGraphMaximumThreshold();
    if (minimum > maximum) {
      throw new IllegalArgumentException(("no secure parameters for %d banks: the complete graph needs threshold >= %d "
          + "for corrupt rate %s (%s) but only %d share holders survive dropout rate %s")
          .formatted(clients, minimum, corruptRate, threat, maximum, dropoutRate));
    }
    return new SecAggParameters(clients - 1, minimum);
  }

  /**
   * Checks an operator override against the same bounds {@link #derive} enforces.
   *
   * @return the override as parameters when it is secure and correct
   * @throws IllegalArgumentException naming the bound the override breaks
   */
  public static SecAggParameters validateOverride(int clients, double corruptRate, double dropoutRate,
      ThreatModel threat, int neighbours, int threshold) {
    validateThreatModel(clients, corruptRate, dropoutRate, threat);
    if (neighbours < 2 || neighbours > clients - 1) {
      throw new IllegalArgumentException(
          "override neighbours must be in [2, %d] for %d banks, got %d".formatted(clients - 1, clients, neighbours));
    }
    if (threshold < 2 || threshold > neighbours + 1) {
      throw new IllegalArgumentException(
          "override threshold must be in [2, %d] (neighbours + 1), got %d".formatted(neighbours + 1, threshold));
    }
    Finder finder = new Finder(clients, corruptRate, dropoutRate, threat);
    if (neighbours == clients - 1) {
      int minimum = finder.completeGraphMinimumThreshold();
      int maximum = finder.completeGraphMaximumThreshold();
      if (threshold < minimum) {
        throw new IllegalArgumentException(("override threshold %d is insecure: with corrupt rate %s (%s) on the complete "
            + "graph of %d banks it must be >= %d").formatted(threshold, corruptRate, threat, clients, minimum));
      }
      if (threshold > maximum) {
        throw new IllegalArgumentException(("override threshold %d cannot be met: with dropout rate %s only %d of %d "
            + "share holders are expected to survive").formatted(threshold, dropoutRate, maximum, clients));
      }
      return new SecAggParameters(neighbours, threshold);
    }
    if (neighbours % 2 != 0) {
      throw new IllegalArgumentException(
          "override neighbours must be even for a sparse (Harary) graph or %d for the complete graph, got %d"
              .formatted(clients - 1, neighbours));
    }
    if (!finder.connectedWithHighProbability(neighbours)) {
      throw new IllegalArgumentException(("override neighbours %d is insecure: the graph of honest surviving banks "
          + "disconnects with probability >= 2^-41").formatted(neighbours));
    }
    Finder.Range range = finder.thresholdRange(neighbours);
    if (threshold <= range.insecureAtOrBelow()) {
      throw new IllegalArgumentException(("override threshold %d is insecure for %d neighbours: it must exceed %d so that "
          + "corrupt neighbours cannot reconstruct a secret (%s)").formatted(threshold, neighbours,
          (int) range.insecureAtOrBelow(), threat));
    }
    // Threshold 2 is the floor (t = 1 would hand a secret to any single holder); like the derivation,
    // it is accepted even where the correctness quantile is below 2.
    double correctAtOrBelow = Math.max(range.correctAtOrBelow(), 2);
    if (threshold > correctAtOrBelow) {
      throw new IllegalArgumentException(("override threshold %d fails correctness for %d neighbours: it must be <= %d so "
          + "that a bank keeps enough surviving neighbours (failure < 2^-20)").formatted(threshold, neighbours,
          (int) correctAtOrBelow));
    }
    return new SecAggParameters(neighbours, threshold);
  }

  private static void validateThreatModel(int clients, double corruptRate, double dropoutRate, ThreatModel threat) {
    if (threat == null) {
      throw new IllegalArgumentException("threat model must be given");
    }
    if (clients < 3) {
      throw new IllegalArgumentException("secure aggregation needs at least 3 banks, got " + clients);
    }
    if (clients > MAX_CLIENTS) {
      throw new IllegalArgumentException("at most " + MAX_CLIENTS + " banks are supported, got " + clients);
    }
    if (!(corruptRate >= 0 && corruptRate < 1)) {
      throw new IllegalArgumentException("corrupt rate must be in [0, 1), got " + corruptRate);
    }
    if (!(dropoutRate >= 0 && dropoutRate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropoutRate);
    }
    if (threat == ThreatModel.NO_ADVERSARY && corruptRate > 0) {
      throw new IllegalArgumentException("threat model NO_ADVERSARY requires corrupt rate 0, got " + corruptRate);
    }
    if (threat != ThreatModel.SEMI_MALICIOUS_SERVER && corruptRate + dropoutRate > 0.9) {
      throw new IllegalArgumentException(("with a semi-honest or no adversary, corrupt rate + dropout rate must be <= 0.9, "
          + "got %s + %s").formatted(corruptRate, dropoutRate));
    }
    if (threat == ThreatModel.SEMI_MALICIOUS_SERVER && corruptRate + 2 * dropoutRate > 0.9) {
      throw new IllegalArgumentException(("with a semi-malicious server, corrupt rate + 2 * dropout rate must be <= 0.9, "
          + "got %s + 2 * %s").formatted(corruptRate, dropoutRate));
    }
  }

  /** The search itself; the numerics mirror federated-compute's HararyGraphParameterFinder. */
  private static final class Finder {
    record Range(double insecureAtOrBelow, double correctAtOrBelow) {}

    private final int clients;
    private final double corruptRate;
    private final double dropoutRate;
    private final ThreatModel threat;

    Finder(int clients, double corruptRate, double dropoutRate, ThreatModel threat) {
      this.clients = clients;
      this.corruptRate = corruptRate;
      this.dropoutRate = dropoutRate;
      this.threat = threat;
    }

    int maxCorrupt() {
      return (int) Math.floor((corruptRate + ROUNDING_GUARD) * clients);
    }

    int maxDropouts() {
      return (int) Math.floor((dropoutRate + ROUNDING_GUARD) * clients);
    }

    /**
     * Union bound on a random Harary graph of degree k disconnecting once corrupt and dropped banks
     * are removed: two disjoint runs of k/2 consecutive removed nodes are needed.
     */
    double logProbabilityDisconnected(int k) {
      double logGapPairs = Math.log(clients) + Math.log(clients - k - 1) - Math.log(2);
      int bad = maxCorrupt() + maxDropouts();
      if (k > bad) {
        return Double.NEGATIVE_INFINITY;
      }
      return logGapPairs + HypergeometricDistribution.LogGamma.of(bad + 1)
          + HypergeometricDistribution.LogGamma.of(clients - k + 1)
          - HypergeometricDistribution.LogGamma.of(clients + 1)
          - HypergeometricDistribution.LogGamma.of(bad - k + 1);
    }

    boolean connectedWithHighProbability(int k) {
      return logProbabilityDisconnected(k) < -(SECURITY_BITS + 1) * Math.log(2);
    }

    /** Thresholds t with insecureAtOrBelow < t <= correctAtOrBelow are secure and correct for degree k. */
    Range thresholdRange(int k) {
      int survivingLowerBound = (int) Math.ceil((1 - dropoutRate - ROUNDING_GUARD) * clients);
      HypergeometricDistribution corruptNeighbours = new HypergeometricDistribution(clients, maxCorrupt(), k);
      HypergeometricDistribution survivingNeighbours = new HypergeometricDistribution(clients, survivingLowerBound, k);
      double perBankSecurity = Math.pow(2, -(SECURITY_BITS + 1)) / clients;
      double perBankCorrectness = Math.pow(2, -CORRECTNESS_BITS) / clients;
      double t1 = corruptNeighbours.quantile(perBankSecurity, true);
      double t2 = survivingNeighbours.quantile(perBankCorrectness, false);
      if (survivingNeighbours.cdf(t2) < perBankCorrectness) {
        t2++;
      }
      if (threat == ThreatModel.SEMI_MALICIOUS_SERVER) {
        t1 = Math.ceil((t1 + k - 1.25) / 2);
      }
      return new Range(t1, t2);
    }

    Optional<Integer> thresholdFor(int k) {
      if (!connectedWithHighProbability(k)) {
        return Optional.empty();
      }
      Range range = thresholdRange(k);
      if (range.correctAtOrBelow() <= range.insecureAtOrBelow()) {
        return Optional.empty();
      }
      return Optional.of((int) Math.max(range.insecureAtOrBelow() + 1, 2));
    }

    int completeGraphMinimumThreshold() {
      int corrupt = maxCorrupt();
      int minimum = threat == ThreatModel.SEMI_MALICIOUS_SERVER ? (clients + corrupt) / 2 + 1 : corrupt + 1;
      return Math.max(2, minimum);
    }

    int completeGraphMaximumThreshold() {
      return clients - maxDropouts();
    }
  }
}
