package org.comity.agent.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the DP-SGD gradient of {@link DpSgdGraph} against slow references built from ordinary back-propagation:
 * per-example norms, the unclipped/noiseless case, the clipping bound and the noise scale.
 */
class DpSgdGraphTest {

  private static final ModelArchitecture NO_DROPOUT = new ModelArchitecture(6, List.of(16, 8), 0.0, Activation.ELU);
  private static final ModelArchitecture WITH_DROPOUT =
      new ModelArchitecture(6, List.of(16, 8), 0.3, Activation.RELU);
  private static final float CLASS_WEIGHT = 4f;
  private static final long[] DROPOUT_SEEDS = {11, 12, 13, 14};

  @Test
  void perExampleNorms_noDropout_equalNormsOfGradientsComputedOneRowAtATime() {
    // given: mixed labels, positives weighted 4x
    DpSgdTestGraph.Batch batch = batch(NO_DROPOUT, 9, 1);
    try (DpSgdTestGraph graph = new DpSgdTestGraph(NO_DROPOUT, weights(NO_DROPOUT, 5))) {
      // when
      float[] norms = graph.perExampleNorms(batch);

      // then: the plain (mean-loss) gradient of a one-row batch is that row's gradient
      assertEquals(batch.rows(), norms.length);
      for (int row = 0; row < batch.rows(); row++) {
        float[] rowFeatures = Arrays.copyOfRange(batch.features(), row * 6, row * 6 + 6);
        DpSgdTestGraph.Batch oneRow = new DpSgdTestGraph.Batch(rowFeatures, new float[] {batch.labels()[row]},
            CLASS_WEIGHT, batch.dropoutSeeds());
        double expected = l2(graph.plainGradient(oneRow));
        assertEquals(expected, norms[row], 1e-5 * expected + 1e-7, "row " + row);
      }
    }
  }

  @Test
  void perExampleNorms_withDropout_equalNormsOfEachRowsLossGradientUnderTheSameMasks() {
    // given
    DpSgdTestGraph.Batch batch = batch(WITH_DROPOUT, 9, 2);
    try (DpSgdTestGraph graph = new DpSgdTestGraph(WITH_DROPOUT, weights(WITH_DROPOUT, 6))) {
      // when
      float[] norms = graph.perExampleNorms(batch);

      // then
      boolean someMaskMatters = false;
      for (int row = 0; row < batch.rows(); row++) {
        float[] gradient = graph.perExampleGradient(batch, row);
        double expected = l2(gradient);
        assertEquals(expected, norms[row], 1e-5 * expected + 1e-7, "row " + row);
        someMaskMatters |= countZeros(gradient) > 0;
      }
      assertTrue(someMaskMatters, "dropout zeroes some gradient entries");
      // and the seeds matter: other masks give other norms
      DpSgdTestGraph.Batch otherMasks =
          new DpSgdTestGraph.Batch(batch.features(), batch.labels(), CLASS_WEIGHT, new long[] {1, 2, 3, 4});
      assertFalse(Arrays.equals(norms, graph.perExampleNorms(otherMasks)));
    }
  }

  @Test
  void privateGradient_noNoiseHugeClip_equalsPlainGradientScaledByActualOverExpectedBatch() {
    // given
    DpSgdTestGraph.Batch batch = batch(WITH_DROPOUT, 12, 3);
    try (DpSgdTestGraph graph = new DpSgdTestGraph(WITH_DROPOUT, weights(WITH_DROPOUT, 7))) {
      float[] plain = graph.plainGradient(batch);

      // when: Poisson batch size equal to the expected one, then twice the expected one
      float[] sameSize = graph.privateGradient(batch, graph.fixedPrivacy(1e6f, 0f, 12f));
      float[] halfSize = graph.privateGradient(batch, graph.fixedPrivacy(1e6f, 0f, 6f));

      // then
      assertEquals(plain.length, sameSize.length);
      double scale = maxAbs(plain);
      for (int i = 0; i < plain.length; i++) {
        assertEquals(plain[i], sameSize[i], 1e-6 * scale, "coordinate " + i);
        assertEquals(2 * plain[i], halfSize[i], 2e-6 * scale, "coordinate " + i);
      }
    }
  }

  @Test
  void clippedSum_oneOutlierWithHugeGradient_changesTheSumByAtMostTheClipNorm() {
    // given: 10 ordinary rows, and the same plus one row with features x1000 and a positive label
    float clipNorm = 0.5f;
    DpSgdTestGraph.Batch ordinary = batch(NO_DROPOUT, 10, 4);
    float[] outlierRow = new float[6];
    for (int c = 0; c < 6; c++) {
      outlierRow[c] = 1000f * (c % 2 == 0 ? 1 : -1);
    }
    float[] withOutlierFeatures = Arrays.copyOf(ordinary.features(), 66);
    System.arraycopy(outlierRow, 0, withOutlierFeatures, 60, 6);
    float[] withOutlierLabels = Arrays.copyOf(ordinary.labels(), 11);
    withOutlierLabels[10] = 1f;
    DpSgdTestGraph.Batch withOutlier =
        new DpSgdTestGraph.Batch(withOutlierFeatures, withOutlierLabels, CLASS_WEIGHT, DROPOUT_SEEDS);
    try (DpSgdTestGraph graph = new DpSgdTestGraph(NO_DROPOUT, weights(NO_DROPOUT, 8))) {
      // when
      float[] without = graph.clippedSum(ordinary, clipNorm);
      float[] with = graph.clippedSum(withOutlier, clipNorm);
      float outlierNorm = graph.perExampleNorms(withOutlier)[10];

      // then
      double[] difference = new double[with.length];
      for (int i = 0; i < with.length; i++) {
        difference[i] = (double) with[i] - without[i];
      }
      double change = l2(difference);
      assertTrue(outlierNorm > 100 * clipNorm, "the outlier's own gradient norm " + outlierNorm);
      assertTrue(change <= clipNorm * (1 + 1e-5), "change " + change + " exceeds clip norm " + clipNorm);
      assertEquals(clipNorm, change, 1e-4 * clipNorm, "the outlier contributes exactly its clipped gradient");
    }
  }

  @Test
  void privateGradient_emptyBatch_isPureNoiseWithStandardDeviationSigmaTimesClipOverExpectedBatch() {
    // given: the default 30-128-64-32-1 network (14,337 coordinates), an empty (zero-gradient) batch
    ModelArchitecture architecture = ModelArchitecture.defaults(30);
    float clipNorm = 0.7f;
    float sigma = 1.3f;
    float expectedBatch = 64f;
    DpSgdTestGraph.Batch empty = new DpSgdTestGraph.Batch(new float[0], new float[0], CLASS_WEIGHT, new long[6]);
    try (DpSgdTestGraph graph = new DpSgdTestGraph(architecture, weights(architecture, 9))) {
      long[] noiseSeeds = new SplittableRandom(10).longs(graph.variableCount() * 2L).toArray();

      // when
      float[] noised = graph.privateGradient(empty,
          new DpSgdTestGraph.Privacy(clipNorm, sigma * clipNorm, expectedBatch, noiseSeeds));

      // then: std within 3% (the estimate's own relative std is 1/sqrt(2n) = 0.6%), mean within 4 standard errors
      assertEquals(14_337, noised.length);
      double expectedStd = sigma * clipNorm / expectedBatch;
      double mean = Arrays.stream(toDouble(noised)).average().orElseThrow();
      double variance = Arrays.stream(toDouble(noised)).map(v -> (v - mean) * (v - mean)).sum() / noised.length;
      assertEquals(expectedStd, Math.sqrt(variance), 0.03 * expectedStd);
      assertEquals(0.0, mean, 4 * expectedStd / Math.sqrt(noised.length));
      assertEquals(0.0, maxAbs(graph.clippedSum(empty, clipNorm)), "nothing sampled, nothing summed");
      // each variable has its own noise stream: no two variables start with the same values
      assertFalse(noised[0] == noised[30 * 128] && noised[1] == noised[30 * 128 + 1]);
    }
  }

  @Test
  void privateGradient_sameSeedsSameNoise_otherSeedsOtherNoise() {
    // given
    DpSgdTestGraph.Batch batch = batch(NO_DROPOUT, 5, 5);
    try (DpSgdTestGraph graph = new DpSgdTestGraph(NO_DROPOUT, weights(NO_DROPOUT, 10))) {
      long[] seeds = new SplittableRandom(1).longs(graph.variableCount() * 2L).toArray();
      long[] otherSeeds = new SplittableRandom(2).longs(graph.variableCount() * 2L).toArray();

      // when
      float[] first = graph.privateGradient(batch, new DpSgdTestGraph.Privacy(1f, 1f, 5f, seeds));
      float[] again = graph.privateGradient(batch, new DpSgdTestGraph.Privacy(1f, 1f, 5f, seeds));
      float[] other = graph.privateGradient(batch, new DpSgdTestGraph.Privacy(1f, 1f, 5f, otherSeeds));

      // then
      assertArrayEquals(first, again);
      for (int i = 0; i < first.length; i++) {
        assertTrue(first[i] != other[i], "coordinate " + i + " has the same noise under other seeds");
      }
    }
  }

  private static DpSgdTestGraph.Batch batch(ModelArchitecture architecture, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int width = architecture.inputWidth();
    float[] features = new float[rows * width];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        features[r * width + c] = (float) random.nextGaussian();
      }
      labels[r] = r % 3 == 0 ? 1f : 0f;
    }
    return new DpSgdTestGraph.Batch(features, labels, CLASS_WEIGHT, DROPOUT_SEEDS);
  }

  /** Glorot weights with biases nudged off zero, so bias gradients and ReLU kinks are exercised. */
  static float[] weights(ModelArchitecture architecture, long seed) {
    float[] weights = GlorotUniformInitializer.initialWeights(architecture, seed);
    SplittableRandom random = new SplittableRandom(seed + 1000);
    for (int i = 0; i < weights.length; i++) {
      weights[i] += (float) (0.05 * random.nextGaussian());
    }
    return weights;
  }

  static double l2(float[] values) {
    return l2(toDouble(values));
  }

  static double l2(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }

  private static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  private static int countZeros(float[] values) {
    int zeros = 0;
    for (float v : values) {
      zeros += v == 0f ? 1 : 0;
    }
    return zeros;
  }

  private static double[] toDouble(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
