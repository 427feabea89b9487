package org.comity.aggregation.shamir;

import org.comity.aggregation.crypto.SecretBytes;

/**
 * One Shamir share: the point {@code (x, y)} of the sharing polynomial, {@code y} big-endian in
 * {@link ShamirSecretSharing#SHARE_VALUE_LENGTH} bytes. {@code y} is secret: fewer than the
 * threshold of shares reveal nothing, but each is still key material, so it lives in a {@link
 * SecretBytes} and prints redacted.
 *
 * @param x the 1-based evaluation point (Comity: the holder's 1-based position among the sorted member ids)
 * @param y the polynomial value at {@code x}
 */
public record Share(int x, SecretBytes y) {
  public Share {
    if (x < 1) {
      throw new IllegalArgumentException("share x-coordinate must be >= 1, got " + x);
    }
    if (y == null || y.length() != ShamirSecretSharing.SHARE_VALUE_LENGTH) {
      throw new IllegalArgumentException("share value must be " + ShamirSecretSharing.SHARE_VALUE_LENGTH
          + " bytes, got " + (y == null ? "null" : y.length()));
    }
  }

  @Override
  public String toString() {
    return "Share[x=" + x + ", y=<redacted>]";
  }
}
