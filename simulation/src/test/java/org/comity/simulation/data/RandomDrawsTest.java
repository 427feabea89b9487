package org.comity.simulation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomDrawsTest {

  @Test
  void gamma_hasMeanAndVarianceEqualToShape_forShapesBelowAndAboveOne() {
    for (double shape : new double[] {0.1, 0.5, 1.0, 3.0, 20.0}) {
      RandomDraws random = new RandomDraws(42);
      int n = 100_000;
      double sum = 0;
      double sumSquares = 0;
      for (int i = 0; i < n; i++) {
        double x = random.gamma(shape);
        assertTrue(x >= 0);
        sum += x;
        sumSquares += x * x;
      }
      double mean = sum / n;
      double variance = sumSquares / n - mean * mean;
      assertEquals(shape, mean, 0.03 * shape + 0.005, "mean for shape " + shape);
      assertEquals(shape, variance, 0.08 * shape + 0.01, "variance for shape " + shape);
    }
  }

  @Test
  void dirichlet_sumsToOne_andSmallAlphaConcentrates() {
    RandomDraws random = new RandomDraws(1);
    double largestShareSum = 0;
    for (int i = 0; i < 200; i++) {
      double[] parts = random.dirichlet(10, 0.05);
      double sum = 0;
      double largest = 0;
      for (double p : parts) {
        sum += p;
        largest = Math.max(largest, p);
      }
      assertEquals(1.0, sum, 1e-9);
      largestShareSum += largest;
    }
    assertTrue(largestShareSum / 200 > 0.7, "mean largest share " + largestShareSum / 200);
  }

  @Test
  void apportion_sumsExactly() {
    int[] parts = RandomDraws.apportion(10, new double[] {1, 1, 1});
    assertEquals(10, parts[0] + parts[1] + parts[2]);
    assertTrue(parts[0] >= 3 && parts[1] >= 3 && parts[2] >= 3);
  }
}
