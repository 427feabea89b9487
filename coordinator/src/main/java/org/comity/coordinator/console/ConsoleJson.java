package org.comity.coordinator.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;
import org.comity.coordinator.round.RunOutcome;

/**
 * The JSON shapes of the console API (described in {@code openapi.yaml}). Non-finite numbers become {@code null},
 * because JSON has no NaN and a metric that was not measured is absent, not zero.
 */
final class ConsoleJson {
  private ConsoleJson() {}

  static Double number(double value) {
    return Double.isFinite(value) ? value : null;
  }

  static JsonObject round(RoundReport report) {
    JsonArray dropouts = new JsonArray();
    new TreeMap<>(report.dropouts()).forEach((member, why) ->
        dropouts.add(new JsonObject().put("member", member).put("reason", why)));
    return new JsonObject()
        .put("round", report.round())
        .put("attempt", report.attempt())
        .put("kind", report.round() == 0 ? "statistics" : "training")
        .put("outcome", report.outcome().name())
        .put("reason", report.reason())
        .put("failureReason", report.outcome().name().equals("FAILED") ? report.reason() : null)
        .put("selected", new JsonArray(report.selected()))
        .put("contributors", new JsonArray(report.contributors()))
        .put("dropouts", dropouts)
        .put("version", report.version() < 0 ? null : report.version())
        .put("metrics", roundMetrics(report))
        .put("wallTimeMillis", report.wallTime().toMillis())
        .put("slowestTrainingMillis", report.slowestTrainingMillis())
        .put("epsilonSpent", number(report.epsilonSpent()));
  }

  /** The numbers the dashboard charts: validation metrics of the round's version and its training loss. */
  static JsonObject roundMetrics(RoundReport report) {
    JsonObject metrics = evaluation(report.validation());
    return metrics.put("meanTrainLoss", number(report.meanTrainLoss()));
  }

  static JsonObject evaluation(EvaluationSummary summary) {
    if (summary == null) {
      return new JsonObject().put("rocAuc", null).put("prAuc", null).put("logLoss", null).put("precision", null)
          .put("recall", null).put("f1", null).put("examples", null).put("positives", null).put("threshold", null);
    }
    return new JsonObject()
        .put("rocAuc", number(summary.rocAuc()))
        .put("prAuc", number(summary.prAuc()))
        .put("logLoss", number(summary.logLoss()))
        .put("precision", number(summary.precision()))
        .put("recall", number(summary.recall()))
        .put("f1", number(summary.f1()))
        .put("examples", summary.examples())
        .put("positives", summary.positives())
        .put("threshold", number(summary.threshold()));
  }

  /** One point of the metrics series: the round's identity and its numbers, flat. */
  static JsonObject metricsPoint(RoundReport report) {
    JsonObject point = new JsonObject()
        .put("round", report.round())
        .put("attempt", report.attempt())
        .put("outcome", report.outcome().name())
        .put("version", report.version() < 0 ? null : report.version())
        .put("epsilonSpent", number(report.epsilonSpent()))
        .put("wallTimeMillis", report.wallTime().toMillis());
    roundMetrics(report).forEach(entry -> point.put(entry.getKey(), entry.getValue()));
    return point;
  }

  static JsonObject version(ModelVersion version, boolean promoted) {
    return new JsonObject()
        .put("version", version.version())
        .put("runId", version.runId())
        .put("planHash", version.planHash())
        .put("round", version.round())
        .put("weightsSha256", version.weightsHash())
        .put("parameterCount", version.parameterCount())
        .put("participants", new JsonArray(version.participants()))
        .put("committedAt", version.committedAt().toString())
        .put("epsilonSpent", number(version.epsilonSpent()))
        .put("validation", evaluation(version.validation()))
        .put("promoted", promoted);
  }

  static JsonObject transition(RoundTransition transition) {
    return new JsonObject()
        .put("runId", transition.runId())
        .put("round", transition.round())
        .put("attempt", transition.attempt())
        .put("from", transition.from() == null ? null : transition.from().name())
        .put("to", transition.to().name())
        .put("reason", transition.reason())
        .put("at", transition.at().toString());
  }

  static JsonObject outcome(RunOutcome outcome) {
    if (outcome == null) {
      return null;
    }
    return new JsonObject()
        .put("completed", outcome.completed())
        .put("reason", outcome.reason())
        .put("committedRounds", outcome.committedRounds())
        .put("failedRounds", outcome.failedRounds());
  }

  static JsonObject promotion(Promotion promotion) {
    return new JsonObject()
        .put("action", promotion.action().name())
        .put("version", promotion.version())
        .put("previousVersion", promotion.previousVersion())
        .put("actor", promotion.actor())
        .put("reason", promotion.reason())
        .put("at", promotion.at().toString());
  }

  static JsonObject audit(AuditEntry entry) {
    Object details;
    try {
      details = new JsonObject(entry.detailsJson());
    } catch (RuntimeException e) {
      // An entry written by another tool may hold details this parser refuses; show them verbatim, never drop them.
      details = entry.detailsJson();
    }
    return new JsonObject()
        .put("sequence", entry.sequence())
        .put("at", entry.at().toString())
        .put("actor", entry.actor())
        .put("action", entry.action())
        .put("subject", entry.subject())
        .put("details", details);
  }

  static JsonObject counts(Map<String, Long> counts) {
    JsonObject json = new JsonObject();
    new TreeMap<>(counts).forEach(json::put);
    return json;
  }
}
