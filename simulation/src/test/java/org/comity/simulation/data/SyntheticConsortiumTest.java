package org.comity.simulation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticConsortiumTest {
  /** Small training set (fast), a test set with 300 frauds for the per-feature AUC check. */
  private static final SyntheticConsortiumConfig CONFIG =
      SyntheticConsortiumConfig.defaults(1).withTrainingRows(30_000).withTestRows(20_000);
  private static final SyntheticConsortium CONSORTIUM = SyntheticConsortium.generate(CONFIG);

  @TempDir Path dir;

  @Test
  void sameSeed_givesEqualTablesAndIdenticalCsvBytes() throws IOException {
    // when
    SyntheticConsortium again = SyntheticConsortium.generate(CONFIG);
    CONSORTIUM.writeCsvFiles(dir.resolve("a"));
    again.writeCsvFiles(dir.resolve("b"));

    // then
    assertEquals(CONSORTIUM, again);
    for (String name : new String[] {"bank-01.csv", "bank-05.csv", "test.csv"}) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(name)), Files.readAllBytes(dir.resolve("b").resolve(name)), name);
    }
  }

  @Test
  void writtenCsv_readsBackEqual() throws IOException {
    CONSORTIUM.writeCsvFiles(dir);
    assertEquals(CONSORTIUM.banks().get(0).training(), CsvTables.readNumeric(dir.resolve("bank-01.csv"), "label"));
    assertEquals(CONSORTIUM.test(), CsvTables.readNumeric(dir.resolve("test.csv"), "label"));
  }

  @Test
  void differentSeed_givesDifferentTables() {
    SyntheticConsortium other = SyntheticConsortium.generate(CONFIG.withSeed(2));
    assertNotEquals(CONSORTIUM.test(), other.test());
    assertNotEquals(CONSORTIUM.banks().get(0).training(), other.banks().get(0).training());
  }

  @Test
  void banks_haveDifferentSizesSummingToTrainingRows() {
    int total = 0;
    Set<Integer> sizes = new HashSet<>();
    for (SyntheticBank bank : CONSORTIUM.banks()) {
      total += bank.training().rows();
      sizes.add(bank.training().rows());
      assertEquals(SyntheticConsortium.featureNames(), bank.training().featureNames());
    }
    assertEquals(CONFIG.trainingRows(), total);
    assertEquals(CONFIG.banks(), sizes.size());
    assertEquals(List.of("bank-01", "bank-02", "bank-03", "bank-04", "bank-05"),
        CONSORTIUM.banks().stream().map(b -> b.profile().bankId()).toList());
  }

  @Test
  void fraudRates_spanTheConfiguredRange() {
    double lowest = 1;
    double highest = 0;
    for (SyntheticBank bank : CONSORTIUM.banks()) {
      double rate = bank.training().positiveRate();
      assertEquals(bank.profile().fraudRate(), rate);
      assertTrue(rate >= SyntheticConsortium.MIN_FRAUD_RATE && rate <= SyntheticConsortium.MAX_FRAUD_RATE, "rate " + rate);
      lowest = Math.min(lowest, rate);
      highest = Math.max(highest, rate);
    }
    assertTrue(lowest < 0.001 && highest > 0.015, lowest + ".." + highest);
    assertEquals(CONFIG.testFraudRate(), CONSORTIUM.test().positiveRate(), 1e-9);
  }

  @Test
  void patterns_noBankSeesAll_togetherAllAreSeen_testHasAll() {
    Set<FraudPattern> union = EnumSet.noneOf(FraudPattern.class);
    for (SyntheticBank bank : CONSORTIUM.banks()) {
      BankProfile profile = bank.profile();
      assertTrue(profile.patterns().size() < FraudPattern.values().length, profile.toString());
      assertEquals(Set.copyOf(profile.patterns()), profile.fraudRowsByPattern().keySet());
      profile.fraudRowsByPattern().values().forEach(rows -> assertTrue(rows > 0, profile.toString()));
      union.addAll(profile.patterns());
    }
    assertEquals(EnumSet.allOf(FraudPattern.class), union);
    assertEquals(EnumSet.allOf(FraudPattern.class), CONSORTIUM.testFraudRowsByPattern().keySet());
    CONSORTIUM.testFraudRowsByPattern().values().forEach(rows -> assertTrue(rows >= 50, rows + " test rows"));
  }

  @Test
  void patternsSeenBy_coversAllPatternsForEveryBankCount() {
    for (int banks = 2; banks <= 50; banks++) {
      Set<FraudPattern> union = EnumSet.noneOf(FraudPattern.class);
      for (int b = 0; b < banks; b++) {
        List<FraudPattern> seen = SyntheticConsortium.patternsSeenBy(b, banks);
        assertEquals(SyntheticConsortium.PATTERNS_PER_BANK, seen.size());
        union.addAll(seen);
      }
      assertEquals(EnumSet.allOf(FraudPattern.class), union, banks + " banks");
    }
  }

  @Test
  void noSingleFeatureSeparatesTheClasses() {
    LabeledTable test = CONSORTIUM.test();
    float[] labels = test.labels();
    for (int c = 0; c < test.columns(); c++) {
      double auc = rocAuc(test.column(c), labels);
      double separation = Math.max(auc, 1 - auc);
      assertTrue(separation < 0.85, "feature %s alone has ROC-AUC %.3f".formatted(test.featureNames().get(c), separation));
    }
  }

  @Test
  void features_areFiniteAndNotConstant() {
    LabeledTable test = CONSORTIUM.test();
    for (int c = 0; c < test.columns(); c++) {
      float[] column = test.column(c);
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float v : column) {
        assertTrue(Float.isFinite(v));
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertTrue(max > min, test.featureNames().get(c) + " is constant");
    }
    assertTrue(test.columns() >= 20 && test.columns() <= 30);
  }

  @Test
  void extremes_twoAndFiftyBanks_work() {
    SyntheticConsortium two = SyntheticConsortium.generate(
        SyntheticConsortiumConfig.defaults(3).withBanks(2).withTrainingRows(4_000).withTestRows(2_000));
    assertEquals(2, two.banks().size());
    SyntheticConsortium fifty = SyntheticConsortium.generate(
        SyntheticConsortiumConfig.defaults(3).withBanks(50).withTrainingRows(50_000).withTestRows(2_000));
    assertEquals(50, fifty.banks().size());
    for (SyntheticBank bank : fifty.banks()) {
      assertTrue(bank.training().positives() >= 2, bank.profile().toString());
      double rate = bank.training().positiveRate();
      assertTrue(rate >= SyntheticConsortium.MIN_FRAUD_RATE && rate <= SyntheticConsortium.MAX_FRAUD_RATE, "rate " + rate);
    }
  }

  @Test
  void config_outOfRange_namesValueAndRange() {
    assertEquals("banks must be in [2, 50], got 51",
        assertThrows(IllegalArgumentException.class, () -> SyntheticConsortiumConfig.defaults(1).withBanks(51)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> SyntheticConsortiumConfig.defaults(1).withTrainingRows(100)).getMessage()
        .startsWith("trainingRows must be in [5000, 5000000] for 5 banks"));
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> SyntheticConsortiumConfig.defaults(1).withTestFraudRate(0.5)).getMessage()
        .startsWith("testFraudRate must be in [0.005, 0.05]"));
  }

  /** ROC-AUC by the rank-sum (Mann-Whitney) formula, ties given their average rank. */
  static double rocAuc(float[] scores, float[] labels) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
    double positiveRankSum = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1f) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
