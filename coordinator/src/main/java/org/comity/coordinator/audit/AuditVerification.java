package org.comity.coordinator.audit;

import java.util.List;

/**
 * The result of checking an audit trail.
 *
 * @param ok whether every check passed
 * @param entries number of entries checked (all of them when ok; up to the bad one otherwise)
 * @param headHash hash of the last good entry ({@link AuditEntry#GENESIS_HASH} for an empty trail): record it
 *     elsewhere, since removing entries from the end is only detectable against a head recorded earlier
 * @param badSequence sequence number (position) of the first bad entry, or 0 when ok
 * @param problem what is wrong with it, or {@code null} when ok
 * @param signerKeyIds the keys that signed the good entries, in order of first use
 */
public record AuditVerification(boolean ok, long entries, String headHash, long badSequence, String problem,
    List<String> signerKeyIds) {
  public AuditVerification {
    signerKeyIds = List.copyOf(signerKeyIds);
    if (ok != (problem == null)) {
      throw new IllegalArgumentException("a verification has a problem exactly when it failed");
    }
  }

  /** One line for an operator. */
  public String summary() {
    if (ok) {
      return "OK: %d entries, head %s, signed by %s".formatted(entries, headHash, String.join(", ", signerKeyIds));
    }
    return "FAILED at entry %d: %s (the %d entries before it verify; head of those %s)".formatted(badSequence,
        problem, badSequence - 1, headHash);
  }
}
