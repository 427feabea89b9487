package org.comity.aggregation.secagg;

import java.util.List;
import java.util.TreeSet;

/**
 * Consistency-check stage, coordinator → each bank whose masked input it holds (only when {@link
 * SecAggConfig#consistencyCheck()} is on): the survivor set U3. The bank checks it and answers with its
 * signature over the {@link ConsistencyStatement}; it signs at most one set per round.
 *
 * @param survivors U3, stored sorted and distinct
 */
public record ConsistencyCheckRequest(long roundId, byte[] sessionId, List<String> survivors) implements ServerMessage {
  public ConsistencyCheckRequest {
    sessionId = Bytes.copy(sessionId, "session id");
    if (survivors == null) {
      throw new IllegalArgumentException("survivors must not be null");
    }
    survivors = List.copyOf(new TreeSet<>(survivors));
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  @Override
  public String toString() {
    return "ConsistencyCheckRequest[round=" + roundId + ", survivors=" + survivors + "]";
  }
}
