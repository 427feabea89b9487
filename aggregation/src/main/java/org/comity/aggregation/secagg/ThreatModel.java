package org.comity.aggregation.secagg;

/**
 * Who the protocol must protect against; mirrors federated-compute's {@code AdversaryClass}.
 */
public enum ThreatModel {
  /** No adversary at all: only correctness under dropouts matters; the corrupt rate must be 0. */
  NO_ADVERSARY,
  /** Semi-honest (honest-but-curious) coordinator, possibly colluding with the corrupt banks. */
  SEMI_HONEST_SERVER,
  /**
   * Semi-malicious coordinator: may lie about who dropped (to different banks differently) while
   * colluding with the corrupt banks; needs a higher threshold (2t > neighbours + corrupt).
   */
  SEMI_MALICIOUS_SERVER
}
