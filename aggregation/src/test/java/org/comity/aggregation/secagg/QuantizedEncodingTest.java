package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantizedEncodingTest {

  @Test
  void valueBits_leaveRoomForTheSumOfAllMembers() {
    assertEquals(30, new QuantizedEncoding(1, 10, 3).valueBits());
    assertEquals(28, new QuantizedEncoding(1, 10, 10).valueBits());
    assertEquals(26, new QuantizedEncoding(1, 10, 50).valueBits());
    assertEquals(16, new QuantizedEncoding(1, 10, 65_536).valueBits());
    for (int n : new int[] {3, 10, 50, 1000, 65_536}) {
      QuantizedEncoding e = new QuantizedEncoding(1, 10, n);
      assertTrue(n * e.levels() < (1L << 32), "n=" + n);
    }
  }

  @Test
  void sumOfEncodings_decodesToWeightedMeanWithinStatedBound() {
    // given
    int n = 50;
    int length = 500;
    QuantizedEncoding e = new QuantizedEncoding(0.5, 1_000_000, n);
    Random r = new Random(3);
    SecureRandom coins = RoundHarness.seeded(3);
    int[] sum = new int[QuantizedEncoding.encodedLength(length)];
    double[] exact = new double[length];
    long totalWeight = 0;
    for (int b = 0; b < n; b++) {
      double[] x = new double[length];
      for (int j = 0; j < length; j++) {
        x[j] = r.nextGaussian() * 0.4; // some values exceed the clip bound
      }
      long w = 1 + r.nextInt(1_000_000);
      int[] enc = e.encode(x, w, coins);
      for (int j = 0; j < sum.length; j++) {
        sum[j] += enc[j];
      }
      for (int j = 0; j < length; j++) {
        exact[j] += w * Math.max(-0.5, Math.min(0.5, x[j]));
      }
      totalWeight += w;
    }
    // when
    QuantizedEncoding.DecodedSum decoded = e.decode(sum, n);
    // then
    assertEquals(totalWeight, decoded.totalWeight());
    double bound = e.weightedMeanErrorBound(n, totalWeight);
    assertEquals(bound, decoded.meanErrorBound());
    for (int j = 0; j < length; j++) {
      assertEquals(exact[j] / totalWeight, decoded.weightedMean()[j], bound, "coordinate " + j);
    }
  }

  @Test
  void extremeValues_allMembersAtClipBound_doNotWrap() {
    int n = 10;
    QuantizedEncoding e = new QuantizedEncoding(1, 0xFFFF_FFFFL, n);
    int[] sum = new int[QuantizedEncoding.encodedLength(2)];
    for (int b = 0; b < n; b++) {
      int[] enc = e.encode(new double[] {5.0, -5.0}, 0xFFFF_FFFFL, RoundHarness.seeded(b));
      for (int j = 0; j < sum.length; j++) {
        sum[j] += enc[j];
      }
    }
    QuantizedEncoding.DecodedSum d = e.decode(sum, n);
    assertEquals(10L * 0xFFFF_FFFFL, d.totalWeight());
    assertEquals(1.0, d.weightedMean()[0], d.meanErrorBound());
    assertEquals(-1.0, d.weightedMean()[1], d.meanErrorBound());
  }

  @Test
  void maskedUploadSize_isWithin1point05xOfFloat32() {
    int length = 100_000;
    int maskedBytes = 4 * QuantizedEncoding.encodedLength(length);
    assertTrue(maskedBytes <= 1.05 * 4 * length, maskedBytes + " bytes");
  }

  @Test
  void invalidInputs_refusedWithReason() {
    QuantizedEncoding e = new QuantizedEncoding(1, 100, 3);
    SecureRandom r = new SecureRandom();
    assertThrows(IllegalArgumentException.class, () -> e.encode(new double[] {1}, 0, r));
    assertThrows(IllegalArgumentException.class, () -> e.encode(new double[] {1}, 101, r));
    assertThrows(IllegalArgumentException.class, () -> e.encode(new double[] {Double.NaN}, 5, r));
    assertThrows(IllegalArgumentException.class, () -> new QuantizedEncoding(0, 100, 3));
    assertThrows(IllegalArgumentException.class, () -> new QuantizedEncoding(1, 1L << 32, 3));
  }
}
