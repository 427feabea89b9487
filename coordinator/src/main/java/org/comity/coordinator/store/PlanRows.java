package org.comity.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The {@code plans} table: canonical plans by hash. */
final class PlanRows {
  private PlanRows() {}

  static void insertIfAbsent(Connection connection, String planHash, String name, String canonicalJson, Instant at)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM plans WHERE plan_hash = ?")) {
      query.setString(1, planHash);
      try (ResultSet row = query.executeQuery()) {
        if (row.next()) {
          return;
        }
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO plans (plan_hash, plan_name, canonical_json, first_seen_at) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, planHash);
      insert.setString(2, name);
      insert.setString(3, canonicalJson);
      insert.setString(4, Columns.instant(at));
      insert.executeUpdate();
    }
  }
}
