package org.comity.simulation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTablesTest {
  @TempDir Path dir;

  private Path file(String content) throws IOException {
    Path path = dir.resolve("data.csv");
    Files.writeString(path, content, StandardCharsets.UTF_8);
    return path;
  }

  private String readError(String content) throws IOException {
    Path path = file(content);
    var e = assertThrows(CsvFormatException.class, () -> CsvTables.readNumeric(path, "label"));
    assertTrue(e.getMessage().startsWith(path.toString()), e.getMessage());
    return e.getMessage();
  }

  @Test
  void writeThenRead_givesEqualTable_includingTinyAndHugeValues() throws IOException {
    // given
    float[] features = {1.5f, -0.000000123f, 1e-30f, 123456789f, 0f, -7f, Float.MIN_VALUE, 3.4e38f};
    LabeledTable table = new LabeledTable(List.of("x", "y"), features, new float[] {0, 1, 1, 0}, 4);
    Path path = dir.resolve("t.csv");

    // when
    CsvTables.write(table, path);
    LabeledTable read = CsvTables.readNumeric(path, "label");

    // then
    assertEquals(table, read);
  }

  @Test
  void write_producesPlainDecimalsWithLabelLastAndNoQuotes() throws IOException {
    LabeledTable table = new LabeledTable(List.of("x", "y"), new float[] {1e-7f, 2f}, new float[] {1}, 1);
    Path path = dir.resolve("t.csv");

    CsvTables.write(table, path);

    List<String> lines = Files.readAllLines(path);
    assertEquals(List.of("x,y,label", "0.0000001,2,1"), lines);
  }

  @Test
  void write_customLabelColumnName() throws IOException {
    LabeledTable table = new LabeledTable(List.of("x"), new float[] {3f}, new float[] {0}, 1);
    Path path = dir.resolve("t.csv");

    CsvTables.write(table, path, "is_fraud");

    assertEquals("x,is_fraud", Files.readAllLines(path).get(0));
    assertEquals(table, CsvTables.readNumeric(path, "is_fraud"));
  }

  @Test
  void read_quotedHeaderAndLabelNotLast_likeTheSharedDataFiles() throws IOException {
    Path path = file("\"reports\",\"label\",\"age\"\n0,1,37.5\n2,0,33.25\n\n");

    LabeledTable table = CsvTables.readNumeric(path, "label");

    assertEquals(List.of("reports", "age"), table.featureNames());
    assertEquals(2, table.rows());
    assertEquals(1f, table.label(0));
    assertEquals(33.25f, table.feature(1, 1));
  }

  @Test
  void read_emptyFile_saysEmpty() throws IOException {
    assertTrue(readError("").contains("empty file, expected a header row"));
  }

  @Test
  void read_missingLabelColumn_namesColumnAndHeader() throws IOException {
    assertTrue(readError("a,b\n1,2\n").contains("no label column 'label' in header [a, b]"));
  }

  @Test
  void read_raggedRow_namesRowAndFieldCounts() throws IOException {
    assertTrue(readError("a,label\n1,0\n1,0,5\n").contains("row 3: expected 2 fields as in the header, got 3"));
  }

  @Test
  void read_nonNumericValue_namesRowColumnAndValue() throws IOException {
    assertTrue(readError("a,label\n1,0\nabc,1\n").contains("row 3, column 'a': 'abc' is not a number"));
  }

  @Test
  void read_nonFiniteValue_rejected() throws IOException {
    assertTrue(readError("a,label\nNaN,0\n").contains("row 2, column 'a': 'NaN' is not a finite decimal number"));
  }

  @Test
  void read_labelNotZeroOrOne_namesRowAndValue() throws IOException {
    assertTrue(readError("a,label\n1,0\n2,2\n").contains("row 3, column 'label': label must be 0 or 1, got '2'"));
  }

  @Test
  void read_headerOnly_saysNoDataRows() throws IOException {
    assertTrue(readError("a,label\n").contains("header but no data rows"));
  }

  @Test
  void read_duplicateColumn_rejected() throws IOException {
    assertTrue(readError("a,a,label\n1,2,0\n").contains("column name 'a' appears twice"));
  }

  @Test
  void plainDecimal_neverUsesExponent() {
    for (float value : new float[] {1e-45f, 1e-10f, 1e10f, 3.4e38f, -2.5e-8f}) {
      String text = CsvTables.plainDecimal(value);
      assertFalse(text.contains("E"), text);
      assertEquals(value, Float.parseFloat(text));
    }
  }
}
