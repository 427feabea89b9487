package org.comity.coordinator.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.comity.coordinator.audit.AuditTrail;
import org.comity.coordinator.store.CatalogException;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.ModelCatalog;
import org.comity.coordinator.store.ModelRef;

/**
 * The console's backends over the coordinator's store: promotions live in the model catalog (the same ones
 * {@code model promote|rollback} change), and admin actions go to the signed, hash-chained audit trail.
 */
public final class StoreConsoleBackends {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreConsoleBackends() {}

  /**
   * @param runId the run this console serves: its version numbers are the ones the API and dashboard show
   */
  public static ConsoleBackends of(OperatorTokens tokens, Database store, AuditTrail trail, String runId,
      Clock clock) {
    ModelCatalog catalog = new ModelCatalog(store, null);
    return new ConsoleBackends(tokens, new CatalogPromotions(catalog, runId, clock), new TrailWriter(trail),
        new TrailReader(trail), List::of, new StoreRuns(store));
  }

  /** The store's runs table, newest first. */
  private record StoreRuns(Database store) implements RunHistory {
    @Override
    public Page<RunSummary> page(long offset, int limit) {
      try {
        return store.read(connection -> {
          long total;
          try (var count = connection.prepareStatement("SELECT COUNT(*) FROM runs");
               var rows = count.executeQuery()) {
            rows.next();
            total = rows.getLong(1);
          }
          List<RunSummary> items = new ArrayList<>();
          try (var query = connection.prepareStatement("SELECT run_id, plan_hash, started_at, finished_at, completed, "
              + "outcome_reason, committed_rounds, failed_rounds FROM runs ORDER BY start_order DESC LIMIT ? OFFSET ?")) {
            query.setInt(1, limit);
            query.setLong(2, offset);
            try (var rows = query.executeQuery()) {
              while (rows.next()) {
                items.add(new RunSummary(rows.getString("run_id"), rows.getString("plan_hash"),
                    java.time.Instant.parse(rows.getString("started_at")), instantOrNull(rows.getString("finished_at")),
                    booleanOrNull(rows, "completed"),
                    rows.getString("outcome_reason"), integerOrNull(rows, "committed_rounds"),
                    integerOrNull(rows, "failed_rounds")));
              }
            }
          }
          return new Page<>(items, offset, total);
        });
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot read the runs from the store: " + e.getMessage(), e);
      }
    }

    private static java.time.Instant instantOrNull(String text) {
      return text == null ? null : java.time.Instant.parse(text);
    }

    private static Boolean booleanOrNull(java.sql.ResultSet rows, String column) throws java.sql.SQLException {
      boolean value = rows.getBoolean(column);
      return rows.wasNull() ? null : value;
    }

    private static Integer integerOrNull(java.sql.ResultSet rows, String column) throws java.sql.SQLException {
      int value = rows.getInt(column);
      return rows.wasNull() ? null : value;
    }
  }

  /** Promotions in the catalog; the console writes their audit entries itself. */
  private record CatalogPromotions(ModelCatalog catalog, String runId, Clock clock) implements ModelPromotions {
    @Override
    public Promotion promote(long version, String actor, String reason) {
      ModelRef target = new ModelRef(runId, version);
      if (catalog.find(target).isEmpty()) {
        throw new UnknownVersionException("model version %d of run %s is not in the store".formatted(version, runId));
      }
      Long previous = promotedVersion().orElse(null);
      try {
        var done = catalog.promote(target, actor, reason, clock.instant());
        return new Promotion(Promotion.Action.PROMOTE, version, previous, actor, reason, done.at());
      } catch (CatalogException e) {
        throw new RefusedException(e.getMessage());
      }
    }

    @Override
    public Promotion rollback(String actor, String reason) {
      Long previous = promotedVersion().orElse(null);
      try {
        var done = catalog.rollback(actor, reason, clock.instant());
        return new Promotion(Promotion.Action.ROLLBACK, done.target().version(), previous, actor, reason, done.at());
      } catch (CatalogException e) {
        throw new NothingToRollBackException(e.getMessage());
      }
    }

    @Override
    public Optional<Long> promotedVersion() {
      return catalog.promoted().filter(p -> p.target().runId().equals(runId)).map(p -> p.target().version());
    }

    @Override
    public List<Promotion> history() {
      List<Promotion> history = new ArrayList<>();
      Long before = null;
      for (var change : catalog.promotions()) {
        if (change.target().runId().equals(runId)) {
          history.add(new Promotion(change.action() == org.comity.coordinator.store.Promotion.Action.PROMOTE
              ? Promotion.Action.PROMOTE : Promotion.Action.ROLLBACK, change.target().version(), before,
              change.actor(), reasonOf(change), change.at()));
          before = change.target().version();
        } else {
          before = null;
        }
      }
      return history;
    }
  }

  /** {@code model promote} without {@code --reason} stores none; the console shows that plainly. */
  private static String reasonOf(org.comity.coordinator.store.Promotion change) {
    return change.reason() == null || change.reason().isBlank() ? "(no reason given)" : change.reason();
  }

  private record TrailWriter(AuditTrail trail) implements AuditWriter {
    @Override
    public AuditEntry append(String actor, String action, String subject, String detailsJson) {
      Map<String, Object> details;
      try {
        details = JSON.readValue(detailsJson, new TypeReference<Map<String, Object>>() { });
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("audit details are not a JSON object: " + e.getOriginalMessage(), e);
      }
      return entry(trail.append(actor, action, subject, details));
    }
  }

  private record TrailReader(AuditTrail trail) implements AuditReader {
    @Override
    public Page<AuditEntry> page(long offset, int limit) {
      return Page.of(trail.entries().stream().map(StoreConsoleBackends::entry).toList(), offset, limit);
    }
  }

  private static AuditEntry entry(org.comity.coordinator.audit.AuditEntry stored) {
    return new AuditEntry(stored.sequence(), stored.at(), stored.actor(), stored.action(), stored.subject(),
        stored.details());
  }
}
