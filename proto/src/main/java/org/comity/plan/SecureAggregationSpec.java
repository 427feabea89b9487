package org.comity.plan;

import java.time.Duration;

/**
 * Secure aggregation (SecAgg+): when enabled, no bank's update is visible to the coordinator; only the weighted
 * sum of a round's surviving banks is ever unmasked. The neighbour count and Shamir threshold are derived from the
 * threat model (statistical security 2^-40, correctness failure below 2^-20) for the number of banks in each round,
 * unless overridden; an override that breaks the bounds is refused by the coordinator with the reason.
 *
 * @param enabled whether training rounds use secure aggregation
 * @param corruptFraction fraction of banks that may collude with the server
 * @param dropoutRate expected fraction of banks that drop out during a round
 * @param threatModel semi-honest or semi-malicious server
 * @param neighbours override of the neighbour count (excluding the bank itself), or {@code null} to derive it
 * @param threshold override of the Shamir threshold, or {@code null} to derive it
 * @param clipBound each update value is clipped to [-clipBound, clipBound] before quantization
 * @param maxSampleCount largest sample count a bank may report (sets the quantization scale)
 * @param stageDeadline deadline of each stage after training (key sharing, masked input, consistency check,
 *     unmasking)
 * @param consistencyCheck whether each round runs the consistency-check stage of the actively secure protocol:
 *     every survivor signs the survivor set with its certificate key, and a bank unmasks only for the set it
 *     signed, carrying at least the threshold of valid signatures. Needs the consortium PKI at every bank (an
 *     agent without a certificate key refuses such a plan). Default: on with {@code semi_malicious}, off with
 *     {@code semi_honest} (see {@link #defaultConsistencyCheck})
 */
public record SecureAggregationSpec(boolean enabled, double corruptFraction, double dropoutRate,
    ThreatModelName threatModel, Integer neighbours, Integer threshold, double clipBound, long maxSampleCount,
    Duration stageDeadline, boolean consistencyCheck) {

  /** A spec with the consistency check at its default for {@code threatModel} (off when not enabled). */
  public SecureAggregationSpec(boolean enabled, double corruptFraction, double dropoutRate,
      ThreatModelName threatModel, Integer neighbours, Integer threshold, double clipBound, long maxSampleCount,
      Duration stageDeadline) {
    this(enabled, corruptFraction, dropoutRate, threatModel, neighbours, threshold, clipBound, maxSampleCount,
        stageDeadline, enabled && defaultConsistencyCheck(threatModel));
  }

  /**
   * The check defends exactly against the semi-malicious coordinator (one that lies about who survived, possibly
   * differently to different banks), so that model turns it on; a semi-honest coordinator follows the protocol,
   * and the check would only cost a stage and require the PKI.
   */
  public static boolean defaultConsistencyCheck(ThreatModelName threatModel) {
    return threatModel == ThreatModelName.SEMI_MALICIOUS;
  }

  /** The server adversary secure aggregation defends against. */
  public enum ThreatModelName {
    SEMI_HONEST,
    SEMI_MALICIOUS
  }

  /** Secure aggregation off. */
  public static SecureAggregationSpec disabled() {
    return new SecureAggregationSpec(false, 0.1, 0.1, ThreatModelName.SEMI_HONEST, null, null, 2.0, 1_000_000,
        Duration.ofMinutes(2));
  }
}
