package org.comity.simulation.data;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@link LabeledTable}s as CSV: a header row of column names, then one row per example, comma
 * separated, UTF-8, {@code \n} line ends.
 *
 * <p>Written files hold plain decimal numbers (no exponent, no quotes), the label column last, so any standard CSV
 * reader (pandas, R, Excel) accepts them; floats are written in their shortest form that reads back to the same
 * float, so a write-then-read round trip is exact.
 *
 * <p>Reading accepts RFC 4180 quoting (double quotes, {@code ""} for a quote inside) in the header and in values,
 * as in the shared data files, but not line breaks inside quotes. Blank lines are skipped. Every problem is a
 * {@link CsvFormatException} naming the file, row and column.
 */
public final class CsvTables {
  /** Name of the label column when none is given. */
  public static final String DEFAULT_LABEL_COLUMN = "label";

  private CsvTables() {}

  /** Writes {@code table} with its label in a last column named {@value #DEFAULT_LABEL_COLUMN}. */
  public static void write(LabeledTable table, Path file) throws IOException {
    write(table, file, DEFAULT_LABEL_COLUMN);
  }

  /**
   * Writes {@code table} to {@code file} (created or replaced): header, then rows, label column last.
   *
   * @throws IllegalArgumentException if {@code labelColumn} is blank or equals a feature name
   */
  public static void write(LabeledTable table, Path file, String labelColumn) throws IOException {
    if (labelColumn == null || labelColumn.isBlank()) {
      throw new IllegalArgumentException("label column name must be non-blank, got '" + labelColumn + "'");
    }
    if (table.featureNames().contains(labelColumn)) {
      throw new IllegalArgumentException(
          "label column name '%s' clashes with a feature of the same name".formatted(labelColumn));
    }
    int columns = table.columns();
    float[] features = table.featuresRowMajor();
    float[] labels = table.labels();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder(256);
      for (String name : table.featureNames()) {
        line.append(headerField(name)).append(',');
      }
      line.append(headerField(labelColumn)).append('\n');
      out.write(line.toString());
      for (int r = 0; r < table.rows(); r++) {
        line.setLength(0);
        for (int c = 0; c < columns; c++) {
          line.append(plainDecimal(features[r * columns + c])).append(',');
        }
        line.append(labels[r] == 1f ? '1' : '0').append('\n');
        out.write(line.toString());
      }
    }
  }

  /**
   * Reads a numeric CSV with a header row into a table; {@code labelColumn} (anywhere in the header) becomes the
   * label, every other column a feature in header order.
   *
   * @throws CsvFormatException for an empty file, a header without {@code labelColumn}, duplicate or blank column
   *     names, a row with a different number of fields than the header, a value that is not a finite number, a
   *     label other than 0 or 1, or a file with no data rows
   */
  public static LabeledTable readNumeric(Path file, String labelColumn) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String headerLine = in.readLine();
      int lineNumber = 1;
      while (headerLine != null && headerLine.strip().isEmpty()) {
        headerLine = in.readLine();
        lineNumber++;
      }
      if (headerLine == null) {
        throw new CsvFormatException("%s: empty file, expected a header row of column names".formatted(file));
      }
      if (headerLine.startsWith("\uFEFF")) {
        headerLine = headerLine.substring(1);
      }
      List<String> header = splitFields(headerLine, file, lineNumber);
      int labelIndex = header.indexOf(labelColumn);
      if (labelIndex < 0) {
        throw new CsvFormatException(
            "%s: no label column '%s' in header %s".formatted(file, labelColumn, header));
      }
      List<String> featureNames = new ArrayList<>(header);
      featureNames.remove(labelIndex);
      if (featureNames.isEmpty()) {
        throw new CsvFormatException("%s: header has only the label column '%s', no features".formatted(file, labelColumn));
      }
      for (int c = 0; c < header.size(); c++) {
        if (header.get(c).isBlank()) {
          throw new CsvFormatException("%s, row %d: column %d has a blank name".formatted(file, lineNumber, c + 1));
        }
        if (header.indexOf(header.get(c)) != c) {
          throw new CsvFormatException(
              "%s, row %d: column name '%s' appears twice".formatted(file, lineNumber, header.get(c)));
        }
      }
      FloatBuffer features = new FloatBuffer();
      FloatBuffer labels = new FloatBuffer();
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.strip().isEmpty()) {
          continue;
        }
        List<String> fields = splitFields(line, file, lineNumber);
        if (fields.size() != header.size()) {
          throw new CsvFormatException(
              "%s, row %d: expected %d fields as in the header, got %d"
                  .formatted(file, lineNumber, header.size(), fields.size()));
        }
        for (int c = 0; c < fields.size(); c++) {
          float value = parseValue(fields.get(c), file, lineNumber, header.get(c));
          if (c == labelIndex) {
            if (value != 0f && value != 1f) {
              throw new CsvFormatException(
                  "%s, row %d, column '%s': label must be 0 or 1, got '%s'"
                      .formatted(file, lineNumber, labelColumn, fields.get(c)));
            }
            labels.add(value);
          } else {
            features.add(value);
          }
        }
      }
      if (labels.size() == 0) {
        throw new CsvFormatException("%s: header but no data rows".formatted(file));
      }
      return new LabeledTable(featureNames, features.toArray(), labels.toArray(), labels.size());
    }
  }

  private static float parseValue(String raw, Path file, int lineNumber, String column) throws CsvFormatException {
    String text = raw.strip();
    float value;
    try {
      value = Float.parseFloat(text);
    } catch (NumberFormatException e) {
      throw new CsvFormatException(
          "%s, row %d, column '%s': '%s' is not a number".formatted(file, lineNumber, column, raw));
    }
    if (!Float.isFinite(value) || text.endsWith("f") || text.endsWith("F") || text.endsWith("d") || text.endsWith("D")) {
      throw new CsvFormatException(
          "%s, row %d, column '%s': '%s' is not a finite decimal number".formatted(file, lineNumber, column, raw));
    }
    return value;
  }

  /** Splits one line into fields, unquoting RFC 4180 quoted fields. */
  private static List<String> splitFields(String line, Path file, int lineNumber) throws CsvFormatException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new CsvFormatException(
                "%s, row %d: field %d has an unclosed quote".formatted(file, lineNumber, fields.size() + 1));
          }
          char ch = line.charAt(i++);
          if (ch == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(ch);
          }
        }
        if (i < n && line.charAt(i) != ',') {
          throw new CsvFormatException(
              "%s, row %d: field %d has text after its closing quote".formatted(file, lineNumber, fields.size() + 1));
        }
      } else {
        while (i < n && line.charAt(i) != ',') {
          field.append(line.charAt(i++));
        }
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the comma
    }
  }

  private static String headerField(String name) {
    boolean needsQuotes = name.contains(",") || name.contains("\"") || name.contains("\n") || name.contains("\r")
        || !name.equals(name.strip());
    return needsQuotes ? '"' + name.replace("\"", "\"\"") + '"' : name;
  }

  /** Shortest decimal that reads back as {@code value}, without exponent; integers without ".0". */
  static String plainDecimal(float value) {
    if (value == 0f) {
      return "0";
    }
    String text = Float.toString(value);
    if (text.indexOf('E') >= 0) {
      text = new BigDecimal(text).stripTrailingZeros().toPlainString();
    }
    if (text.endsWith(".0")) {
      text = text.substring(0, text.length() - 2);
    }
    return text;
  }

  /** Growable float array, so reading a large file does not box every value. */
  private static final class FloatBuffer {
    private float[] values = new float[1024];
    private int size;

    void add(float value) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
