package org.comity.coordinator.round;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;

/**
 * The durable record of a run, written by the {@link RoundEngine} as it goes and read back to resume the run after
 * the coordinator stopped (a crash, a SIGKILL, a reboot).
 *
 * <p>Ordering and atomicity: every call returns only once its record is durable. The engine calls
 * {@link #roundFinished} before it tells listeners or starts the next round, so a committed model version is on
 * disk before any bank hears of it; the version, the round's report and the {@link EngineCheckpoint} are written in
 * one transaction. A failure to write is a {@link JournalException}: the engine then stops the run rather than go on
 * without a record.
 *
 * <p>No individual bank's update is ever passed to the journal: with secure aggregation on, nothing a bank sent in
 * plaintext exists at the coordinator to be written.
 */
public interface RunJournal {
  /** A new run starts with this plan. */
  void runStarted(String runId, FederationPlan plan, String planHash, Instant at);

  /** One state change of a round, in order. */
  void transition(RoundTransition transition);

  /**
   * A round chose its participants (written before any task goes out), so a resumed run asks the same banks.
   *
   * @param secure whether the round runs secure aggregation (such a round cannot resume mid-protocol)
   */
  void roundSelected(String runId, int round, int attempt, List<String> selected, boolean secure);

  /** The statistics round fixed the run's global normalisation. */
  void normalizationFixed(String runId, Normalization normalization);

  /**
   * A round ended. For a committed round {@code committed} is the new version (else {@code null}); it is stored in
   * the same transaction as the report and the checkpoint.
   */
  void roundFinished(String runId, RoundReport report, ModelVersion committed, EngineCheckpoint checkpoint);

  /** The run ended; it will not be resumed. */
  void runFinished(String runId, RunOutcome outcome, Instant at);

  /** The most recent run of this plan hash that has not finished, with everything needed to resume it. */
  Optional<RecoveredRun> findUnfinished(String planHash);

  /** A journal that records nothing (simulations and tests that do not need durability). */
  RunJournal NONE = new RunJournal() {
    @Override
    public void runStarted(String runId, FederationPlan plan, String planHash, Instant at) {}

    @Override
    public void transition(RoundTransition transition) {}

    @Override
    public void roundSelected(String runId, int round, int attempt, List<String> selected, boolean secure) {}

    @Override
    public void normalizationFixed(String runId, Normalization normalization) {}

    @Override
    public void roundFinished(String runId, RoundReport report, ModelVersion committed, EngineCheckpoint checkpoint) {}

    @Override
    public void runFinished(String runId, RunOutcome outcome, Instant at) {}

    @Override
    public Optional<RecoveredRun> findUnfinished(String planHash) {
      return Optional.empty();
    }
  };
}
