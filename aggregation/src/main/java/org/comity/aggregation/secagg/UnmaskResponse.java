package org.comity.aggregation.secagg;

import java.util.Map;
import java.util.TreeMap;
import java.util.Collections;
import org.comity.aggregation.shamir.Share;

/**
 * Stage 7, bank → coordinator: the sender's shares of the surviving neighbours' self-mask seeds
 * (itself included) and of the dropped neighbours' masking private keys. Never both for one owner.
 *
 * @param selfMaskSeedShares owner id → the sender's share of that owner's self-mask seed
 * @param maskingKeyShares owner id → the sender's share of that owner's masking private key
 */
public record UnmaskResponse(long roundId, byte[] sessionId, String sender, Map<String, Share> selfMaskSeedShares,
    Map<String, Share> maskingKeyShares) implements ClientMessage {
  public UnmaskResponse {
    sessionId = Bytes.copy(sessionId, "session id");
    selfMaskSeedShares = Collections.unmodifiableMap(new TreeMap<>(selfMaskSeedShares));
    maskingKeyShares = Collections.unmodifiableMap(new TreeMap<>(maskingKeyShares));
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  @Override
  public String toString() {
    return "UnmaskResponse[round=" + roundId + ", sender=" + sender + ", selfMaskSeedShares of "
        + selfMaskSeedShares.keySet() + ", maskingKeyShares of " + maskingKeyShares.keySet() + ", values=<redacted>]";
  }
}
