package org.comity.aggregation.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizationTest {
  @Test
  void summedBankMoments_giveThePooledMeanAndStd() {
    // given: bank A has {1, 3}, bank B has {5, 7, 9}: pooled mean 5, population variance 8
    FeatureMoments a = new FeatureMoments(2, 4, 10);
    FeatureMoments b = new FeatureMoments(3, 21, 155);
    // when
    Normalization normalization = Normalization.fromMoments(List.of(a.plus(b)), 5, 2);
    // then
    assertEquals(5.0, normalization.mean()[0], 1e-12);
    assertEquals(Math.sqrt(8), normalization.std()[0], 1e-12);
    assertEquals(0.4, normalization.positiveRate(), 1e-12);
  }

  @Test
  void apply_standardisesAndTurnsMissingIntoTheMean() {
    Normalization normalization = new Normalization(new double[] {10, 0}, new double[] {2, 1}, 0.1);
    float[] rows = {12f, Float.NaN, 8f, 3f};
    normalization.applyInPlace(rows);
    assertArrayEquals(new float[] {1f, 0f, -1f, 3f}, rows);
  }

  @Test
  void constantColumn_normalisesToZeroInsteadOfDividingByZero() {
    Normalization normalization = Normalization.fromMoments(List.of(new FeatureMoments(4, 8, 16)), 4, 1);
    float[] rows = {2f};
    normalization.applyInPlace(rows);
    assertArrayEquals(new float[] {0f}, rows);
  }

  @Test
  void invalidInputs_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> new FeatureMoments(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new FeatureMoments(1, Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[] {0}, new double[] {0}, 0));
    Normalization twoColumns = new Normalization(new double[] {0, 0}, new double[] {1, 1}, 0);
    assertThrows(IllegalArgumentException.class, () -> twoColumns.applyInPlace(new float[3]),
        "3 values are not whole rows of 2 columns");
  }
}
