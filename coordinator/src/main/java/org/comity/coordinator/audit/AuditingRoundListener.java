package org.comity.coordinator.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundListener;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;
import org.comity.coordinator.round.RunOutcome;

/**
 * Appends one audit entry per finished round ({@value AuditActions#ROUND_FINISHED}: participants, dropouts with
 * their reasons, outcome, model version and weights hash, privacy spent) and one when the run ends
 * ({@value AuditActions#RUN_FINISHED}). Independent of the run journal: it needs only the {@link AuditTrail}.
 *
 * <p>The run id is taken from the round transitions and committed versions the engine reports, so the listener
 * can be registered before the engine picks a run id.
 *
 * <p>Fails closed: a failed append is rethrown as {@link AuditException} to the engine (an audit trail with a
 * silent gap would be worse than a stopped run). Register it after the journal, so a round is durable before it
 * is audited.
 */
public final class AuditingRoundListener implements RoundListener {
  private final AuditTrail trail;
  private String runId;
  private ModelVersion lastCommitted;

  public AuditingRoundListener(AuditTrail trail) {
    this.trail = java.util.Objects.requireNonNull(trail, "trail");
  }

  /** For an engine that reports no transition before its first finished round (tests, resumed runs). */
  public AuditingRoundListener(AuditTrail trail, String runId) {
    this(trail);
    this.runId = runId;
  }

  @Override
  public synchronized void onTransition(RoundTransition transition) {
    runId = transition.runId();
  }

  @Override
  public synchronized void onCommitted(ModelVersion version) {
    runId = version.runId();
    lastCommitted = version;
  }

  @Override
  public synchronized void onRoundFinished(RoundReport report) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("run", runId);
    details.put("round", report.round());
    details.put("attempt", report.attempt());
    details.put("outcome", report.outcome().name());
    details.put("reason", report.reason());
    details.put("selected", report.selected());
    details.put("participants", report.contributors());
    details.put("dropouts", new java.util.TreeMap<>(report.dropouts()));
    details.put("epsilonSpent", finiteOrNull(report.epsilonSpent()));
    if (report.outcome() == RoundPhase.COMMITTED && report.version() >= 0) {
      details.put("modelVersion", report.version());
      if (lastCommitted != null && lastCommitted.version() == report.version()) {
        details.put("weightsSha256", lastCommitted.weightsHash());
      }
    }
    if (report.validation() != null) {
      details.put("validationRocAuc", finiteOrNull(report.validation().rocAuc()));
      details.put("validationPrAuc", finiteOrNull(report.validation().prAuc()));
    }
    trail.append(AuditActions.COORDINATOR, AuditActions.ROUND_FINISHED,
        "%s/round-%d.%d".formatted(runId, report.round(), report.attempt()), details);
  }

  @Override
  public synchronized void onRunFinished(RunOutcome outcome) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("run", runId);
    details.put("completed", outcome.completed());
    details.put("reason", outcome.reason());
    details.put("committedRounds", outcome.committedRounds());
    details.put("failedRounds", outcome.failedRounds());
    trail.append(AuditActions.COORDINATOR, AuditActions.RUN_FINISHED, String.valueOf(runId), details);
  }

  /** JSON has no NaN: a metric that is not a number is recorded as null. */
  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
