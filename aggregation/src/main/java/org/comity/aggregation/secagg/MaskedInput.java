package org.comity.aggregation.secagg;

/**
 * Stage 5, bank → coordinator: the masked encoded update, {@link SecAggConfig#encodedLength()}
 * 32-bit words, little-endian, packed (4 bytes per word). Uniformly random to anyone without the
 * masks.
 */
public record MaskedInput(long roundId, byte[] sessionId, String sender, byte[] maskedWords) implements ClientMessage {
  public MaskedInput {
    sessionId = Bytes.copy(sessionId, "session id");
    maskedWords = Bytes.copy(maskedWords, "masked words");
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  @Override
  public byte[] maskedWords() {
    return maskedWords.clone();
  }


  @Override
  public String toString() {
    return "MaskedInput[round=" + roundId + ", sender=" + sender + ", bytes=" + maskedWords.length + "]";
  }
}
