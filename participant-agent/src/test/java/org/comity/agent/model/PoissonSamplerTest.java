package org.comity.agent.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoissonSamplerTest {

  @Test
  void sample_includesEveryRowIndependentlyWithProbabilityQ() {
    // given
    int rows = 1000;
    double q = 0.05;
    int trials = 2000;
    SplittableRandom random = new SplittableRandom(1);
    int[] inclusions = new int[rows];
    double sizeSum = 0;
    double sizeSquares = 0;

    // when
    for (int t = 0; t < trials; t++) {
      int[] batch = PoissonSampler.sample(rows, q, random);
      for (int i = 1; i < batch.length; i++) {
        assertTrue(batch[i - 1] < batch[i], "sorted, no duplicates");
      }
      for (int row : batch) {
        inclusions[row]++;
      }
      sizeSum += batch.length;
      sizeSquares += (double) batch.length * batch.length;
    }

    // then: batch size is Binomial(1000, 0.05): mean 50, variance 47.5; each row's count is Binomial(2000, 0.05)
    double meanSize = sizeSum / trials;
    double varianceSize = sizeSquares / trials - meanSize * meanSize;
    assertEquals(50.0, meanSize, 0.8, "mean batch size (standard error 0.15)");
    assertEquals(47.5, varianceSize, 7.5, "batch size variance (standard error about 1.5)");
    for (int row = 0; row < rows; row++) {
      assertTrue(Math.abs(inclusions[row] - 100) < 50, "row " + row + " included " + inclusions[row] + " times");
    }
    assertTrue(inclusions[0] > 0 && inclusions[rows - 1] > 0, "both ends reachable");
  }

  @Test
  void sample_edgeRates() {
    SplittableRandom random = new SplittableRandom(2);
    assertArrayEquals(new int[] {0, 1, 2, 3}, PoissonSampler.sample(4, 1.0, random));
    assertArrayEquals(new int[0], PoissonSampler.sample(4, 0.0, random));
    int[] tiny = PoissonSampler.sample(1_000_000, 1e-12, random);
    assertTrue(tiny.length <= 1);
  }
}
