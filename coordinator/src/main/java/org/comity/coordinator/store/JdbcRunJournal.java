package org.comity.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.EngineCheckpoint;
import org.comity.coordinator.round.InFlightRound;
import org.comity.coordinator.round.JournalException;
import org.comity.coordinator.round.RecoveredRun;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;
import org.comity.coordinator.round.RunJournal;
import org.comity.coordinator.round.RunOutcome;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;

/**
 * The {@link RunJournal} on the coordinator's {@link Database} (SQLite or PostgreSQL).
 *
 * <p>Every method runs one transaction and returns after it committed (SQLite: {@code synchronous=FULL} in WAL
 * mode, so a commit survives a power cut). {@link #roundFinished} writes the model version, the report and the
 * checkpoint in a single transaction: after a crash either all three are there or none is. Any failure, including
 * a constraint violation such as a version number committed twice, is a {@link JournalException} naming the run
 * and the record, and the transaction is rolled back.
 *
 * <p>Thread-safe; meant for one writer per run (the round engine), with any number of readers.
 */
public final class JdbcRunJournal implements RunJournal {
  private final Database database;

  public JdbcRunJournal(Database database) {
    this.database = java.util.Objects.requireNonNull(database, "database");
  }

  @Override
  public void runStarted(String runId, FederationPlan plan, String planHash, Instant at) {
    write("the start of run " + runId, connection -> {
      String canonical = PlanHash.canonicalJson(plan);
      if (!PlanHash.of(plan).equals(planHash)) {
        throw new IllegalArgumentException("plan hash %s is not the hash of the plan given (%s)"
            .formatted(planHash, PlanHash.of(plan)));
      }
      PlanRows.insertIfAbsent(connection, planHash, plan.name(), canonical, at);
      long order;
      try (PreparedStatement next = connection.prepareStatement("SELECT COALESCE(MAX(start_order), 0) + 1 FROM runs");
           ResultSet row = next.executeQuery()) {
        row.next();
        order = row.getLong(1);
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO runs (run_id, plan_hash, start_order, started_at) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, runId);
        insert.setString(2, planHash);
        insert.setLong(3, order);
        insert.setString(4, Columns.instant(at));
        insert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void transition(RoundTransition transition) {
    write("a transition of round %d of run %s".formatted(transition.round(), transition.runId()), connection -> {
      long seq = nextSeq(connection, "round_transitions", transition.runId());
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO round_transitions (run_id, seq, "
          + "round_number, attempt, from_phase, to_phase, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, transition.runId());
        insert.setLong(2, seq);
        insert.setInt(3, transition.round());
        insert.setInt(4, transition.attempt());
        insert.setString(5, transition.from() == null ? null : transition.from().name());
        insert.setString(6, transition.to().name());
        insert.setString(7, transition.reason() == null ? "" : transition.reason());
        insert.setString(8, Columns.instant(transition.at()));
        insert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void roundSelected(String runId, int round, int attempt, List<String> selected, boolean secure) {
    write("the selection of round %d of run %s".formatted(round, runId), connection -> {
      // Replacing keeps a re-journaled selection (e.g. after a resume) idempotent.
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM round_selections WHERE run_id = ? AND round_number = ? AND attempt = ?")) {
        delete.setString(1, runId);
        delete.setInt(2, round);
        delete.setInt(3, attempt);
        delete.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO round_selections (run_id, "
          + "round_number, attempt, selected_json, secure) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, runId);
        insert.setInt(2, round);
        insert.setInt(3, attempt);
        insert.setString(4, Columns.jsonList(selected));
        insert.setBoolean(5, secure);
        insert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void normalizationFixed(String runId, Normalization normalization) {
    write("the normalisation of run " + runId, connection -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM run_normalizations WHERE run_id = ?")) {
        delete.setString(1, runId);
        delete.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO run_normalizations (run_id, "
          + "column_count, mean_f64le, std_f64le, positive_rate) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, runId);
        Columns.setNormalization(insert, 2, normalization);
        insert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void roundFinished(String runId, RoundReport report, ModelVersion committed, EngineCheckpoint checkpoint) {
    write("the end of round %d (attempt %d) of run %s".formatted(report.round(), report.attempt(), runId),
        connection -> {
          if (committed != null && !committed.runId().equals(runId)) {
            throw new IllegalArgumentException("version %d belongs to run %s, not %s"
                .formatted(committed.version(), committed.runId(), runId));
          }
          insertReport(connection, runId, report);
          if (committed != null) {
            ModelVersionRows.insert(connection, committed);
          }
          if (checkpoint != null) {
            insertCheckpoint(connection, runId, report, checkpoint);
          }
          return null;
        });
  }

  @Override
  public void runFinished(String runId, RunOutcome outcome, Instant at) {
    write("the end of run " + runId, connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE runs SET finished_at = ?, completed = ?, "
          + "outcome_reason = ?, committed_rounds = ?, failed_rounds = ? WHERE run_id = ? AND finished_at IS NULL")) {
        update.setString(1, Columns.instant(at));
        update.setBoolean(2, outcome.completed());
        update.setString(3, outcome.reason());
        update.setInt(4, outcome.committedRounds());
        update.setInt(5, outcome.failedRounds());
        update.setString(6, runId);
        if (update.executeUpdate() != 1) {
          throw new IllegalStateException("run %s is not journaled as running (unknown, or already finished)"
              .formatted(runId));
        }
      }
      return null;
    });
  }

  @Override
  public Optional<RecoveredRun> findUnfinished(String planHash) {
    try {
      return database.inTransaction(connection -> {
        String runId;
        Instant startedAt;
        try (PreparedStatement query = connection.prepareStatement("SELECT run_id, started_at FROM runs "
            + "WHERE plan_hash = ? AND finished_at IS NULL ORDER BY start_order DESC LIMIT 1")) {
          query.setString(1, planHash);
          try (ResultSet row = query.executeQuery()) {
            if (!row.next()) {
              return Optional.<RecoveredRun>empty();
            }
            runId = row.getString("run_id");
            startedAt = Columns.instant(row.getString("started_at"));
          }
        }
        return Optional.of(new RecoveredRun(runId, planHash, startedAt, readNormalization(connection, runId),
            readLastCheckpoint(connection, runId), readVersions(connection, runId), readReports(connection, runId),
            readInFlight(connection, runId)));
      });
    } catch (SQLException | RuntimeException e) {
      throw new JournalException("cannot read the unfinished run of plan %s from %s: %s"
          .formatted(planHash, database.url().redacted(), e.getMessage()), e);
    }
  }

  private void write(String what, SqlWork<Void> work) {
    try {
      database.inTransaction(work);
    } catch (SQLException | RuntimeException e) {
      throw new JournalException("cannot journal %s in %s: %s".formatted(what, database.url().redacted(),
          e.getMessage()), e);
    }
  }

  private static long nextSeq(Connection connection, String table, String runId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM " + table + " WHERE run_id = ?")) {
      query.setString(1, runId);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static void insertReport(Connection connection, String runId, RoundReport report) throws SQLException {
    long seq = nextSeq(connection, "round_reports", runId);
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO round_reports (run_id, round_number, "
        + "attempt, seq, outcome, reason, selected_json, contributors_json, dropouts_json, model_version, "
        + "mean_train_loss, val_examples, val_positives, val_roc_auc, val_pr_auc, val_precision, val_recall, val_f1, "
        + "val_log_loss, val_threshold, slowest_training_millis, wall_time_nanos, epsilon_spent) "
        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      insert.setString(1, runId);
      insert.setInt(2, report.round());
      insert.setInt(3, report.attempt());
      insert.setLong(4, seq);
      insert.setString(5, report.outcome().name());
      insert.setString(6, report.reason());
      insert.setString(7, Columns.jsonList(report.selected()));
      insert.setString(8, Columns.jsonList(report.contributors()));
      insert.setString(9, Columns.jsonMap(report.dropouts()));
      insert.setLong(10, report.version());
      Columns.setDouble(insert, 11, report.meanTrainLoss());
      int next = Columns.setValidation(insert, 12, report.validation());
      insert.setLong(next, report.slowestTrainingMillis());
      insert.setLong(next + 1, report.wallTime().toNanos());
      Columns.setDouble(insert, next + 2, report.epsilonSpent());
      insert.executeUpdate();
    }
  }

  private static void insertCheckpoint(Connection connection, String runId, RoundReport report,
      EngineCheckpoint checkpoint) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO engine_checkpoints (run_id, "
        + "round_number, attempt, next_training_round, committed_rounds, failed_rounds, statistics_attempts, "
        + "global_version, privacy_rounds_accounted, clip_norm) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      insert.setString(1, runId);
      insert.setInt(2, report.round());
      insert.setInt(3, report.attempt());
      insert.setInt(4, checkpoint.nextTrainingRound());
      insert.setInt(5, checkpoint.committedRounds());
      insert.setInt(6, checkpoint.failedRounds());
      insert.setInt(7, checkpoint.statisticsAttempts());
      insert.setLong(8, checkpoint.globalVersion());
      insert.setInt(9, checkpoint.privacyRoundsAccounted());
      insert.setDouble(10, checkpoint.clipNorm());
      insert.executeUpdate();
    }
  }

  private static Normalization readNormalization(Connection connection, String runId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT column_count, mean_f64le, std_f64le, positive_rate FROM run_normalizations WHERE run_id = ?")) {
      query.setString(1, runId);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? Columns.normalization(row, "", "the normalisation of run " + runId) : null;
      }
    }
  }

  private static EngineCheckpoint readLastCheckpoint(Connection connection, String runId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT c.* FROM engine_checkpoints c "
        + "JOIN round_reports r ON r.run_id = c.run_id AND r.round_number = c.round_number AND r.attempt = c.attempt "
        + "WHERE c.run_id = ? ORDER BY r.seq DESC LIMIT 1")) {
      query.setString(1, runId);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        return new EngineCheckpoint(row.getInt("next_training_round"), row.getInt("committed_rounds"),
            row.getInt("failed_rounds"), row.getInt("statistics_attempts"), row.getLong("global_version"),
            row.getInt("privacy_rounds_accounted"), row.getDouble("clip_norm"));
      }
    }
  }

  private static List<ModelVersion> readVersions(Connection connection, String runId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT " + ModelVersionRows.COLUMNS
        + " FROM model_versions WHERE run_id = ? ORDER BY model_version")) {
      query.setString(1, runId);
      return ModelVersionRows.readAll(query);
    }
  }

  private static List<RoundReport> readReports(Connection connection, String runId) throws SQLException {
    List<RoundReport> reports = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT * FROM round_reports WHERE run_id = ? ORDER BY seq")) {
      query.setString(1, runId);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          String what = "report of round %d of run %s".formatted(row.getInt("round_number"), runId);
          reports.add(new RoundReport(row.getInt("round_number"), row.getInt("attempt"),
              RoundPhase.valueOf(row.getString("outcome")), row.getString("reason"),
              Columns.stringList(row.getString("selected_json"), what + " selected"),
              Columns.stringList(row.getString("contributors_json"), what + " contributors"),
              Columns.stringMap(row.getString("dropouts_json"), what + " dropouts"), row.getLong("model_version"),
              Columns.getDouble(row, "mean_train_loss"), Columns.validation(row),
              row.getLong("slowest_training_millis"), Duration.ofNanos(row.getLong("wall_time_nanos")),
              Columns.getDouble(row, "epsilon_spent")));
        }
      }
    }
    return reports;
  }

  /** The last round with a transition or a selection but no report: the one running when the coordinator stopped. */
  private static InFlightRound readInFlight(Connection connection, String runId) throws SQLException {
    // Rounds in the order their journal began, each with the last phase it reached.
    Map<List<Integer>, RoundPhase> lastPhase = new LinkedHashMap<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT round_number, attempt, to_phase "
        + "FROM round_transitions WHERE run_id = ? ORDER BY seq")) {
      query.setString(1, runId);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          List<Integer> key = List.of(row.getInt("round_number"), row.getInt("attempt"));
          lastPhase.remove(key);
          lastPhase.put(key, RoundPhase.valueOf(row.getString("to_phase")));
        }
      }
    }
    Map<List<Integer>, Selection> selections = new LinkedHashMap<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT round_number, attempt, selected_json, secure "
        + "FROM round_selections WHERE run_id = ?")) {
      query.setString(1, runId);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          List<Integer> key = List.of(row.getInt("round_number"), row.getInt("attempt"));
          selections.put(key, new Selection(Columns.stringList(row.getString("selected_json"),
              "selection of round " + key.get(0)), row.getBoolean("secure")));
          // A selection journaled without any transition still marks the round as started.
          lastPhase.putIfAbsent(key, RoundPhase.SELECTING);
        }
      }
    }
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT round_number, attempt FROM round_reports WHERE run_id = ?")) {
      query.setString(1, runId);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          lastPhase.remove(List.of(row.getInt("round_number"), row.getInt("attempt")));
        }
      }
    }
    List<Integer> inFlight = null;
    for (List<Integer> key : lastPhase.keySet()) {
      inFlight = key;
    }
    if (inFlight == null) {
      return null;
    }
    Selection selection = selections.getOrDefault(inFlight, new Selection(List.of(), false));
    return new InFlightRound(inFlight.get(0), inFlight.get(1), selection.selected(), selection.secure(),
        lastPhase.get(inFlight));
  }

  private record Selection(List<String> selected, boolean secure) {}
}
