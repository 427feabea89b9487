package org.comity.aggregation.secagg;

import java.util.List;
import java.util.TreeSet;

/**
 * Stage 6, coordinator → each bank that sent a masked input: who survived (their self-mask seed
 * shares are wanted) and who dropped after sharing keys (their masking-key shares are wanted).
 * A bank answers at most one request, and refuses one that lists a bank in both sets.
 */
public record UnmaskRequest(long roundId, byte[] sessionId, List<String> survivors, List<String> dropped)
    implements ServerMessage {
  public UnmaskRequest {
    sessionId = Bytes.copy(sessionId, "session id");
    survivors = List.copyOf(new TreeSet<>(survivors));
    dropped = List.copyOf(new TreeSet<>(dropped));
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  @Override
  public String toString() {
    return "UnmaskRequest[round=" + roundId + ", survivors=" + survivors + ", dropped=" + dropped + "]";
  }
}
