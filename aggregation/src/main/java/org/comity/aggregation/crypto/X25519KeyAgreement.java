package org.comity.aggregation.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * X25519 Diffie-Hellman (RFC 7748) over Bouncy Castle's implementation.
 *
 * <p><b>Security guarantees.</b> A shared secret is 32 bytes; an all-zero result (peer sent a
 * low-order point) is refused with {@link IllegalArgumentException}, as RFC 7748 section 6.1
 * permits, so a malicious peer cannot force a known shared secret. Private keys never leave a
 * {@link SecretBytes}. The raw shared secret must go through a KDF ({@link Hkdf}) before use.
 */
public final class X25519KeyAgreement {
  public static final int KEY_LENGTH = 32;

  private X25519KeyAgreement() {}

  /** A key pair: secret private scalar and public u-coordinate. */
  public record KeyPair(SecretBytes privateKey, byte[] publicKey) {
    public KeyPair {
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public String toString() {
      return "X25519KeyPair<private redacted>";
    }
  }

  public static KeyPair generate(SecureRandom random) {
    X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(random);
    byte[] encoded = priv.getEncoded();
    try {
      return new KeyPair(SecretBytes.copyOf(encoded), priv.generatePublicKey().getEncoded());
    } finally {
      SecretBytes.wipe(encoded);
    }
  }

  /** Public key for a 32-byte private scalar (clamped per RFC 7748). */
  public static byte[] publicKeyOf(SecretBytes privateKey) {
    requireLength(privateKey.length(), "private key");
    return new X25519PrivateKeyParameters(privateKey.unsafeView(), 0).generatePublicKey().getEncoded();
  }

  /**
   * Computes X25519(privateKey, peerPublicKey).
   *
   * @throws IllegalArgumentException if a key has the wrong length or the result is all zero
   */
  public static SecretBytes agree(SecretBytes privateKey, byte[] peerPublicKey) {
    requireLength(privateKey.length(), "private key");
    requireLength(peerPublicKey.length, "peer public key");
    X25519Agreement agreement = new X25519Agreement();
    agreement.init(new X25519PrivateKeyParameters(privateKey.unsafeView(), 0));
    byte[] out = new byte[KEY_LENGTH];
    try {
      agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublicKey, 0), out, 0);
    } catch (IllegalStateException lowOrderPoint) {
      throw new IllegalArgumentException("X25519 agreement gave the all-zero secret: peer key is a low-order point", lowOrderPoint);
    }
    boolean allZero = true;
    for (byte b : out) {
      allZero &= b == 0;
    }
    if (allZero) {
      throw new IllegalArgumentException("X25519 agreement gave the all-zero secret: peer key is a low-order point");
    }
    try {
      return SecretBytes.copyOf(out);
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  /**
   * True when {@code publicKey} is 32 bytes and not a low-order point (one whose agreement with every
   * private key is the all-zero secret). Lets the coordinator refuse such keys at advertisement,
   * before any bank tries to use them. Costs one scalar multiplication.
   */
  public static boolean isValidPublicKey(byte[] publicKey) {
    if (publicKey == null || publicKey.length != KEY_LENGTH) {
      return false;
    }
    byte[] probe = new byte[KEY_LENGTH];
    java.util.Arrays.fill(probe, (byte) 0x5a);
    try {
      agree(SecretBytes.copyOf(probe), publicKey);
      return true;
    } catch (IllegalArgumentException lowOrder) {
      return false;
    }
  }

  private static void requireLength(int length, String what) {
    if (length != KEY_LENGTH) {
      throw new IllegalArgumentException(what + " must be " + KEY_LENGTH + " bytes, got " + length);
    }
  }
}
