package org.comity.simulation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionerTest {

  /** 10,000 rows, 20% positives, feature 0 = row id so rows can be traced. */
  private static LabeledTable table(int rows, double positiveRate) {
    float[] features = new float[rows * 2];
    float[] labels = new float[rows];
    SplittableRandom random = new SplittableRandom(7);
    for (int r = 0; r < rows; r++) {
      features[2 * r] = r;
      features[2 * r + 1] = (float) random.nextDouble();
      labels[r] = r < positiveRate * rows ? 1 : 0;
    }
    return new LabeledTable(List.of("row_id", "noise"), features, labels, rows);
  }

  private static final LabeledTable TABLE = table(10_000, 0.2);

  private static void assertIsPartitionOf(LabeledTable input, List<LabeledTable> banks) {
    boolean[] seen = new boolean[input.rows()];
    int total = 0;
    for (LabeledTable bank : banks) {
      for (int r = 0; r < bank.rows(); r++) {
        int id = (int) bank.feature(r, 0);
        assertTrue(!seen[id], "row " + id + " assigned twice");
        seen[id] = true;
        assertEquals(input.label(id), bank.label(r));
      }
      total += bank.rows();
    }
    assertEquals(input.rows(), total);
  }

  private static void assertEveryBankHasTwoOfEachClass(List<LabeledTable> banks) {
    for (LabeledTable bank : banks) {
      assertTrue(bank.positives() >= 2 && bank.rows() - bank.positives() >= 2, bank.toString());
    }
  }

  @Test
  void iid_keepsClassRatioAndEqualSizes() {
    List<LabeledTable> banks = Partitioner.partition(TABLE, 7, PartitionSpec.iid(), 1);

    assertIsPartitionOf(TABLE, banks);
    for (LabeledTable bank : banks) {
      assertTrue(Math.abs(bank.rows() - 10_000 / 7.0) <= 1, "size " + bank.rows());
      assertEquals(0.2, bank.positiveRate(), 0.002);
    }
  }

  @Test
  void labelDirichlet_smallAlpha_skewsClassRatios() {
    List<LabeledTable> banks = Partitioner.partition(TABLE, 10, PartitionSpec.labelDirichlet(0.1), 3);

    assertIsPartitionOf(TABLE, banks);
    assertEveryBankHasTwoOfEachClass(banks);
    double min = 1;
    double max = 0;
    for (LabeledTable bank : banks) {
      min = Math.min(min, bank.positiveRate());
      max = Math.max(max, bank.positiveRate());
    }
    assertTrue(max - min > 0.5, "positive rates range only " + min + ".." + max);
  }

  @Test
  void sizeDirichlet_smallAlpha_skewsSizesButKeepsRatio() {
    List<LabeledTable> banks = Partitioner.partition(TABLE, 10, PartitionSpec.sizeDirichlet(0.3), 4);

    assertIsPartitionOf(TABLE, banks);
    assertEveryBankHasTwoOfEachClass(banks);
    int smallest = Integer.MAX_VALUE;
    int largest = 0;
    for (LabeledTable bank : banks) {
      smallest = Math.min(smallest, bank.rows());
      largest = Math.max(largest, bank.rows());
      if (bank.rows() >= 500) {
        assertEquals(0.2, bank.positiveRate(), 0.02);
      }
    }
    assertTrue(largest > 5 * smallest, "sizes range only " + smallest + ".." + largest);
  }

  @Test
  void sameSeed_samePartition_differentSeed_differentPartition() {
    PartitionSpec spec = PartitionSpec.labelDirichlet(0.5);
    assertEquals(Partitioner.partition(TABLE, 5, spec, 11), Partitioner.partition(TABLE, 5, spec, 11));
    assertNotEquals(Partitioner.partition(TABLE, 5, spec, 11), Partitioner.partition(TABLE, 5, spec, 12));
  }

  @Test
  void extremeSkew_stillGivesEveryBankBothClassesAndMinimumRows() {
    List<LabeledTable> banks = Partitioner.partition(TABLE, 20, PartitionSpec.labelDirichlet(0.01), 5, 50);

    assertIsPartitionOf(TABLE, banks);
    assertEveryBankHasTwoOfEachClass(banks);
    banks.forEach(bank -> assertTrue(bank.rows() >= 50, bank.toString()));
  }

  @Test
  void fewPositives_eachBankGetsAtLeastOne() {
    LabeledTable scarce = table(1_000, 0.006); // 6 positives for 4 banks: only one each can be guaranteed
    List<LabeledTable> banks = Partitioner.partition(scarce, 4, PartitionSpec.labelDirichlet(0.1), 1);
    banks.forEach(bank -> assertTrue(bank.positives() >= 1, bank.toString()));
  }

  @Test
  void badArguments_giveClearErrors() {
    assertEquals("banks must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class,
            () -> Partitioner.partition(TABLE, 0, PartitionSpec.iid(), 1)).getMessage());
    assertEquals("cannot split 10 rows across 11 banks: need at least one row per bank",
        assertThrows(IllegalArgumentException.class,
            () -> Partitioner.partition(table(10, 0.5), 11, PartitionSpec.iid(), 1)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> Partitioner.partition(table(100, 0.03), 5, PartitionSpec.iid(), 1)).getMessage()
        .contains("class 1 has only 3 rows, fewer than the 5 banks"));
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> Partitioner.partition(TABLE, 5, PartitionSpec.iid(), 1, 3000)).getMessage()
        .contains("cannot give each of 5 banks 3000 rows"));
  }
}
