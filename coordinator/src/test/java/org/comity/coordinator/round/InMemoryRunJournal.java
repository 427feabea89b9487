package org.comity.coordinator.round;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;

/** A journal in memory with the contract's semantics, to test the engine's side of recovery without a database. */
final class InMemoryRunJournal implements RunJournal {
  private record Run(String runId, String planHash, Instant startedAt) {}

  private record Selection(int round, int attempt, List<String> banks, boolean secure) {}

  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final Map<String, Boolean> finished = new LinkedHashMap<>();
  private final Map<String, Normalization> normalizations = new LinkedHashMap<>();
  private final Map<String, List<ModelVersion>> versions = new LinkedHashMap<>();
  private final Map<String, List<RoundReport>> reports = new LinkedHashMap<>();
  private final Map<String, EngineCheckpoint> checkpoints = new LinkedHashMap<>();
  private final Map<String, List<RoundTransition>> transitions = new LinkedHashMap<>();
  private final Map<String, Selection> lastSelection = new LinkedHashMap<>();
  /** When set, the next roundFinished fails as a lost database would. */
  boolean failNextRoundFinished;

  @Override
  public void runStarted(String runId, FederationPlan plan, String planHash, Instant at) {
    runs.put(runId, new Run(runId, planHash, at));
  }

  @Override
  public void transition(RoundTransition transition) {
    transitions.computeIfAbsent(transition.runId(), k -> new ArrayList<>()).add(transition);
  }

  @Override
  public void roundSelected(String runId, int round, int attempt, List<String> selected, boolean secure) {
    lastSelection.put(runId, new Selection(round, attempt, List.copyOf(selected), secure));
  }

  @Override
  public void normalizationFixed(String runId, Normalization normalization) {
    normalizations.put(runId, normalization);
  }

  @Override
  public void roundFinished(String runId, RoundReport report, ModelVersion committed, EngineCheckpoint checkpoint) {
    if (failNextRoundFinished) {
      failNextRoundFinished = false;
      throw new JournalException("database unreachable", null);
    }
    reports.computeIfAbsent(runId, k -> new ArrayList<>()).add(report);
    if (committed != null) {
      versions.computeIfAbsent(runId, k -> new ArrayList<>()).add(committed);
    }
    checkpoints.put(runId, checkpoint);
  }

  @Override
  public void runFinished(String runId, RunOutcome outcome, Instant at) {
    finished.put(runId, true);
  }

  List<RoundTransition> transitions(String runId) {
    return transitions.getOrDefault(runId, List.of());
  }

  @Override
  public Optional<RecoveredRun> findUnfinished(String planHash) {
    Run run = runs.values().stream().filter(r -> r.planHash().equals(planHash) && !finished.containsKey(r.runId()))
        .reduce((a, b) -> b).orElse(null);
    if (run == null) {
      return Optional.empty();
    }
    List<RoundReport> done = reports.getOrDefault(run.runId(), List.of());
    InFlightRound inFlight = null;
    List<RoundTransition> all = transitions(run.runId());
    if (!all.isEmpty()) {
      RoundTransition last = all.get(all.size() - 1);
      boolean finishedRound = done.stream().anyMatch(r -> r.round() == last.round() && r.attempt() == last.attempt());
      if (!finishedRound) {
        Selection selection = lastSelection.get(run.runId());
        boolean chosen = selection != null && selection.round() == last.round() && selection.attempt() == last.attempt();
        inFlight = new InFlightRound(last.round(), last.attempt(), chosen ? selection.banks() : List.of(),
            chosen && selection.secure(), last.to());
      }
    }
    return Optional.of(new RecoveredRun(run.runId(), run.planHash(), run.startedAt(),
        normalizations.get(run.runId()), checkpoints.get(run.runId()), versions.getOrDefault(run.runId(), List.of()),
        done, inFlight));
  }
}
