package org.comity.aggregation.secagg;

import java.util.Arrays;

/**
 * Stage 1, bank → coordinator: the bank's two fresh X25519 public keys for this round.
 *
 * @param encryptionPublicKey 32 bytes; peers derive the AES-GCM key for the shares they send it
 * @param maskingPublicKey 32 bytes; peers derive the pairwise mask seed with it
 */
public record AdvertiseKeys(long roundId, String sender, byte[] encryptionPublicKey, byte[] maskingPublicKey)
    implements ClientMessage {
  public AdvertiseKeys {
    encryptionPublicKey = Bytes.copy(encryptionPublicKey, "encryption public key");
    maskingPublicKey = Bytes.copy(maskingPublicKey, "masking public key");
  }

  @Override
  public byte[] encryptionPublicKey() {
    return encryptionPublicKey.clone();
  }

  @Override
  public byte[] maskingPublicKey() {
    return maskingPublicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdvertiseKeys a && a.roundId == roundId && a.sender.equals(sender)
        && Arrays.equals(a.encryptionPublicKey, encryptionPublicKey) && Arrays.equals(a.maskingPublicKey, maskingPublicKey);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(roundId) * 31 + sender.hashCode();
  }

  @Override
  public String toString() {
    return "AdvertiseKeys[round=" + roundId + ", sender=" + sender + ", c=" + Bytes.shortHex(encryptionPublicKey)
        + "…, s=" + Bytes.shortHex(maskingPublicKey) + "…]";
  }
}
