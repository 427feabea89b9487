package org.comity.aggregation.secagg;

import java.util.Map;

/**
 * Stage 4, coordinator → each bank that sent its shares: the ciphertexts addressed to it by the
 * neighbours that also sent theirs. The senders listed are exactly the neighbours the bank masks
 * pairwise with.
 *
 * @param ciphertextBySender sender id → ciphertext
 */
public record ShareDelivery(long roundId, byte[] sessionId, Map<String, byte[]> ciphertextBySender)
    implements ServerMessage {
  public ShareDelivery {
    sessionId = Bytes.copy(sessionId, "session id");
    ciphertextBySender = Bytes.copy(ciphertextBySender, "ciphertexts");
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  @Override
  public Map<String, byte[]> ciphertextBySender() {
    return Bytes.deepCopyView(ciphertextBySender);
  }


  @Override
  public String toString() {
    return "ShareDelivery[round=" + roundId + ", senders=" + ciphertextBySender.keySet() + "]";
  }
}
