package org.comity.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.comity.aggregation.crypto.Hkdf;
import org.comity.aggregation.crypto.SecretBytes;
import org.comity.aggregation.crypto.X25519KeyAgreement;
import org.comity.aggregation.shamir.ShamirSecretSharing;
import org.comity.aggregation.shamir.Share;

/**
 * The protocol's key schedule and byte layouts, shared by the bank and coordinator sides.
 *
 * <ul>
 *   <li>Share encryption key from bank A to bank B: HKDF-SHA256(ikm = X25519(A.c_sk, B.c_pk), salt =
 *       session id, info = "comity/secagg/v1/share-key" | round | A | B), 32 bytes. Directional, so
 *       A→B and B→A never share a key.
 *   <li>Share AAD: "comity/secagg/v1/aad" | round | "SHARE_KEYS" | session id | A | B.
 *   <li>Pairwise mask seed of A and B: HKDF-SHA256(ikm = X25519(A.s_sk, B.s_pk), salt = session id,
 *       info = "comity/secagg/v1/pairwise-mask" | round | min(A,B) | max(A,B)), 32 bytes; bank A adds
 *       the mask if A &lt; B (String order) and subtracts it otherwise, so pairs cancel.
 *   <li>Share plaintext: self-mask-seed share y (33 bytes) | masking-key share y (33 bytes); the x
 *       coordinate is the recipient's.
 * </ul>
 *
 * Strings are length-prefixed UTF-8 (4-byte big-endian length); integers are big-endian.
 */
public final class ProtocolCrypto {
  public static final String SHARE_KEYS_STAGE = "SHARE_KEYS";
  private static final int SHARE_PLAINTEXT_LENGTH = 2 * ShamirSecretSharing.SHARE_VALUE_LENGTH;

  private ProtocolCrypto() {}

  public static SecretBytes shareKey(SecretBytes ownEncryptionPrivateKey, byte[] peerEncryptionPublicKey,
      byte[] sessionId, long roundId, String from, String to) {
    return shareKeyFromSharedSecret(X25519KeyAgreement.agree(ownEncryptionPrivateKey, peerEncryptionPublicKey),
        sessionId, roundId, from, to);
  }

  /** As {@link #shareKey} from an already computed X25519 shared secret (one agreement serves both directions). */
  public static SecretBytes shareKeyFromSharedSecret(SecretBytes sharedSecret, byte[] sessionId, long roundId,
      String from, String to) {
    return Hkdf.derive(sharedSecret, sessionId, label("comity/secagg/v1/share-key", roundId, from, to), 32);
  }

  public static byte[] shareAad(byte[] sessionId, long roundId, String from, String to) {
    byte[] head = label("comity/secagg/v1/aad", roundId, SHARE_KEYS_STAGE, "");
    byte[] ids = label("", 0, from, to);
    return ByteBuffer.allocate(head.length + sessionId.length + ids.length).put(head).put(sessionId).put(ids).array();
  }

  public static SecretBytes pairwiseSeed(SecretBytes ownMaskingPrivateKey, byte[] peerMaskingPublicKey,
      byte[] sessionId, long roundId, String a, String b) {
    SecretBytes shared = X25519KeyAgreement.agree(ownMaskingPrivateKey, peerMaskingPublicKey);
    String low = a.compareTo(b) < 0 ? a : b;
    String high = a.compareTo(b) < 0 ? b : a;
    return Hkdf.derive(shared, sessionId, label("comity/secagg/v1/pairwise-mask", roundId, low, high), 32);
  }

  /** +1 if {@code self} adds the pairwise mask shared with {@code peer}, -1 if it subtracts it. */
  public static int pairwiseSign(String self, String peer) {
    return self.compareTo(peer) < 0 ? 1 : -1;
  }

  public static SecretBytes sharePlaintext(Share selfMaskSeedShare, Share maskingKeyShare) {
    byte[] a = selfMaskSeedShare.y().copyOfSecret();
    byte[] b = maskingKeyShare.y().copyOfSecret();
    byte[] out = new byte[SHARE_PLAINTEXT_LENGTH];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    try {
      return SecretBytes.copyOf(out);
    } finally {
      SecretBytes.wipe(a);
      SecretBytes.wipe(b);
      SecretBytes.wipe(out);
    }
  }

  /**
   * @return {self-mask-seed share, masking-key share} at {@code x}
   * @throws IllegalArgumentException if the plaintext has the wrong length
   */
  public static Share[] parseSharePlaintext(SecretBytes plaintext, int x) {
    if (plaintext.length() != SHARE_PLAINTEXT_LENGTH) {
      throw new IllegalArgumentException("share plaintext must be " + SHARE_PLAINTEXT_LENGTH + " bytes, got "
          + plaintext.length());
    }
    byte[] raw = plaintext.copyOfSecret();
    int half = ShamirSecretSharing.SHARE_VALUE_LENGTH;
    try {
      return new Share[] {
          new Share(x, SecretBytes.copyOf(java.util.Arrays.copyOfRange(raw, 0, half))),
          new Share(x, SecretBytes.copyOf(java.util.Arrays.copyOfRange(raw, half, 2 * half)))};
    } finally {
      SecretBytes.wipe(raw);
    }
  }

  /** Packs words little-endian, 4 bytes each. */
  public static byte[] packWords(int[] words) {
    ByteBuffer buffer = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asIntBuffer().put(words);
    return buffer.array();
  }

  public static int[] unpackWords(byte[] packed) {
    if (packed.length % 4 != 0) {
      throw new IllegalArgumentException("packed words must be a multiple of 4 bytes, got " + packed.length);
    }
    int[] out = new int[packed.length / 4];
    ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
    return out;
  }

  private static byte[] label(String domain, long roundId, String first, String second) {
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    byte[] f = first.getBytes(StandardCharsets.UTF_8);
    byte[] s = second.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + d.length + 8 + 4 + f.length + 4 + s.length).putInt(d.length).put(d)
        .putLong(roundId).putInt(f.length).put(f).putInt(s.length).put(s).array();
  }
}
