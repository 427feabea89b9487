package org.comity.aggregation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionCountsTest {
  @Test
  void precisionRecallF1_ofSummedCounts() {
    ConfusionCounts bankA = new ConfusionCounts(8, 2, 85, 5);
    ConfusionCounts bankB = new ConfusionCounts(2, 0, 90, 5);
    ConfusionCounts union = bankA.plus(bankB);
    assertEquals(10.0 / 12, union.precision(), 1e-12);
    assertEquals(10.0 / 20, union.recall(), 1e-12);
    assertEquals(2 * (10.0 / 12) * 0.5 / (10.0 / 12 + 0.5), union.f1(), 1e-12);
    assertEquals(197, union.total());
  }

  @Test
  void degenerateCases_areDefined() {
    assertEquals(0.0, new ConfusionCounts(0, 0, 5, 3).precision());
    assertEquals(0.0, new ConfusionCounts(0, 0, 5, 3).f1());
    assertTrue(Double.isNaN(new ConfusionCounts(0, 1, 5, 0).recall()));
    assertThrows(IllegalArgumentException.class, () -> new ConfusionCounts(-1, 0, 0, 0));
  }

  @Test
  void evaluator_countsAtTheThresholdAndSumsLogLoss() {
    ExampleEvaluator evaluator = new ExampleEvaluator(0.5)
        .addAll(new float[] {0.9f, 0.6f, 0.4f, 0.1f}, new float[] {1f, 0f, 1f, 0f});
    assertEquals(new ConfusionCounts(1, 1, 1, 1), evaluator.confusion());
    double expected = -Math.log(0.9) - Math.log(0.4) - Math.log(0.4) - Math.log(0.9);
    assertEquals(expected, evaluator.lossSum(), 1e-6);
    assertEquals(4, evaluator.summary().examples());
    assertEquals(0.75, evaluator.summary().rocAuc(), 1e-12);
  }
}
