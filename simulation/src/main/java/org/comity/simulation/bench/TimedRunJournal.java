package org.comity.simulation.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.EngineCheckpoint;
import org.comity.coordinator.round.RecoveredRun;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;
import org.comity.coordinator.round.RunJournal;
import org.comity.coordinator.round.RunOutcome;
import org.comity.plan.FederationPlan;

/** A journal that times every write of the journal it wraps, by round, for the journal-overhead benchmark. */
final class TimedRunJournal implements RunJournal {
  private final RunJournal delegate;
  private final Map<Integer, Long> nanosByRound = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> writesByRound = new ConcurrentHashMap<>();

  TimedRunJournal(RunJournal delegate) {
    this.delegate = delegate;
  }

  /** Nanoseconds spent writing records of {@code round} (0: the statistics round; -1: the run's start and end). */
  long nanos(int round) {
    return nanosByRound.getOrDefault(round, 0L);
  }

  int writes(int round) {
    return writesByRound.getOrDefault(round, 0);
  }

  private void timed(int round, Runnable write) {
    long start = System.nanoTime();
    write.run();
    nanosByRound.merge(round, System.nanoTime() - start, Long::sum);
    writesByRound.merge(round, 1, Integer::sum);
  }

  @Override
  public void runStarted(String runId, FederationPlan plan, String planHash, Instant at) {
    timed(-1, () -> delegate.runStarted(runId, plan, planHash, at));
  }

  @Override
  public void transition(RoundTransition transition) {
    timed(transition.round(), () -> delegate.transition(transition));
  }

  @Override
  public void roundSelected(String runId, int round, int attempt, List<String> selected, boolean secure) {
    timed(round, () -> delegate.roundSelected(runId, round, attempt, selected, secure));
  }

  @Override
  public void normalizationFixed(String runId, Normalization normalization) {
    timed(0, () -> delegate.normalizationFixed(runId, normalization));
  }

  @Override
  public void roundFinished(String runId, RoundReport report, ModelVersion committed, EngineCheckpoint checkpoint) {
    timed(report.round(), () -> delegate.roundFinished(runId, report, committed, checkpoint));
  }

  @Override
  public void runFinished(String runId, RunOutcome outcome, Instant at) {
    timed(-1, () -> delegate.runFinished(runId, outcome, at));
  }

  @Override
  public Optional<RecoveredRun> findUnfinished(String planHash) {
    return delegate.findUnfinished(planHash);
  }
}
