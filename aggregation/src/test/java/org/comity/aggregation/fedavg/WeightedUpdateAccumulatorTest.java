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
  void emptyAccumulator_hasNoMean() {
    assertThrows(IllegalStateException.class, () -> new WeightedUpdateAccumulator(3).weightedMean());
  }
}
