package org.comity.coordinator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.aggregation.normalization.Normalization;

/**
 * How values are written to and read from the store's portable columns, so that they round-trip exactly on both
 * databases: instants as fixed-width ISO text, NaN as NULL, arrays as little-endian bytes, lists as JSON.
 */
final class Columns {
  /** Nine fraction digits, always: fixed width, so text order is time order, and exact to the nanosecond. */
  private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
      .withZone(ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Columns() {}

  static String instant(Instant at) {
    return INSTANT.format(at);
  }

  static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  /** Writes a double; NaN becomes NULL because SQLite cannot store NaN. */
  static void setDouble(PreparedStatement statement, int index, double value) throws SQLException {
    if (Double.isNaN(value)) {
      statement.setNull(index, Types.DOUBLE);
    } else {
      statement.setDouble(index, value);
    }
  }

  /** Reads a double written by {@link #setDouble}: NULL is NaN. */
  static double getDouble(ResultSet row, String column) throws SQLException {
    double value = row.getDouble(column);
    return row.wasNull() ? Double.NaN : value;
  }

  static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  static byte[] float64(double[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asDoubleBuffer().put(values);
    return buffer.array();
  }

  static double[] float64(byte[] bytes, int expectedCount, String what) {
    if (bytes.length != expectedCount * Double.BYTES) {
      throw new DatabaseException(DatabaseException.Kind.CORRUPT, "%s has %d bytes, expected %d float64 values"
          .formatted(what, bytes.length, expectedCount), null);
    }
    double[] values = new double[expectedCount];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
    return values;
  }

  static String jsonList(List<String> values) {
    return json(values);
  }

  static String jsonMap(Map<String, String> values) {
    return json(new TreeMap<>(values));
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }

  static List<String> stringList(String json, String what) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new DatabaseException(DatabaseException.Kind.CORRUPT, what + " is not a JSON list of strings", e);
    }
  }

  static Map<String, String> stringMap(String json, String what) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new DatabaseException(DatabaseException.Kind.CORRUPT, what + " is not a JSON object of strings", e);
    }
  }

  /** Writes the nine {@code val_*} columns starting at {@code index}; all NULL when {@code summary} is null. */
  static int setValidation(PreparedStatement statement, int index, EvaluationSummary summary) throws SQLException {
    if (summary == null) {
      for (int i = 0; i < 9; i++) {
        statement.setNull(index + i, i < 2 ? Types.BIGINT : Types.DOUBLE);
      }
      return index + 9;
    }
    statement.setLong(index, summary.examples());
    statement.setLong(index + 1, summary.positives());
    setDouble(statement, index + 2, summary.rocAuc());
    setDouble(statement, index + 3, summary.prAuc());
    setDouble(statement, index + 4, summary.precision());
    setDouble(statement, index + 5, summary.recall());
    setDouble(statement, index + 6, summary.f1());
    setDouble(statement, index + 7, summary.logLoss());
    setDouble(statement, index + 8, summary.threshold());
    return index + 9;
  }

  /** The {@code val_*} columns as a summary, or {@code null} when there was none (examples is NULL). */
  static EvaluationSummary validation(ResultSet row) throws SQLException {
    long examples = row.getLong("val_examples");
    if (row.wasNull()) {
      return null;
    }
    return new EvaluationSummary(examples, row.getLong("val_positives"), getDouble(row, "val_roc_auc"),
        getDouble(row, "val_pr_auc"), getDouble(row, "val_precision"), getDouble(row, "val_recall"),
        getDouble(row, "val_f1"), getDouble(row, "val_log_loss"), getDouble(row, "val_threshold"));
  }

  /** Writes count, mean, std, positive rate at {@code index}; all NULL when {@code normalization} is null. */
  static void setNormalization(PreparedStatement statement, int index, Normalization normalization)
      throws SQLException {
    if (normalization == null) {
      statement.setNull(index, Types.INTEGER);
      statement.setNull(index + 1, Types.BINARY);
      statement.setNull(index + 2, Types.BINARY);
      statement.setNull(index + 3, Types.DOUBLE);
      return;
    }
    statement.setInt(index, normalization.columns());
    statement.setBytes(index + 1, float64(normalization.mean()));
    statement.setBytes(index + 2, float64(normalization.std()));
    statement.setDouble(index + 3, normalization.positiveRate());
  }

  static Normalization normalization(ResultSet row, String prefix, String what) throws SQLException {
    int columns = row.getInt(prefix + "column_count");
    if (row.wasNull()) {
      return null;
    }
    return new Normalization(float64(row.getBytes(prefix + "mean_f64le"), columns, what + " mean"),
        float64(row.getBytes(prefix + "std_f64le"), columns, what + " std"), row.getDouble(prefix + "positive_rate"));
  }
}
