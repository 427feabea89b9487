package org.comity.coordinator.audit;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a trail: sequence numbers without gaps, each entry chained to the previous one's hash, each hash
 * recomputed from the entry's fields, each signature valid under a recorded key, and the signing keys trusted.
 *
 * <p><b>What is detected:</b> an edited entry (hash mismatch), a removed, inserted or reordered entry (sequence or
 * chain break), an entry signed with another key than the trail's (unknown or untrusted key, or a bad signature).
 * <b>What is not, on its own:</b> entries removed from the end (the shorter trail is a valid trail; pass the head
 * hash recorded earlier as {@code expectedHead}), and a whole trail rewritten by someone holding the signing key
 * (pin the key with {@code trustedKeyIds} and record head hashes outside the coordinator's control).
 */
public final class AuditVerifier {
  private AuditVerifier() {}

  /**
   * @param entries the trail in stored order
   * @param signers the recorded public keys
   * @param trustedKeyIds keys allowed to sign; empty means: the key of the first entry (trust on first use),
   *     and any change of key fails
   * @param expectedHead a head hash recorded earlier that must be in the trail, or {@code null}
   */
  public static AuditVerification verify(List<AuditEntry> entries, List<AuditSignerKey> signers,
      Set<String> trustedKeyIds, String expectedHead) {
    Map<String, AuditSignerKey> byId = new LinkedHashMap<>();
    for (AuditSignerKey signer : signers) {
      byId.put(signer.keyId(), signer);
    }
    List<String> used = new ArrayList<>();
    String head = AuditEntry.GENESIS_HASH;
    boolean expectedHeadSeen = expectedHead == null || expectedHead.equals(AuditEntry.GENESIS_HASH);
    for (int i = 0; i < entries.size(); i++) {
      AuditEntry entry = entries.get(i);
      long position = i + 1;
      String problem = check(entry, position, head, byId, trustedKeyIds, used);
      if (problem != null) {
        return new AuditVerification(false, i, head, position, problem, used);
      }
      if (!used.contains(entry.keyId())) {
        used.add(entry.keyId());
      }
      head = entry.hash();
      expectedHeadSeen |= head.equals(expectedHead);
    }
    if (!expectedHeadSeen) {
      return new AuditVerification(false, entries.size(), head, entries.size() + 1L, ("the recorded head %s is not "
          + "in the trail: entries were removed from its end, or the trail was rewritten").formatted(expectedHead),
          used);
    }
    return new AuditVerification(true, entries.size(), head, 0, null, used);
  }

  private static String check(AuditEntry entry, long position, String previousHash, Map<String, AuditSignerKey> signers,
      Set<String> trustedKeyIds, List<String> used) {
    if (entry.sequence() != position) {
      return ("sequence break: expected sequence %d, found %d (an entry was removed, inserted or reordered)")
          .formatted(position, entry.sequence());
    }
    if (!entry.previousHash().equals(previousHash)) {
      return ("chain break: its previous hash %s is not the hash %s of the entry before it (an entry was removed, "
          + "replaced or reordered)").formatted(abbreviate(entry.previousHash()), abbreviate(previousHash));
    }
    String recomputed = entry.computeHash();
    if (!recomputed.equals(entry.hash())) {
      return "hash mismatch: its content hashes to %s but it records %s (the entry was edited after it was written)"
          .formatted(abbreviate(recomputed), abbreviate(entry.hash()));
    }
    AuditSignerKey signer = signers.get(entry.keyId());
    if (signer == null) {
      return "signed by key %s, which is not among the trail's recorded signers".formatted(abbreviate(entry.keyId()));
    }
    PublicKey key;
    try {
      key = signer.decode();
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (!trustedKeyIds.isEmpty() && !trustedKeyIds.contains(entry.keyId())) {
      return "signed by key %s, which is not one of the trusted keys given".formatted(entry.keyId());
    }
    if (trustedKeyIds.isEmpty() && !used.isEmpty() && !used.get(0).equals(entry.keyId())) {
      return ("signed by key %s, but the trail was signed by %s until here; a change of signing key is accepted "
          + "only when both keys are given as trusted").formatted(entry.keyId(), used.get(0));
    }
    if (!AuditSigner.verify(key, entry.hash(), entry.signature())) {
      return "bad signature: not signed by key %s (forged, or re-signed with another key)"
          .formatted(abbreviate(entry.keyId()));
    }
    return null;
  }

  private static String abbreviate(String hash) {
    return hash.length() > 16 ? hash.substring(0, 16) + "..." : hash;
  }
}
