package org.comity.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import com.google.protobuf.ByteString;
import org.comity.coordinator.model.ModelVersion;
import org.comity.wire.PackedFloats;

/** Writes and reads {@code model_versions} rows; shared by the journal and the catalog. */
final class ModelVersionRows {
  static final String COLUMNS = "run_id, model_version, plan_hash, round_number, committed_at, parameter_count, "
      + "weights_f32le, weights_sha256, participants_json, epsilon_spent, norm_column_count, norm_mean_f64le, "
      + "norm_std_f64le, norm_positive_rate, val_examples, val_positives, val_roc_auc, val_pr_auc, val_precision, "
      + "val_recall, val_f1, val_log_loss, val_threshold";

  private ModelVersionRows() {}

  static void insert(Connection connection, ModelVersion version) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO model_versions (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      insert.setString(1, version.runId());
      insert.setLong(2, version.version());
      insert.setString(3, version.planHash());
      insert.setInt(4, version.round());
      insert.setString(5, Columns.instant(version.committedAt()));
      insert.setInt(6, version.parameterCount());
      insert.setBytes(7, PackedFloats.pack(version.weights()).toByteArray());
      insert.setString(8, version.weightsHash());
      insert.setString(9, Columns.jsonList(version.participants()));
      Columns.setDouble(insert, 10, version.epsilonSpent());
      Columns.setNormalization(insert, 11, version.normalization());
      Columns.setValidation(insert, 15, version.validation());
      insert.executeUpdate();
    }
  }

  /**
   * Rebuilds the version in the current row, weights bit for bit.
   *
   * @throws DatabaseException {@code CORRUPT} when the stored weights do not hash to the stored hash
   */
  static ModelVersion read(ResultSet row) throws SQLException {
    String runId = row.getString("run_id");
    long number = row.getLong("model_version");
    String what = "model version %d of run %s".formatted(number, runId);
    float[] weights = PackedFloats.unpackFinite(ByteString.copyFrom(row.getBytes("weights_f32le")),
        row.getInt("parameter_count"), what + " weights");
    ModelVersion version = new ModelVersion(number, runId, row.getString("plan_hash"), row.getInt("round_number"),
        weights, Columns.normalization(row, "norm_", what + " normalisation"), Columns.validation(row),
        Columns.stringList(row.getString("participants_json"), what + " participants"),
        Columns.instant(row.getString("committed_at")), Columns.getDouble(row, "epsilon_spent"));
    String stored = row.getString("weights_sha256");
    if (!version.weightsHash().equals(stored)) {
      throw new DatabaseException(DatabaseException.Kind.CORRUPT, ("%s: the stored weights hash to %s but the "
          + "row records %s; the weights were altered or damaged").formatted(what, version.weightsHash(), stored), null);
    }
    return version;
  }

  static List<ModelVersion> readAll(PreparedStatement query) throws SQLException {
    List<ModelVersion> versions = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        versions.add(read(rows));
      }
    }
    return versions;
  }
}
