package org.comity.aggregation.shamir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.comity.aggregation.crypto.SecretBytes;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Properties, checked over seeded random instances (jqwik is not in the offline repository, so the
 * generator is a seeded loop): any t of n shares reconstruct; t - 1 shares are refused, and
 * interpolating them never yields the secret.
 */
class ShamirSecretSharingTest {

  @Test
  void fieldPrime_isPrimeAndAbove2To256() {
    assertTrue(ShamirSecretSharing.FIELD_PRIME.isProbablePrime(128));
    assertTrue(ShamirSecretSharing.FIELD_PRIME.compareTo(BigInteger.ONE.shiftLeft(256)) > 0);
  }

  @RepeatedTest(40)
  void reconstruct_anyThresholdSubset_returnsSecret(RepetitionInfo rep) {
    // given
    Random r = new Random(rep.getCurrentRepetition());
    SecureRandom random = new SecureRandom();
    int n = 2 + r.nextInt(30);
    int t = 1 + r.nextInt(n);
    int[] xs = distinctXs(r, n);
    SecretBytes secret = SecretBytes.random(32, random);
    List<Share> shares = new ArrayList<>(ShamirSecretSharing.split(secret, t, xs, random));
    // when: a random subset of t (or more) shares, in random order
    Collections.shuffle(shares, r);
    List<Share> subset = shares.subList(0, t + r.nextInt(n - t + 1));
    // then
    assertEquals(secret, ShamirSecretSharing.reconstruct(subset, t));
  }

  @RepeatedTest(40)
  void reconstruct_fromThresholdMinusOneShares_neverGivesSecret(RepetitionInfo rep) {
    Random r = new Random(1000 + rep.getCurrentRepetition());
    SecureRandom random = new SecureRandom();
    int n = 3 + r.nextInt(20);
    int t = 2 + r.nextInt(n - 1);
    SecretBytes secret = SecretBytes.random(32, random);
    List<Share> shares = new ArrayList<>(ShamirSecretSharing.split(secret, t, distinctXs(r, n), random));
    Collections.shuffle(shares, r);
    List<Share> tooFew = shares.subList(0, t - 1);
    // the API refuses fewer than t shares
    assertThrows(IllegalArgumentException.class, () -> ShamirSecretSharing.reconstruct(tooFew, t));
    // and interpolating t-1 shares as if the threshold were t-1 gives a different value (or none)
    if (t - 1 >= 1) {
      try {
        assertNotEquals(secret, ShamirSecretSharing.reconstruct(tooFew, t - 1));
      } catch (IllegalArgumentException notA256BitValue) {
        // interpolated value above 2^256: also not the secret
      }
    }
  }

  @Test
  void reconstructChecked_detectsOneAlteredShare() {
    SecureRandom random = new SecureRandom();
    SecretBytes secret = SecretBytes.random(32, random);
    List<Share> shares = new ArrayList<>(ShamirSecretSharing.split(secret, 3, new int[] {1, 2, 3, 4, 5}, random));
    assertEquals(secret, ShamirSecretSharing.reconstructChecked(shares, 3));
    byte[] y = shares.get(1).y().copyOfSecret();
    y[32] ^= 1;
    shares.set(1, new Share(shares.get(1).x(), SecretBytes.copyOf(y)));
    assertThrows(IllegalArgumentException.class, () -> ShamirSecretSharing.reconstructChecked(shares, 3));
  }

  @Test
  void split_invalidArguments_refusedWithReason() {
    SecureRandom random = new SecureRandom();
    SecretBytes secret = SecretBytes.random(32, random);
    assertThrows(IllegalArgumentException.class, () -> ShamirSecretSharing.split(secret, 4, new int[] {1, 2, 3}, random));
    assertThrows(IllegalArgumentException.class, () -> ShamirSecretSharing.split(secret, 2, new int[] {1, 1, 3}, random));
    assertThrows(IllegalArgumentException.class, () -> ShamirSecretSharing.split(secret, 2, new int[] {0, 1, 3}, random));
    assertThrows(IllegalArgumentException.class,
        () -> ShamirSecretSharing.split(SecretBytes.random(31, random), 2, new int[] {1, 2}, random));
  }

  @Test
  void share_toStringIsRedacted() {
    SecureRandom random = new SecureRandom();
    Share share = ShamirSecretSharing.split(SecretBytes.random(32, random), 2, new int[] {1, 2}, random).get(0);
    String hex = java.util.HexFormat.of().formatHex(share.y().copyOfSecret());
    assertTrue(share.toString().contains("redacted"));
    assertTrue(!share.toString().contains(hex.substring(0, 16)));
  }

  private static int[] distinctXs(Random r, int n) {
    List<Integer> pool = new ArrayList<>(IntStream.rangeClosed(1, 3 * n).boxed().toList());
    Collections.shuffle(pool, r);
    return pool.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
  }
}
