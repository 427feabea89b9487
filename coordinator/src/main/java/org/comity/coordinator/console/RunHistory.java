package org.comity.coordinator.console;

import java.time.Instant;

/**
 * The runs the coordinator's store knows, newest first: what {@code GET /api/v1/runs} lists. Without a store the
 * console lists only the run it serves.
 */
public interface RunHistory {
  /** A page of runs, newest first, with the total. */
  Page<RunSummary> page(long offset, int limit);

  /**
   * One run as the store recorded it.
   *
   * @param finishedAt {@code null} while it runs (or if it stopped without finishing: it resumes on restart)
   * @param completed {@code null} until it finished
   */
  record RunSummary(String runId, String planHash, Instant startedAt, Instant finishedAt, Boolean completed,
      String outcome, Integer committedRounds, Integer failedRounds) {
    public RunSummary {
      if (runId == null || planHash == null || startedAt == null) {
        throw new IllegalArgumentException("a run summary needs its id, plan hash and start");
      }
    }
  }
}
