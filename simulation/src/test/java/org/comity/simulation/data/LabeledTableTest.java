package org.comity.simulation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabeledTableTest {

  private static LabeledTable twoByTwo() {
    return new LabeledTable(List.of("a", "b"), new float[] {1, 2, 3, 4}, new float[] {0, 1}, 2);
  }

  @Test
  void accessors_readRowMajorValuesAndCountPositives() {
    // given
    LabeledTable table = twoByTwo();

    // then
    assertEquals(2, table.columns());
    assertEquals(3f, table.feature(1, 0));
    assertEquals(1f, table.label(1));
    assertEquals(1, table.positives());
    assertEquals(0.5, table.positiveRate());
    assertArrayEquals(new float[] {2, 4}, table.column(1));
    assertEquals(1, table.columnIndex("b"));
  }

  @Test
  void constructor_copiesArrays_soCallerMutationDoesNotLeakIn() {
    // given
    float[] features = {1, 2, 3, 4};
    LabeledTable table = new LabeledTable(List.of("a", "b"), features, new float[] {0, 1}, 2);

    // when
    features[0] = 99;
    table.featuresRowMajor()[1] = 99;

    // then
    assertEquals(1f, table.feature(0, 0));
    assertEquals(2f, table.feature(0, 1));
  }

  @Test
  void equals_comparesContents() {
    assertEquals(twoByTwo(), twoByTwo());
    assertEquals(twoByTwo().hashCode(), twoByTwo().hashCode());
    assertNotEquals(twoByTwo(), new LabeledTable(List.of("a", "b"), new float[] {1, 2, 3, 5}, new float[] {0, 1}, 2));
  }

  @Test
  void selectRows_keepsGivenOrder() {
    LabeledTable picked = twoByTwo().selectRows(new int[] {1, 0, 1});
    assertEquals(3, picked.rows());
    assertArrayEquals(new float[] {3, 4, 1, 2, 3, 4}, picked.featuresRowMajor());
    assertArrayEquals(new float[] {1, 0, 1}, picked.labels());
  }

  @Test
  void constructor_wrongFeatureCount_namesExpectedSize() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new LabeledTable(List.of("a", "b"), new float[] {1, 2, 3}, new float[] {0, 1}, 2));
    assertTrue(e.getMessage().contains("2 * 2 = 4 values, got 3"), e.getMessage());
  }

  @Test
  void constructor_labelNotZeroOrOne_namesRowAndValue() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new LabeledTable(List.of("a"), new float[] {1, 2}, new float[] {0, 2}, 2));
    assertTrue(e.getMessage().contains("label of row 1 must be 0 or 1, got 2.0"), e.getMessage());
  }

  @Test
  void constructor_nonFiniteFeature_namesFeatureAndRow() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new LabeledTable(List.of("a", "b"), new float[] {1, 2, 3, Float.NaN}, new float[] {0, 1}, 2));
    assertTrue(e.getMessage().contains("feature 'b' of row 1 must be finite"), e.getMessage());
  }

  @Test
  void constructor_duplicateOrMissingNames_rejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new LabeledTable(List.of("a", "a"), new float[] {1, 2}, new float[] {0}, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new LabeledTable(List.of(), new float[] {}, new float[] {}, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new LabeledTable(List.of("a"), new float[] {1}, new float[] {0, 1}, 1));
  }
}
