package org.comity.aggregation.secagg;

import java.util.List;

/**
 * Stage 2, coordinator → each bank that advertised: every advertised key pair, sorted by sender.
 * Each bank checks that its own keys are listed unchanged, then computes the session id {@link
 * SessionId#of} over the config and this list; the neighbour graph is derived from it.
 */
public record KeyDirectory(long roundId, List<AdvertiseKeys> advertised) implements ServerMessage {
  public KeyDirectory {
    advertised = List.copyOf(advertised);
  }
}
