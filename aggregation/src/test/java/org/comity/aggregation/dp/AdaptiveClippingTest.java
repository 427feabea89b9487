package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveClippingTest {

  private static final GaussianNoise NO_NOISE = standardDeviation -> 0.0;

  /**
   * The worked example of TensorFlow Privacy's quantile estimator tests (Andrew et al. 2021 geometric update): no
   * noise, records {5.0, 2.5}, initial clip 16, target quantile 0, learning rate ln 2.
   */
  @Test
  void geometricUpdate_withoutNoise_followsThePublishedSequence() {
    // given
    double[] recordNorms = {5.0, 2.5};
    AdaptiveClippingParams params = new AdaptiveClippingParams(0.0, Math.log(2.0), 0.0, recordNorms.length);
    AdaptiveClipNorm clip = AdaptiveClipNorm.start(16.0, params);
    List<Double> sequence = new ArrayList<>();
    // when
    for (int round = 0; round < 5; round++) {
      long unclipped = countUnclipped(recordNorms, clip.clipNorm());
      clip = clip.afterRound(unclipped, recordNorms.length, NO_NOISE);
      sequence.add(clip.clipNorm());
    }
    // then
    double[] expected = {8.0, 4.0, 2.0 * Math.sqrt(2.0), 2.0, 2.0};
    for (int round = 0; round < expected.length; round++) {
      assertEquals(expected[round], sequence.get(round), 1e-12, "round " + round);
    }
    assertEquals(2.8284271247461903, sequence.get(2), 1e-12);
  }

  @Test
  void afterRound_usesUnclippedBitFromClipping_consistentlyWithL2Clipping() {
    // given an update of norm exactly the clip norm: not clipped, so it counts towards b
    ClippedUpdate update = L2Clipping.clip(new float[] {3f, 4f}, 5.0);
    // then
    assertEquals(true, update.wasNotClipped());
  }

  @Test
  void afterRound_addsCountNoiseOfTheConfiguredStddev_andNormalisesByTheExpectedCount() {
    // given sigma_b = 2.5, m = 10; 6 of 10 updates unclipped; the noise source returns +1.5 and records its stddev
    AdaptiveClippingParams params = new AdaptiveClippingParams(0.5, 0.2, 2.5, 10);
    List<Double> requested = new ArrayList<>();
    GaussianNoise fixed =
        stddev -> {
          requested.add(stddev);
          return 1.5;
        };
    // when
    double fraction = AdaptiveClipNorm.start(1.0, params).noisedUnclippedFraction(6, 10, fixed);
    AdaptiveClipNorm next = AdaptiveClipNorm.start(1.0, params).afterRound(6, 10, fixed);
    // then: ((6 - 5) + 1.5) / 10 + 0.5 = 0.75
    assertEquals(List.of(2.5, 2.5), requested);
    assertEquals(0.75, fraction, 1e-15);
    assertEquals(Math.exp(-0.2 * (0.75 - 0.5)), next.clipNorm(), 1e-15);
  }

  @Test
  void noisedUnclippedFraction_isClampedToTheUnitInterval() {
    AdaptiveClipNorm clip = AdaptiveClipNorm.start(1.0, new AdaptiveClippingParams(0.5, 0.2, 1.0, 4));
    assertEquals(1.0, clip.noisedUnclippedFraction(4, 4, stddev -> 100.0));
    assertEquals(0.0, clip.noisedUnclippedFraction(0, 4, stddev -> -100.0));
  }

  @Test
  void afterRound_badCountsOrNoise_throw() {
    AdaptiveClipNorm clip = AdaptiveClipNorm.start(1.0, new AdaptiveClippingParams(0.5, 0.2, 1.0, 4));
    assertEquals(
        "need 0 <= unclippedCount <= updateCount, got 5 of 4",
        assertThrows(IllegalArgumentException.class, () -> clip.afterRound(5, 4, NO_NOISE)).getMessage());
    assertEquals(
        "noise source returned a non-finite sample",
        assertThrows(IllegalStateException.class, () -> clip.afterRound(1, 4, s -> Double.NaN)).getMessage());
  }

  @Test
  void afterRound_leavesTheOriginalClipNormUnchanged() {
    AdaptiveClipNorm start = AdaptiveClipNorm.start(16.0, new AdaptiveClippingParams(0.0, Math.log(2), 0, 2));
    start.afterRound(2, 2, NO_NOISE);
    assertEquals(16.0, start.clipNorm());
  }

  @Test
  void params_outOfRange_throwNamingTheValue() {
    assertEquals(
        "targetUnclippedQuantile must be in [0, 1], got 1.5",
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveClippingParams(1.5, 0.2, 1, 10))
            .getMessage());
    assertEquals(
        "learningRate must be finite and > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveClippingParams(0.5, 0.0, 1, 10))
            .getMessage());
    assertEquals(
        "clippedCountStddev must be finite and >= 0, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveClippingParams(0.5, 0.2, -1, 10))
            .getMessage());
    assertEquals(
        "expectedRecordsPerRound must be finite and > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveClippingParams(0.5, 0.2, 1, 0))
            .getMessage());
    assertEquals(
        "clipNorm must be finite and > 0, got -2.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> AdaptiveClipNorm.start(-2.0, new AdaptiveClippingParams(0.5, 0.2, 1, 10)))
            .getMessage());
  }

  @Test
  void noiseSplit_sumMultiplier_followsThePaperFormula() {
    // given z = 1.0 overall and sigma_b = m / 20 with m = 100, i.e. 5.0
    double z = 1.0;
    double sigmaB = 5.0;
    // when
    double zSum = AdaptiveClippingNoiseSplit.sumNoiseMultiplier(z, sigmaB);
    // then: z_sum = (z^-2 - (2 sigma_b)^-2)^(-1/2) = (1 - 0.01)^(-1/2)
    assertEquals(Math.pow(Math.pow(z, -2) - Math.pow(2 * sigmaB, -2), -0.5), zSum, 1e-15);
    assertEquals(1.0050378152592121, zSum, 1e-15);
  }

  @Test
  void noiseSplit_combinedMultiplier_invertsTheSplit() {
    double[][] cases = {{1.0, 5.0}, {0.3, 0.2}, {4.0, 100.0}, {1e-8, 1.0}};
    for (double[] c : cases) {
      double zSum = AdaptiveClippingNoiseSplit.sumNoiseMultiplier(c[0], c[1]);
      assertEquals(c[0], AdaptiveClippingNoiseSplit.combinedNoiseMultiplier(zSum, c[1]), c[0] * 1e-14);
    }
  }

  @Test
  void noiseSplit_countStddevTooSmall_throwsNamingBothValues() {
    var error =
        assertThrows(
            IllegalArgumentException.class, () -> AdaptiveClippingNoiseSplit.sumNoiseMultiplier(1.0, 0.5));
    assertEquals(
        "clippedCountStddev 0.5 leaves no budget for the sum: need 2 * clippedCountStddev > noiseMultiplier 1.0",
        error.getMessage());
  }

  @Test
  void noiseSplit_zeroNoise_staysZero() {
    assertEquals(0.0, AdaptiveClippingNoiseSplit.sumNoiseMultiplier(0.0, 0.0));
  }

  private static long countUnclipped(double[] norms, double clipNorm) {
    long count = 0;
    for (double norm : norms) {
      if (norm <= clipNorm) {
        count++;
      }
    }
    return count;
  }
}
