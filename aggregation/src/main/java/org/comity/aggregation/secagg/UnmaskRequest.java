package org.comity.aggregation.secagg;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Stage 6, coordinator → each bank that sent a masked input (with the consistency check: each bank that signed
 * the survivor set): who survived (their self-mask seed shares are wanted) and who dropped after sharing keys
 * (their masking-key shares are wanted). A bank answers at most one request, and refuses one that lists a bank
 * in both sets.
 *
 * @param signatures with the consistency check: member id → that member's signature over the {@link
 *     ConsistencyStatement} of {@code survivors}; a bank unmasks only if at least the threshold of them are valid
 *     signatures by members of {@code survivors}. Empty without the check.
 */
public record UnmaskRequest(long roundId, byte[] sessionId, List<String> survivors, List<String> dropped,
    Map<String, byte[]> signatures) implements ServerMessage {
  public UnmaskRequest {
    sessionId = Bytes.copy(sessionId, "session id");
    survivors = List.copyOf(new TreeSet<>(survivors));
    dropped = List.copyOf(new TreeSet<>(dropped));
    signatures = Bytes.copy(signatures, "signatures");
  }

  /** A request without the consistency check (no signatures). */
  public UnmaskRequest(long roundId, byte[] sessionId, List<String> survivors, List<String> dropped) {
    this(roundId, sessionId, survivors, dropped, Map.of());
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  /** A copy: the arrays inside are copies too. */
  @Override
  public Map<String, byte[]> signatures() {
    return Bytes.deepCopyView(signatures);
  }

  @Override
  public String toString() {
    return "UnmaskRequest[round=" + roundId + ", survivors=" + survivors + ", dropped=" + dropped
        + (signatures.isEmpty() ? "" : ", signaturesBy=" + signatures.keySet()) + "]";
  }
}
