package org.comity.aggregation.fedavg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WeightedUpdateAccumulatorTest {
  @Test
  void weightedMean_weighsUpdatesBySampleCount() {
    // given
    WeightedUpdateAccumulator sum = new WeightedUpdateAccumulator(2);
    // when
    sum.add(new float[] {1f, 0f}, 100);
    sum.add(new float[] {4f, 3f}, 200);
    // then: (100*1 + 200*4)/300 = 3, (0 + 600)/300 = 2
    assertArrayEquals(new float[] {3f, 2f}, sum.weightedMean());
    assertEquals(2, sum.updates());
    assertEquals(300.0, sum.totalWeight());
  }

  @Test
  void applyTo_addsTheServerLearningRateTimesTheMean() {
    WeightedUpdateAccumulator sum = new WeightedUpdateAccumulator(2);
    sum.add(new float[] {2f, -2f}, 1);
    assertArrayEquals(new float[] {11f, 9f}, sum.applyTo(new float[] {10f, 10f}, 0.5));
  }

  @Test
  void badUpdates_areRejectedAndLeaveTheSumUnchanged() {
    WeightedUpdateAccumulator sum = new WeightedUpdateAccumulator(2);
    sum.add(new float[] {1f, 1f}, 1);
    assertThrows(IllegalArgumentException.class, () -> sum.add(new float[] {1f}, 1));
    assertThrows(IllegalArgumentException.class, () -> sum.add(new float[] {1f, Float.NaN}, 1));
    assertThrows(IllegalArgumentException.class, () -> sum.add(new float[] {1f, 1f}, 0));
    assertThrows(IllegalArgumentException.class, () -> sum.add(new float[] {1f, 1f}, Double.POSITIVE_INFINITY));
    assertEquals(1, sum.updates());
    assertArrayEquals(new float[] {1f, 1f}, sum.weightedMean());
  }

  @Test
  void theSum_doesNotDependOnArrivalOrder() {
    // given: values whose double sum depends on the order (1e16 + 1 - 1e16)
    java.util.Random random = new java.util.Random(3);
    float[][] updates = new float[20][1000];
    double[] weights = new double[20];
    for (int u = 0; u < updates.length; u++) {
      weights[u] = 1 + random.nextInt(100_000);
      for (int i = 0; i < 1000; i++) {
        updates[u][i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(6) - 4));
      }
    }
    WeightedUpdateAccumulator forward = new WeightedUpdateAccumulator(1000);
    WeightedUpdateAccumulator backward = new WeightedUpdateAccumulator(1000);
    for (int u = 0; u < updates.length; u++) {
      forward.add(updates[u], weights[u]);
      backward.add(updates[updates.length - 1 - u], weights[updates.length - 1 - u]);
    }
    // then: bit-identical, and within the stated bound of the exact mean
    assertArrayEquals(forward.weightedMean(), backward.weightedMean());
    double total = java.util.Arrays.stream(weights).sum();
    for (int i = 0; i < 1000; i++) {
      double exact = 0;
      for (int u = 0; u < updates.length; u++) {
        exact += weights[u] * (double) updates[u][i];
      }
      assertEquals(exact / total, forward.weightedMean()[i], Math.ulp((float) (exact / total)) + 20 * 0x1p-21 / total);
    }
  }

  @Test
  void negativeSums_andCarries_areExact() {
    WeightedUpdateAccumulator sum = new WeightedUpdateAccumulator(1);
    for (int i = 0; i < 1000; i++) {
      sum.add(new float[] {-4000f}, 1e9);
    }
    sum.add(new float[] {1f}, 1);
    assertEquals((-4000.0 * 1e12 + 1) / (1e12 + 1), sum.weightedMean()[0], 1e-3);
    assertThrows(IllegalArgumentException.class, () -> sum.add(new float[] {5000f}, 1e9), "beyond 2^42");
  }

  @Test
  void emptyAccumulator_hasNoMean() {
    assertThrows(IllegalStateException.class, () -> new WeightedUpdateAccumulator(3).weightedMean());
  }
}
