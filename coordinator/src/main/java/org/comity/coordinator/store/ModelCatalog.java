package org.comity.coordinator.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.coordinator.audit.AuditActions;
import org.comity.coordinator.audit.AuditTrail;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;

/**
 * The model registry over the store: committed versions of every run, their lineage, comparisons, and which version
 * is promoted for serving. Used by the {@code model} commands; an HTTP API can reuse it as is (thread-safe).
 *
 * <p>Promotions form a stack: {@link #promote} pushes a version, {@link #rollback} returns to the version promoted
 * before the current one. Each is recorded with who did it and why, and, when the catalog has an
 * {@link AuditTrail}, appended to the trail in the same transaction: a promotion is on record exactly when it is
 * audited.
 */
public final class ModelCatalog {
  private static final int WRITE_ATTEMPTS = 5;
  private static final String SUMMARY_COLUMNS = "m.run_id, m.model_version, m.round_number, m.plan_hash, "
      + "m.committed_at, m.val_roc_auc, m.val_pr_auc, m.epsilon_spent, m.weights_sha256, m.participants_json";

  private final Database database;
  private final AuditTrail audit;

  /**
   * @param audit the trail promotions and rollbacks are appended to, or {@code null} for a read-only catalog
   */
  public ModelCatalog(Database database, AuditTrail audit) {
    this.database = java.util.Objects.requireNonNull(database, "database");
    this.audit = audit;
  }

  /** Every committed version, oldest first; only those of {@code runId} when it is not {@code null}. */
  public List<CatalogEntry> list(String runId) {
    return read("list the model versions", connection -> {
      Optional<ModelRef> promoted = currentPromotion(connection).map(Promotion::target);
      String sql = "SELECT " + SUMMARY_COLUMNS + " FROM model_versions m JOIN runs r ON r.run_id = m.run_id"
          + (runId == null ? "" : " WHERE m.run_id = ?") + " ORDER BY r.start_order, m.model_version";
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        if (runId != null) {
          query.setString(1, runId);
        }
        List<CatalogEntry> entries = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
          while (row.next()) {
            entries.add(summary(row, promoted));
          }
        }
        return entries;
      }
    });
  }

  /**
   * The full version (weights bit for bit, normalisation, metrics, lineage).
   *
   * @throws CatalogException if {@code ref} has no run and several runs have that version number
   */
  public Optional<ModelVersion> find(ModelRef ref) {
    return read("read model version " + ref, connection -> {
      Optional<String> runId = resolveRun(connection, ref);
      if (runId.isEmpty()) {
        return Optional.empty();
      }
      try (PreparedStatement query = connection.prepareStatement("SELECT " + ModelVersionRows.COLUMNS
          + " FROM model_versions WHERE run_id = ? AND model_version = ?")) {
        query.setString(1, runId.get());
        query.setLong(2, ref.version());
        List<ModelVersion> found = ModelVersionRows.readAll(query);
        return found.stream().findFirst();
      }
    });
  }

  /** {@link #find(ModelRef)} by number alone (fails when several runs have it). */
  public Optional<ModelVersion> find(long version) {
    return find(new ModelRef(null, version));
  }

  /** Like {@link #find(ModelRef)}, failing with a message naming the version when there is none. */
  public ModelVersion require(ModelRef ref) {
    return find(ref).orElseThrow(() -> new CatalogException(
        "no committed model version %s in %s; 'model list' shows them".formatted(ref, database.url().redacted())));
  }

  /** The listing entry of one version. */
  public CatalogEntry entry(ModelRef ref) {
    return read("read model version " + ref, connection -> {
      Optional<ModelRef> promoted = currentPromotion(connection).map(Promotion::target);
      String runId = resolveRun(connection, ref).orElseThrow(() -> new CatalogException(
          "no committed model version %s; 'model list' shows them".formatted(ref)));
      try (PreparedStatement query = connection.prepareStatement("SELECT " + SUMMARY_COLUMNS
          + " FROM model_versions m WHERE m.run_id = ? AND m.model_version = ?")) {
        query.setString(1, runId);
        query.setLong(2, ref.version());
        try (ResultSet row = query.executeQuery()) {
          row.next();
          return summary(row, promoted);
        }
      }
    });
  }

  /** The canonical JSON of a plan the store has seen. */
  public Optional<String> planJson(String planHash) {
    return read("read plan " + planHash, connection -> {
      try (PreparedStatement query = connection.prepareStatement("SELECT canonical_json FROM plans WHERE plan_hash = ?")) {
        query.setString(1, planHash);
        try (ResultSet row = query.executeQuery()) {
          return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
        }
      }
    });
  }

  /**
   * The plan a version was trained under, rebuilt from its stored canonical JSON and checked against its hash.
   *
   * @throws DatabaseException {@code CORRUPT} if the stored plan does not hash to the version's plan hash
   */
  public FederationPlan planOf(ModelVersion version) {
    String json = planJson(version.planHash()).orElseThrow(() -> new DatabaseException(DatabaseException.Kind.CORRUPT,
        "plan %s of %s:%d is not in the store".formatted(version.planHash(), version.runId(), version.version()), null));
    FederationPlan plan = CanonicalPlans.parse(json, version.planHash());
    if (!PlanHash.of(plan).equals(version.planHash())) {
      throw new DatabaseException(DatabaseException.Kind.CORRUPT, "the stored plan %s hashes to %s: it was altered"
          .formatted(version.planHash(), PlanHash.of(plan)), null);
    }
    return plan;
  }

  /** Metric deltas, weight distance and participant changes from {@code base} to {@code other}. */
  public ModelComparison compare(ModelRef base, ModelRef other) {
    ModelVersion a = require(base);
    ModelVersion b = require(other);
    float[] wa = a.weights();
    float[] wb = b.weights();
    double l2 = Double.NaN;
    if (wa.length == wb.length) {
      double sum = 0;
      for (int i = 0; i < wa.length; i++) {
        double d = (double) wb[i] - wa[i];
        sum += d * d;
      }
      l2 = Math.sqrt(sum);
    }
    Map<String, Double> deltas = new LinkedHashMap<>();
    EvaluationSummary va = a.validation();
    EvaluationSummary vb = b.validation();
    deltas.put("roc_auc", delta(va == null ? Double.NaN : va.rocAuc(), vb == null ? Double.NaN : vb.rocAuc()));
    deltas.put("pr_auc", delta(va == null ? Double.NaN : va.prAuc(), vb == null ? Double.NaN : vb.prAuc()));
    deltas.put("precision", delta(va == null ? Double.NaN : va.precision(), vb == null ? Double.NaN : vb.precision()));
    deltas.put("recall", delta(va == null ? Double.NaN : va.recall(), vb == null ? Double.NaN : vb.recall()));
    deltas.put("f1", delta(va == null ? Double.NaN : va.f1(), vb == null ? Double.NaN : vb.f1()));
    deltas.put("log_loss", delta(va == null ? Double.NaN : va.logLoss(), vb == null ? Double.NaN : vb.logLoss()));
    deltas.put("epsilon_spent", b.epsilonSpent() - a.epsilonSpent());
    TreeSet<String> added = new TreeSet<>(b.participants());
    added.removeAll(a.participants());
    TreeSet<String> removed = new TreeSet<>(a.participants());
    removed.removeAll(b.participants());
    return new ModelComparison(entry(new ModelRef(a.runId(), a.version())), entry(new ModelRef(b.runId(), b.version())),
        a.planHash().equals(b.planHash()), l2, deltas, List.copyOf(added), List.copyOf(removed));
  }

  /** The promotion currently in force (the top of the stack), if any version was promoted. */
  public Optional<Promotion> promoted() {
    return read("read the promoted version", ModelCatalog::currentPromotion);
  }

  /** Every promotion and rollback, oldest first. */
  public List<Promotion> promotions() {
    return read("read the promotions", ModelCatalog::allPromotions);
  }

  /**
   * Promotes a committed version for serving.
   *
   * @throws CatalogException if the version does not exist, is ambiguous, or is already the promoted one
   */
  public Promotion promote(ModelRef ref, String actor, String reason, Instant at) {
    return write("promote " + ref, connection -> {
      String runId = resolveRun(connection, ref).orElseThrow(() -> new CatalogException(
          "no committed model version %s to promote; 'model list' shows them".formatted(ref)));
      ModelRef target = new ModelRef(runId, ref.version());
      Optional<Promotion> current = currentPromotion(connection);
      if (current.isPresent() && current.get().target().equals(target)) {
        throw new CatalogException("%s is already the promoted version (since %s, by %s)"
            .formatted(target, current.get().at(), current.get().actor()));
      }
      Promotion promotion = insertPromotion(connection, Promotion.Action.PROMOTE, target, actor, reason, at);
      audit(connection, AuditActions.MODEL_PROMOTED, promotion, current.map(Promotion::target).orElse(null));
      return promotion;
    });
  }

  /**
   * Returns to the version promoted before the current one.
   *
   * @throws CatalogException if nothing is promoted, or the current version is the first one promoted
   */
  public Promotion rollback(String actor, String reason, Instant at) {
    return write("roll back the promoted version", connection -> {
      Deque<ModelRef> stack = stack(allPromotions(connection));
      if (stack.isEmpty()) {
        throw new CatalogException("no model version has been promoted, so there is nothing to roll back");
      }
      ModelRef current = stack.pop();
      if (stack.isEmpty()) {
        throw new CatalogException(("%s is the only version promoted so far: there is no previously promoted "
            + "version to roll back to (promote another version instead)").formatted(current));
      }
      Promotion promotion = insertPromotion(connection, Promotion.Action.ROLLBACK, stack.peek(), actor, reason, at);
      audit(connection, AuditActions.MODEL_ROLLED_BACK, promotion, current);
      return promotion;
    });
  }

  private void audit(Connection connection, String action, Promotion promotion, ModelRef previous)
      throws SQLException {
    if (audit == null) {
      return;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("run", promotion.target().runId());
    details.put("version", promotion.target().version());
    details.put("previous", previous == null ? null : previous.toString());
    details.put("reason", promotion.reason());
    details.put("weightsSha256", weightsHash(connection, promotion.target()));
    audit.append(connection, promotion.actor(), action, promotion.target().toString(), details);
  }

  private static String weightsHash(Connection connection, ModelRef ref) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT weights_sha256 FROM model_versions WHERE run_id = ? AND model_version = ?")) {
      query.setString(1, ref.runId());
      query.setLong(2, ref.version());
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }

  private static Promotion insertPromotion(Connection connection, Promotion.Action action, ModelRef target,
      String actor, String reason, Instant at) throws SQLException {
    if (actor == null || actor.isBlank()) {
      throw new CatalogException("a promotion needs an actor (who is doing it)");
    }
    long sequence;
    try (PreparedStatement next = connection.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM promotions");
         ResultSet row = next.executeQuery()) {
      row.next();
      sequence = row.getLong(1);
    }
    Promotion promotion = new Promotion(sequence, action, target, actor, reason, at);
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO promotions (seq, action, run_id, "
        + "model_version, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, sequence);
      insert.setString(2, action.name());
      insert.setString(3, target.runId());
      insert.setLong(4, target.version());
      insert.setString(5, actor);
      insert.setString(6, reason);
      insert.setString(7, Columns.instant(at));
      insert.executeUpdate();
    }
    return promotion;
  }

  private static List<Promotion> allPromotions(Connection connection) throws SQLException {
    List<Promotion> promotions = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT * FROM promotions ORDER BY seq");
         ResultSet row = query.executeQuery()) {
      while (row.next()) {
        promotions.add(new Promotion(row.getLong("seq"), Promotion.Action.valueOf(row.getString("action")),
            new ModelRef(row.getString("run_id"), row.getLong("model_version")), row.getString("actor"),
            row.getString("reason"), Columns.instant(row.getString("at"))));
      }
    }
    return promotions;
  }

  private static Optional<Promotion> currentPromotion(Connection connection) throws SQLException {
    List<Promotion> all = allPromotions(connection);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Replays the records: a promotion pushes its target, a rollback pops the current one. Top first. */
  private static Deque<ModelRef> stack(List<Promotion> promotions) {
    Deque<ModelRef> stack = new ArrayDeque<>();
    for (Promotion promotion : promotions) {
      if (promotion.action() == Promotion.Action.PROMOTE) {
        stack.push(promotion.target());
      } else {
        stack.pop();
      }
    }
    return stack;
  }

  private static Optional<String> resolveRun(Connection connection, ModelRef ref) throws SQLException {
    if (ref.runId() != null) {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT 1 FROM model_versions WHERE run_id = ? AND model_version = ?")) {
        query.setString(1, ref.runId());
        query.setLong(2, ref.version());
        try (ResultSet row = query.executeQuery()) {
          return row.next() ? Optional.of(ref.runId()) : Optional.empty();
        }
      }
    }
    List<String> runs = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT m.run_id FROM model_versions m "
        + "JOIN runs r ON r.run_id = m.run_id WHERE m.model_version = ? ORDER BY r.start_order")) {
      query.setLong(1, ref.version());
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          runs.add(row.getString(1));
        }
      }
    }
    if (runs.size() > 1) {
      throw new CatalogException("version %d exists in %d runs (%s): name one as RUN:%d"
          .formatted(ref.version(), runs.size(), String.join(", ", runs), ref.version()));
    }
    return runs.stream().findFirst();
  }

  private static CatalogEntry summary(ResultSet row, Optional<ModelRef> promoted) throws SQLException {
    String runId = row.getString("run_id");
    long version = row.getLong("model_version");
    return new CatalogEntry(runId, version, row.getInt("round_number"), row.getString("plan_hash"),
        Columns.instant(row.getString("committed_at")), Columns.getDouble(row, "val_roc_auc"),
        Columns.getDouble(row, "val_pr_auc"), Columns.getDouble(row, "epsilon_spent"), row.getString("weights_sha256"),
        Columns.stringList(row.getString("participants_json"), "participants of " + runId + ":" + version).size(),
        promoted.isPresent() && promoted.get().equals(new ModelRef(runId, version)));
  }

  private static double delta(double base, double other) {
    return other - base;
  }

  private <T> T read(String what, SqlWork<T> work) {
    try {
      return database.read(work);
    } catch (SQLException e) {
      throw new DatabaseException(DatabaseException.Kind.FAILED, "cannot %s in %s: %s".formatted(what,
          database.url().redacted(), e.getMessage()), e);
    }
  }

  private <T> T write(String what, SqlWork<T> work) {
    SQLException last = null;
    for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      try {
        return database.inTransaction(connection -> {
          database.lockAppends(connection);
          return work.run(connection);
        });
      } catch (SQLException e) {
        last = e;
        if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
          break;
        }
        // A concurrent promotion or audit append took the same sequence number: retry on the new state.
      }
    }
    throw new DatabaseException(DatabaseException.Kind.FAILED, "cannot %s in %s: %s".formatted(what,
        database.url().redacted(), last.getMessage()), last);
  }

  /** Rebuilds a plan from its canonical JSON ({@link PlanHash#canonicalJson}). */
  static final class CanonicalPlans {
    private static final ObjectMapper JSON = new ObjectMapper()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationFromMillis()));

    private CanonicalPlans() {}

    static FederationPlan parse(String canonicalJson, String planHash) {
      try {
        JsonNode root = JSON.readTree(canonicalJson);
        JsonNode plan = root.get("plan");
        if (plan instanceof com.fasterxml.jackson.databind.node.ObjectNode sections && !sections.has("scoring")) {
          // The canonical form leaves sections added later out while they hold their defaults (PlanHash).
          sections.set("scoring", JSON.valueToTree(org.comity.plan.ScoringSpec.defaults()));
        }
        return JSON.treeToValue(plan, FederationPlan.class);
      } catch (IOException | IllegalArgumentException e) {
        throw new DatabaseException(DatabaseException.Kind.CORRUPT, "the stored plan %s cannot be read back: %s"
            .formatted(planHash, e.getMessage()), e);
      }
    }

    /** The canonical form writes durations as whole milliseconds. */
    private static final class DurationFromMillis extends StdDeserializer<Duration> {
      private static final long serialVersionUID = 1L;

      DurationFromMillis() {
        super(Duration.class);
      }

      @Override
      public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        return Duration.ofMillis(parser.getLongValue());
      }
    }
  }
}
