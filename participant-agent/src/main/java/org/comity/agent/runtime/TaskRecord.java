package org.comity.agent.runtime;

import java.util.Objects;

/**
 * One task the agent finished, as the bank's operator sees it. Stays inside the bank (status file, metrics): the
 * training loss here is the bank's own, even when DP-SGD keeps it out of what is sent.
 *
 * @param round the round number (0 is the statistics round)
 * @param kind {@code statistics}, {@code train}, {@code evaluate}, or {@code secagg_<stage>}
 * @param outcome how it ended
 * @param rows rows the task read (training rows, holdout rows), 0 when it read none
 * @param trainingMillis local training time, 0 for tasks that do not train
 * @param loss mean local training loss, or {@code null} for tasks that do not train
 */
public record TaskRecord(int round, String kind, Outcome outcome, long rows, long trainingMillis, Double loss) {
  public TaskRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    if (round < 0 || rows < 0 || trainingMillis < 0) {
      throw new IllegalArgumentException("round, rows and trainingMillis must be >= 0, got %d, %d, %d"
          .formatted(round, rows, trainingMillis));
    }
  }

  /** True for a training task (plain or the training step of secure aggregation). */
  public boolean trained() {
    return loss != null;
  }

  /** How a task ended. */
  public enum Outcome {
    /** The coordinator accepted the result. */
    ACCEPTED,
    /** The coordinator refused the result (see the agent's log for its reason). */
    REJECTED,
    /** The agent declined the task (its own privacy ceiling, or a malformed task) and told the coordinator. */
    DECLINED,
    /** Nothing to send: a secure-aggregation round the coordinator had aborted. */
    NOTHING_TO_SEND;

    /** Lower-case name for labels and JSON. */
    public String label() {
      return name().toLowerCase();
    }
  }
}
