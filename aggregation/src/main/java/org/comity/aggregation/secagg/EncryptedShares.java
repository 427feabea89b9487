package org.comity.aggregation.secagg;

import java.util.Map;

/**
 * Stage 3, bank → coordinator: for each graph neighbour that advertised keys, one AES-256-GCM
 * ciphertext (nonce || ciphertext || tag) holding the sender's Shamir shares, for that neighbour, of
 * its self-mask seed and of its masking private key. The coordinator cannot decrypt them.
 *
 * @param ciphertextByRecipient recipient id → ciphertext
 */
public record EncryptedShares(long roundId, byte[] sessionId, String sender, Map<String, byte[]> ciphertextByRecipient)
    implements ClientMessage {
  public EncryptedShares {
    sessionId = Bytes.copy(sessionId, "session id");
    ciphertextByRecipient = Bytes.copy(ciphertextByRecipient, "ciphertexts");
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  @Override
  public Map<String, byte[]> ciphertextByRecipient() {
    return Bytes.deepCopyView(ciphertextByRecipient);
  }


  @Override
  public String toString() {
    return "EncryptedShares[round=" + roundId + ", sender=" + sender + ", recipients=" + ciphertextByRecipient.keySet() + "]";
  }
}
