package org.comity.aggregation.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Expands a 256-bit seed into a mask vector over Z_{2^32} with the JDK's ChaCha20 stream cipher.
 *
 * <p>Coordinate {@code i} is the little-endian 32-bit word at byte offset {@code 4 i} of the ChaCha20
 * keystream (RFC 8439) under key = seed, a fixed all-zero nonce and initial counter 0. Using a fixed
 * nonce is safe because every seed is used for exactly one stream: self-mask seeds are fresh per
 * round, pairwise seeds are derived per session and pair.
 *
 * <p><b>Security guarantees.</b> The stream is computationally indistinguishable from uniform for
 * anyone who does not know the full 256-bit seed; word arithmetic mod 2^32 keeps masked values
 * uniform.
 */
public final class MaskGenerator {
  public static final int SEED_LENGTH = 32;
  private static final int CHUNK_WORDS = 4096;

  private MaskGenerator() {}

  /**
   * Adds {@code sign * mask(seed)} (sign is +1 or -1) to {@code accumulator} in place, mod 2^32.
   */
  public static void addMask(int[] accumulator, SecretBytes seed, int sign) {
    if (sign != 1 && sign != -1) {
      throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
    }
    if (seed.length() != SEED_LENGTH) {
      throw new IllegalArgumentException("mask seed must be " + SEED_LENGTH + " bytes, got " + seed.length());
    }
    Cipher cipher;
    try {
      cipher = Cipher.getInstance("ChaCha20");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed.unsafeView(), "ChaCha20"),
          new ChaCha20ParameterSpec(new byte[12], 0));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20 is required by the Java platform but unavailable", e);
    }
    byte[] zeros = new byte[CHUNK_WORDS * 4];
    byte[] stream = new byte[CHUNK_WORDS * 4];
    for (int offset = 0; offset < accumulator.length; offset += CHUNK_WORDS) {
      int words = Math.min(CHUNK_WORDS, accumulator.length - offset);
      try {
        cipher.update(zeros, 0, words * 4, stream, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("ChaCha20 keystream generation failed", e);
      }
      for (int w = 0; w < words; w++) {
        int b = w * 4;
        int word = (stream[b] & 0xff) | (stream[b + 1] & 0xff) << 8 | (stream[b + 2] & 0xff) << 16
            | (stream[b + 3] & 0xff) << 24;
        accumulator[offset + w] += sign * word;
      }
    }
    SecretBytes.wipe(stream);
  }

  /** The mask itself (test and benchmark helper). */
  public static int[] mask(SecretBytes seed, int length) {
    int[] out = new int[length];
    addMask(out, seed, 1);
    return out;
  }
}
