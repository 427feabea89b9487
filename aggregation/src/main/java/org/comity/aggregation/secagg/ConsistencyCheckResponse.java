package org.comity.aggregation.secagg;

/**
 * Consistency-check stage, bank → coordinator: the sender's signature over the {@link ConsistencyStatement} of
 * the survivor set it was shown.
 *
 * @param signature at most {@link ConsistencyStatement#MAX_SIGNATURE_LENGTH} bytes (the coordinator refuses
 *     longer ones)
 */
public record ConsistencyCheckResponse(long roundId, byte[] sessionId, String sender, byte[] signature)
    implements ClientMessage {
  public ConsistencyCheckResponse {
    sessionId = Bytes.copy(sessionId, "session id");
    signature = Bytes.copy(signature, "signature");
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public String toString() {
    return "ConsistencyCheckResponse[round=" + roundId + ", sender=" + sender + ", signatureBytes="
        + signature.length + "]";
  }
}
