package org.comity.aggregation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {
  @Test
  void rocAuc_matchesTheExactPairCount_onDistinctScores() {
    // given: scores far enough apart to land in different bins
    double[] scores = {0.1, 0.4, 0.35, 0.8, 0.7, 0.2, 0.9};
    boolean[] labels = {false, false, true, true, false, false, true};
    ScoreHistogram histogram = new ScoreHistogram();
    for (int i = 0; i < scores.length; i++) {
      histogram.add(scores[i], labels[i]);
    }
    // then: positives {0.35, 0.8, 0.9}, negatives {0.1, 0.4, 0.7, 0.2}: concordant pairs 2 + 4 + 4 = 10 of 12
    assertEquals(10.0 / 12, histogram.rocAuc(), 1e-12);
  }

  @Test
  void averagePrecision_matchesScikitLearnDefinition() {
    // given: sklearn.metrics.average_precision_score([1,0,1,0], [0.9,0.8,0.7,0.1]) = 0.8333...
    ScoreHistogram histogram = new ScoreHistogram();
    histogram.add(0.9, true);
    histogram.add(0.8, false);
    histogram.add(0.7, true);
    histogram.add(0.1, false);
    assertEquals(0.8333333333333333, histogram.averagePrecision(), 1e-12);
  }

  @Test
  void tiedScores_countHalf() {
    ScoreHistogram histogram = new ScoreHistogram();
    histogram.add(0.5, true);
    histogram.add(0.5, false);
    assertEquals(0.5, histogram.rocAuc(), 1e-12);
  }

  @Test
  void mergedBankHistograms_giveTheMetricOfTheUnion_notTheMeanOfBankMetrics() {
    // given: two banks whose own AUCs are perfect but whose scores are on different scales
    ScoreHistogram bankA = new ScoreHistogram();
    bankA.add(0.3, true);
    bankA.add(0.2, false);
    ScoreHistogram bankB = new ScoreHistogram();
    bankB.add(0.9, true);
    bankB.add(0.8, false);
    assertEquals(1.0, bankA.rocAuc());
    assertEquals(1.0, bankB.rocAuc());
    // when
    ScoreHistogram union = new ScoreHistogram();
    union.merge(bankA);
    union.merge(bankB);
    // then: pairs (0.3 vs 0.8) is discordant: 3 of 4
    assertEquals(0.75, union.rocAuc(), 1e-12);
  }

  @Test
  void binnedMetrics_agreeWithExactMetrics_onRandomScores() {
    Random random = new Random(7);
    int n = 5000;
    double[] scores = new double[n];
    boolean[] labels = new boolean[n];
    ScoreHistogram histogram = new ScoreHistogram();
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextDouble() < 0.1;
      double logit = random.nextGaussian() + (labels[i] ? 1.5 : 0);
      scores[i] = 1 / (1 + Math.exp(-logit));
      histogram.add(scores[i], labels[i]);
    }
    assertEquals(exactAuc(scores, labels), histogram.rocAuc(), 1e-3);
  }

  @Test
  void extremeScores_landInTheOuterBins_andNaNIsRejected() {
    assertEquals(0, ScoreHistogram.binOf(0.0));
    assertEquals(ScoreHistogram.BINS - 1, ScoreHistogram.binOf(1.0));
    assertEquals(ScoreHistogram.BINS / 2, ScoreHistogram.binOf(0.5));
    assertThrows(IllegalArgumentException.class, () -> ScoreHistogram.binOf(Double.NaN));
  }

  @Test
  void oneClassOnly_hasNoAuc() {
    ScoreHistogram histogram = new ScoreHistogram();
    histogram.add(0.4, false);
    assertTrue(Double.isNaN(histogram.rocAuc()));
    assertTrue(Double.isNaN(histogram.averagePrecision()));
  }

  @Test
  void transmittedCounts_areValidated() {
    assertThrows(IllegalArgumentException.class, () -> ScoreHistogram.fromCounts(new long[3], new long[3]));
    long[] negative = new long[ScoreHistogram.BINS];
    negative[5] = -1;
    assertThrows(IllegalArgumentException.class,
        () -> ScoreHistogram.fromCounts(negative, new long[ScoreHistogram.BINS]));
  }

  private static double exactAuc(double[] scores, boolean[] labels) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double negativesBelow = 0;
    double concordant = 0;
    long positives = 0;
    for (int index : order) {
      if (labels[index]) {
        concordant += negativesBelow;
        positives++;
      } else {
        negativesBelow++;
      }
    }
    return concordant / (positives * negativesBelow);
  }
}
