package org.comity.agent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanException;
import org.comity.plan.PlanLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataLoaderTest {
  @TempDir
  Path dir;

  private final FederationPlan plan;

  CsvDataLoaderTest() throws PlanException {
    plan = PlanLoader.parse("""
        label: label
        features:
          - {name: amount, type: numeric, min: 0, max: 1000, missing: reject}
          - {name: velocity, type: numeric, missing: mean}
          - {name: channel, type: categorical, categories: [web, app], missing: zero}
        """, "test");
  }

  private DataCheckReport load(String csv) throws IOException {
    Path file = dir.resolve("data.csv");
    Files.writeString(file, csv);
    return new CsvDataLoader(plan).load(file);
  }

  @Test
  void validFile_isEncodedWithOneHotAndMissingMarkers() throws IOException {
    DataCheckReport report = load("""
        amount,velocity,channel,label
        10,1.5,web,0
        20,,app,1
        "30",2,,0
        """);
    assertTrue(report.ok(), report.describe());
    BankDataset data = report.dataset();
    assertEquals(3, data.rows());
    assertEquals(4, data.columns());
    assertArrayEquals(new float[] {10f, 1.5f, 1f, 0f}, java.util.Arrays.copyOfRange(data.featuresRowMajor(), 0, 4));
    assertTrue(Float.isNaN(data.featuresRowMajor()[5]), "missing: mean becomes NaN, imputed by normalisation");
    assertArrayEquals(new float[] {30f, 2f, 0f, 0f}, java.util.Arrays.copyOfRange(data.featuresRowMajor(), 8, 12));
    assertArrayEquals(new float[] {0f, 1f, 0f}, data.labels());
    assertEquals(1, data.positives());
  }

  @Test
  void everyCellProblem_isReportedWithColumnCountAndLines_andNoDatasetIsProduced() throws IOException {
    DataCheckReport report = load("""
        amount,velocity,channel,label
        abc,1,web,0
        5,NaN,web,0
        5,Infinity,web,1
        2000,1,web,0
        ,1,web,0
        5,1,tv,0
        5,1,web,2
        5,1,web
        xyz,1,web,1
        """);
    assertFalse(report.ok());
    assertNull(report.dataset());
    String text = report.describe();
    assertTrue(text.contains("column 'amount': value is not a number (2 occurrences; lines 2, 10)"), text);
    assertTrue(text.contains("column 'velocity': NaN or infinite values are not allowed"), text);
    assertTrue(text.contains("(2 occurrences; lines 3, 4)"), text);
    assertTrue(text.contains("column 'amount': value is outside the plan's range [0.0, 1000.0] (1 occurrence; line 5)"), text);
    assertTrue(text.contains("column 'amount': empty cell, and the plan says missing: reject (1 occurrence; line 6)"), text);
    assertTrue(text.contains("column 'channel': value is not one of the plan's categories [web, app] (1 occurrence; line 7)"), text);
    assertTrue(text.contains("column 'label': labels must be 0 or 1 (1 occurrence; line 8)"), text);
    assertTrue(text.contains("rows must have as many cells as the header (4) (1 occurrence; line 9)"), text);
  }

  @Test
  void missingAndExtraColumns_areReported() throws IOException {
    DataCheckReport report = load("""
        amount,channel,customer_id,label
        1,web,77,0
        """);
    String text = report.describe();
    assertTrue(text.contains("column 'velocity': the plan's feature column is missing from the header"), text);
    assertTrue(text.contains("column 'customer_id': column is not in the plan"), text);
  }

  @Test
  void missingLabelColumn_isReported() throws IOException {
    String text = load("amount,velocity,channel\n1,2,web\n").describe();
    assertTrue(text.contains("column 'label': the plan's label column is missing from the header"), text);
  }

  @Test
  void emptyFile_headerOnly_andOneClass_areReported() throws IOException {
    assertTrue(load("").describe().contains("the source is empty"), load("").describe());
    assertTrue(load("amount,velocity,channel,label\n").describe().contains("has a header but no data rows"));
    String oneClass = load("amount,velocity,channel,label\n1,1,web,0\n2,2,app,0\n").describe();
    assertTrue(oneClass.contains("every row has label 0; training needs both classes"), oneClass);
  }

  @Test
  void missingFile_isAProblem_notACrash() {
    DataCheckReport report = new CsvDataLoader(plan).load(dir.resolve("nope.csv"));
    assertFalse(report.ok());
    assertTrue(report.describe().contains("file not found"), report.describe());
  }

  @Test
  void aMillionBadCells_makeOneLineEach_withTheFirstFiveLines() throws IOException {
    StringBuilder csv = new StringBuilder("amount,velocity,channel,label\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append("bad,1,web,").append(i % 2).append('\n');
    }
    DataCheckReport report = load(csv.toString());
    assertEquals(1, report.problems().size());
    DataProblem problem = report.problems().get(0);
    assertEquals(20_000, problem.count());
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L), problem.firstLines());
  }

  @Test
  void holdoutSplit_isStratifiedSeededAndDisjoint() throws IOException {
    StringBuilder csv = new StringBuilder("amount,velocity,channel,label\n");
    for (int i = 0; i < 1000; i++) {
      csv.append(i % 1000).append(',').append(i).append(",web,").append(i % 10 == 0 ? 1 : 0).append('\n');
    }
    BankDataset data = load(csv.toString()).dataset();
    HoldoutSplit split = HoldoutSplit.of(data, 0.2, 3);
    assertEquals(200, split.holdout().rows());
    assertEquals(800, split.training().rows());
    assertEquals(20, split.holdout().positives(), "each class split in the same proportion");
    HoldoutSplit again = HoldoutSplit.of(data, 0.2, 3);
    assertArrayEquals(split.holdout().featuresRowMajor(), again.holdout().featuresRowMajor());
    java.util.Set<Float> holdoutVelocities = new java.util.HashSet<>();
    for (int r = 0; r < split.holdout().rows(); r++) {
      holdoutVelocities.add(split.holdout().featuresRowMajor()[r * 4 + 1]);
    }
    for (int r = 0; r < split.training().rows(); r++) {
      assertFalse(holdoutVelocities.contains(split.training().featuresRowMajor()[r * 4 + 1]), "no row in both parts");
    }
  }
}
