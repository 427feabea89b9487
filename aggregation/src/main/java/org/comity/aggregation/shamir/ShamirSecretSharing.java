package org.comity.aggregation.shamir;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.comity.aggregation.crypto.SecretBytes;

/**
 * Shamir secret sharing of 32-byte secrets over the prime field GF(p), p = 2^256 + 297 (the smallest
 * prime above 2^256), so every 256-bit seed or X25519 private key is one field element.
 *
 * <p><b>Security guarantees.</b> Any {@code threshold - 1} shares are independent of the secret
 * (information-theoretic); any {@code threshold} shares determine it. Coefficients come from the
 * injected {@link SecureRandom}, uniformly in [0, p). Share values are 33 bytes because the field
 * is slightly larger than 2^256.
 */
public final class ShamirSecretSharing {
  public static final BigInteger FIELD_PRIME = BigInteger.ONE.shiftLeft(256).add(BigInteger.valueOf(297));
  public static final int SECRET_LENGTH = 32;
  public static final int SHARE_VALUE_LENGTH = 33;

  private ShamirSecretSharing() {}

  /**
   * Splits {@code secret} into one share per distinct x-coordinate in {@code xs}.
   *
   * @throws IllegalArgumentException if the secret is not 32 bytes, the threshold is not in
   *     [1, xs.length], or an x-coordinate is not in [1, p) or repeats
   */
  public static List<Share> split(SecretBytes secret, int threshold, int[] xs, SecureRandom random) {
    if (secret.length() != SECRET_LENGTH) {
      throw new IllegalArgumentException("secret must be " + SECRET_LENGTH + " bytes, got " + secret.length());
    }
    if (threshold < 1 || threshold > xs.length) {
      throw new IllegalArgumentException(
          "need 1 <= threshold <= shareCount, got %d of %d".formatted(threshold, xs.length));
    }
    requireDistinctPositive(xs);
    byte[] raw = secret.copyOfSecret();
    BigInteger[] coefficients = new BigInteger[threshold];
    coefficients[0] = new BigInteger(1, raw);
    SecretBytes.wipe(raw);
    for (int i = 1; i < threshold; i++) {
      coefficients[i] = uniformFieldElement(random);
    }
    List<Share> shares = new ArrayList<>(xs.length);
    for (int x : xs) {
      BigInteger bx = BigInteger.valueOf(x);
      BigInteger y = BigInteger.ZERO;
      for (int i = threshold - 1; i >= 0; i--) {
        y = y.multiply(bx).add(coefficients[i]).mod(FIELD_PRIME);
      }
      shares.add(new Share(x, toFixed(y, SHARE_VALUE_LENGTH)));
    }
    return List.copyOf(shares);
  }

  /**
   * Reconstructs the secret by Lagrange interpolation at 0 from exactly the first {@code threshold}
   * of {@code shares}.
   *
   * @throws IllegalArgumentException if fewer than {@code threshold} shares are given, x-coordinates
   *     repeat, or the interpolated value does not fit 32 bytes (inconsistent shares)
   */
  public static SecretBytes reconstruct(List<Share> shares, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be >= 1, got " + threshold);
    }
    if (shares.size() < threshold) {
      throw new IllegalArgumentException(
          "need at least %d shares to reconstruct, got %d".formatted(threshold, shares.size()));
    }
    List<Share> used = shares.subList(0, threshold);
    int[] xs = used.stream().mapToInt(Share::x).toArray();
    requireDistinctPositive(xs);
    BigInteger secret = BigInteger.ZERO;
    for (int i = 0; i < threshold; i++) {
      BigInteger numerator = BigInteger.ONE;
      BigInteger denominator = BigInteger.ONE;
      for (int j = 0; j < threshold; j++) {
        if (i != j) {
          numerator = numerator.multiply(BigInteger.valueOf(-xs[j])).mod(FIELD_PRIME);
          denominator = denominator.multiply(BigInteger.valueOf(xs[i] - xs[j])).mod(FIELD_PRIME);
        }
      }
      byte[] yRaw = used.get(i).y().copyOfSecret();
      BigInteger y = new BigInteger(1, yRaw);
      SecretBytes.wipe(yRaw);
      secret = secret.add(y.multiply(numerator).multiply(denominator.modInverse(FIELD_PRIME))).mod(FIELD_PRIME);
    }
    if (secret.bitLength() > SECRET_LENGTH * 8) {
      throw new IllegalArgumentException("shares are inconsistent: the interpolated value is not a 256-bit secret");
    }
    return toFixed(secret, SECRET_LENGTH);
  }

  /**
   * Like {@link #reconstruct}, but when more than {@code threshold} shares are given, also checks that
   * share number {@code threshold + 1} lies on the polynomial through the first {@code threshold}, so
   * a single altered share among them is detected instead of silently yielding a wrong secret.
   *
   * @throws IllegalArgumentException if too few shares are given or the check fails
   */
  public static SecretBytes reconstructChecked(List<Share> shares, int threshold) {
    SecretBytes secret = reconstruct(shares, threshold);
    if (shares.size() > threshold) {
      Share extra = shares.get(threshold);
      BigInteger expected = interpolate(shares.subList(0, threshold), BigInteger.valueOf(extra.x()));
      byte[] raw = extra.y().copyOfSecret();
      BigInteger actual = new BigInteger(1, raw).mod(FIELD_PRIME);
      SecretBytes.wipe(raw);
      if (!expected.equals(actual)) {
        throw new IllegalArgumentException("shares are inconsistent: share at x=" + extra.x()
            + " is not on the polynomial through the first " + threshold);
      }
    }
    return secret;
  }

  /** Value at {@code at} of the polynomial through {@code points} (distinct x). */
  private static BigInteger interpolate(List<Share> points, BigInteger at) {
    BigInteger value = BigInteger.ZERO;
    for (int i = 0; i < points.size(); i++) {
      BigInteger xi = BigInteger.valueOf(points.get(i).x());
      BigInteger numerator = BigInteger.ONE;
      BigInteger denominator = BigInteger.ONE;
      for (int j = 0; j < points.size(); j++) {
        if (i != j) {
          BigInteger xj = BigInteger.valueOf(points.get(j).x());
          numerator = numerator.multiply(at.subtract(xj)).mod(FIELD_PRIME);
          denominator = denominator.multiply(xi.subtract(xj)).mod(FIELD_PRIME);
        }
      }
      byte[] raw = points.get(i).y().copyOfSecret();
      BigInteger y = new BigInteger(1, raw);
      SecretBytes.wipe(raw);
      value = value.add(y.multiply(numerator).multiply(denominator.modInverse(FIELD_PRIME))).mod(FIELD_PRIME);
    }
    return value;
  }

  private static BigInteger uniformFieldElement(SecureRandom random) {
    while (true) {
      BigInteger candidate = new BigInteger(257, random);
      if (candidate.compareTo(FIELD_PRIME) < 0) {
        return candidate;
      }
    }
  }

  private static SecretBytes toFixed(BigInteger value, int length) {
    byte[] magnitude = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(magnitude.length, length);
    System.arraycopy(magnitude, magnitude.length - copy, out, length - copy, copy);
    try {
      return SecretBytes.copyOf(out);
    } finally {
      SecretBytes.wipe(out);
      SecretBytes.wipe(magnitude);
    }
  }

  private static void requireDistinctPositive(int[] xs) {
    Set<Integer> seen = new HashSet<>();
    for (int x : xs) {
      if (x < 1) {
        throw new IllegalArgumentException("x-coordinates must be >= 1, got " + x);
      }
      if (!seen.add(x)) {
        throw new IllegalArgumentException("x-coordinates must be distinct, " + x + " repeats");
      }
    }
  }
}
