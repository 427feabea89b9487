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
 * @param stageDeadline deadline of each stage after training (key sharing, masked input, unmasking)
 */
public record SecureAggregationSpec(boolean enabled, double corruptFraction, double dropoutRate,
    ThreatModelName threatModel, Integer neighbours, Integer threshold, double clipBound, long maxSampleCount,
    Duration stageDeadline) {

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
