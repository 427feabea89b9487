package org.comity.coordinator.round;

import java.time.Instant;
import java.util.List;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;

/**
 * An unfinished run as its journal holds it: enough to resume it.
 *
 * @param runId the run
 * @param planHash the plan it is bound to
 * @param startedAt when it started
 * @param normalization the global normalisation, or {@code null} if the statistics round had not committed
 * @param checkpoint the engine's counters after its last finished round, or {@code null} if no round finished
 * @param versions its committed model versions, oldest first
 * @param reports the reports of its finished rounds, in order
 * @param inFlight the round that was running when the coordinator stopped, or {@code null}
 */
public record RecoveredRun(String runId, String planHash, Instant startedAt, Normalization normalization,
    EngineCheckpoint checkpoint, List<ModelVersion> versions, List<RoundReport> reports, InFlightRound inFlight) {
  public RecoveredRun {
    versions = List.copyOf(versions);
    reports = List.copyOf(reports);
  }
}
