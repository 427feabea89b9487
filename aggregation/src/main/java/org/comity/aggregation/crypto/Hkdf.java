package org.comity.aggregation.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256 (RFC 5869) over Bouncy Castle.
 *
 * <p><b>Security guarantees.</b> Output is a pseudorandom key as long as the input keying material
 * has enough entropy; distinct {@code info} values give independent keys, which is how Comity binds
 * the session id, round and both member ids into every derived key.
 */
public final class Hkdf {
  /** RFC 5869 limit for SHA-256: 255 blocks of 32 bytes. */
  public static final int MAX_OUTPUT_LENGTH = 255 * 32;

  private Hkdf() {}

  /** Returns raw HKDF output; used by the known-answer tests. */
  public static byte[] deriveBytes(byte[] inputKeyMaterial, byte[] salt, byte[] info, int length) {
    if (length <= 0 || length > MAX_OUTPUT_LENGTH) {
      throw new IllegalArgumentException(
          "HKDF-SHA256 output length must be in [1, " + MAX_OUTPUT_LENGTH + "], got " + length);
    }
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(inputKeyMaterial, salt, info));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  /** Derives a secret key from a secret input (for example an X25519 shared secret). */
  public static SecretBytes derive(SecretBytes inputKeyMaterial, byte[] salt, byte[] info, int length) {
    byte[] out = deriveBytes(inputKeyMaterial.unsafeView(), salt, info, length);
    try {
      return SecretBytes.copyOf(out);
    } finally {
      SecretBytes.wipe(out);
    }
  }
}
