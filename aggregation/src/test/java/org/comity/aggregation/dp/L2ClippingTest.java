package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class L2ClippingTest {

  @Test
  void clip_updateAboveTheBound_isScaledToTheBound_andMarkedClipped() {
    // given norm 5
    float[] update = {3f, 4f};
    // when
    ClippedUpdate clipped = L2Clipping.clip(update, 1.0);
    // then
    assertTrue(clipped.wasClipped());
    assertFalse(clipped.wasNotClipped());
    assertArrayEquals(new float[] {0.6f, 0.8f}, clipped.values(), 1e-6f);
    assertTrue(L2Clipping.l2Norm(clipped.values()) <= 1.0);
  }

  @Test
  void clip_updateAtOrBelowTheBound_isUnchanged_andMarkedNotClipped() {
    float[] update = {3f, 4f};
    ClippedUpdate atBound = L2Clipping.clip(update, 5.0);
    ClippedUpdate below = L2Clipping.clip(update, 6.0);
    assertTrue(atBound.wasNotClipped(), "norm equal to C counts as not clipped");
    assertTrue(below.wasNotClipped());
    assertArrayEquals(update, atBound.values());
  }

  @Test
  void clip_neverModifiesTheInput_andResultIsDefensivelyCopied() {
    // given
    float[] update = {3f, 4f};
    ClippedUpdate clipped = L2Clipping.clip(update, 1.0);
    // when
    clipped.values()[0] = 100f;
    // then
    assertArrayEquals(new float[] {3f, 4f}, update);
    assertEquals(0.6f, clipped.values()[0], 1e-6f);
  }

  @Test
  void clip_zeroVector_isNotClipped() {
    assertTrue(L2Clipping.clip(new float[8], 0.1).wasNotClipped());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void clip_resultNormNeverExceedsTheBound_evenAfterRoundingToFloat(long seed) {
    // given a large random update with awkward magnitudes
    Random random = new Random(seed);
    float[] update = new float[10_000];
    for (int i = 0; i < update.length; i++) {
      update[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(6) - 3));
    }
    double clipNorm = 0.1 + random.nextDouble();
    // when
    ClippedUpdate clipped = L2Clipping.clip(update, clipNorm);
    // then
    double norm = L2Clipping.l2Norm(clipped.values());
    assertTrue(norm <= clipNorm, () -> "norm " + norm + " above " + clipNorm);
    assertEquals(clipNorm, norm, clipNorm * 1e-5);
  }

  @Test
  void clip_nonFiniteCoordinate_throwsNamingTheIndexOnly() {
    var error =
        assertThrows(IllegalArgumentException.class, () -> L2Clipping.clip(new float[] {1f, Float.NaN}, 1.0));
    assertEquals("update coordinate 1 is not finite", error.getMessage());
  }

  @ParameterizedTest(name = "C={0}")
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void clip_badClipNorm_throwsNamingIt(double clipNorm) {
    var error = assertThrows(IllegalArgumentException.class, () -> L2Clipping.clip(new float[] {1f}, clipNorm));
    assertEquals("clipNorm must be finite and > 0, got " + clipNorm, error.getMessage());
  }

  @Test
  void clippedUpdate_toString_neverShowsValues() {
    assertEquals("ClippedUpdate{length=2, clipped=true}", L2Clipping.clip(new float[] {3f, 4f}, 1).toString());
  }

  @Test
  void sumNoise_standardDeviation_isMultiplierTimesClipNorm() {
    assertEquals(1.3 * 0.7, SumNoise.standardDeviation(0.7, 1.3), 0.0);
    assertEquals(0.0, SumNoise.standardDeviation(0.7, 0.0), 0.0);
  }

  @Test
  void sumNoise_badArguments_throwNamingTheValue() {
    assertEquals(
        "clipNorm must be finite and > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> SumNoise.standardDeviation(0.0, 1.0)).getMessage());
    assertEquals(
        "noiseMultiplier must be finite and >= 0, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> SumNoise.standardDeviation(1.0, -1.0)).getMessage());
  }
}
