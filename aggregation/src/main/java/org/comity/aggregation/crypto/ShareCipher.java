package org.comity.aggregation.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM authenticated encryption of Shamir shares (JDK provider).
 *
 * <p>Ciphertext layout: {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}; the nonce is drawn
 * from the injected {@link SecureRandom} for every message.
 *
 * <p><b>Security guarantees.</b> IND-CCA2 confidentiality and integrity of the plaintext and of the
 * associated data: a changed bit in the ciphertext, the tag, the nonce or the AAD makes {@link
 * #decrypt} fail with {@link GeneralSecurityException}. Comity's AAD binds round, stage and both
 * member ids, so a ciphertext cannot be moved to another round, stage or recipient.
 */
public final class ShareCipher {
  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  private ShareCipher() {}

  public static byte[] encrypt(SecretBytes key, byte[] plaintext, byte[] associatedData, SecureRandom random)
      throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    return encryptWithNonce(key, nonce, plaintext, associatedData);
  }

  /** Deterministic form for known-answer tests; production code must use {@link #encrypt}. */
  public static byte[] encryptWithNonce(SecretBytes key, byte[] nonce, byte[] plaintext, byte[] associatedData)
      throws GeneralSecurityException {
    requireKey(key);
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("GCM nonce must be " + NONCE_LENGTH + " bytes, got " + nonce.length);
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.unsafeView(), "AES"),
        new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    cipher.updateAAD(associatedData);
    byte[] body = cipher.doFinal(plaintext);
    byte[] out = Arrays.copyOf(nonce, NONCE_LENGTH + body.length);
    System.arraycopy(body, 0, out, NONCE_LENGTH, body.length);
    return out;
  }

  /**
   * Returns the plaintext wrapped as a secret.
   *
   * @throws GeneralSecurityException if the ciphertext is too short or fails authentication
   */
  public static SecretBytes decrypt(SecretBytes key, byte[] ciphertext, byte[] associatedData)
      throws GeneralSecurityException {
    requireKey(key);
    if (ciphertext.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new GeneralSecurityException("ciphertext too short: " + ciphertext.length + " bytes, need at least "
          + (NONCE_LENGTH + TAG_LENGTH));
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.unsafeView(), "AES"),
        new GCMParameterSpec(TAG_LENGTH * 8, ciphertext, 0, NONCE_LENGTH));
    cipher.updateAAD(associatedData);
    byte[] plain = cipher.doFinal(ciphertext, NONCE_LENGTH, ciphertext.length - NONCE_LENGTH);
    try {
      return SecretBytes.copyOf(plain);
    } finally {
      SecretBytes.wipe(plain);
    }
  }

  private static void requireKey(SecretBytes key) {
    if (key.length() != KEY_LENGTH) {
      throw new IllegalArgumentException("AES-256-GCM key must be " + KEY_LENGTH + " bytes, got " + key.length());
    }
  }
}
