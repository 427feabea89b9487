package org.comity.aggregation.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Immutable holder of secret key material (private keys, seeds, share values).
 *
 * <p><b>Security guarantees.</b> {@link #toString()} never prints the bytes; {@link #equals(Object)}
 * compares in constant time (for equal lengths) so that it leaks no prefix length; the bytes are only
 * reachable through {@link #copyOfSecret()}, whose name makes every raw read greppable in review.
 * The internal array is never shared: both construction and access copy.
 */
public final class SecretBytes {
  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code secret}; the caller may wipe its own array afterwards. */
  public static SecretBytes copyOf(byte[] secret) {
    if (secret == null) {
      throw new IllegalArgumentException("secret must not be null");
    }
    return new SecretBytes(secret.clone());
  }

  /** Fresh uniformly random secret of {@code length} bytes drawn from {@code random}. */
  public static SecretBytes random(int length, SecureRandom random) {
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive, got " + length);
    }
    byte[] b = new byte[length];
    random.nextBytes(b);
    return new SecretBytes(b);
  }

  /** Returns a copy of the secret bytes. Every call site is a place where a secret leaves its wrapper. */
  public byte[] copyOfSecret() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** Constant-time for equal lengths (length itself is not secret). */
  @Override
  public boolean equals(Object other) {
    return other instanceof SecretBytes that && MessageDigest.isEqual(bytes, that.bytes);
  }

  /** Length-only hash: a hash of the content would be a leak. */
  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "SecretBytes<redacted, " + bytes.length + " bytes>";
  }

  /** Package-private view used only by primitives in this package to avoid a copy. */
  byte[] unsafeView() {
    return bytes;
  }

  /** Overwrites a caller-held temporary array. */
  public static void wipe(byte[] temporary) {
    if (temporary != null) {
      Arrays.fill(temporary, (byte) 0);
    }
  }
}
