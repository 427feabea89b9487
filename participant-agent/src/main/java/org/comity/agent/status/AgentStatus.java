package org.comity.agent.status;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * The agent's status document for the bank's operators, written as JSON to the status file and served at
 * {@code /status}. It holds no secret: no session token, no key, no data row; only counts, times and the
 * coordinator's address. Times are ISO-8601 UTC instants.
 *
 * @param format the document's format version ({@link #FORMAT})
 * @param updatedAt when the agent last changed it
 * @param memberId this bank's member id
 * @param connection the connection to the coordinator
 * @param dataCheck the data check at startup
 * @param privacy sample-level privacy spent against the bank's ceiling, or {@code null} without DP-SGD
 * @param recentTasks the latest finished tasks, oldest first (at most {@link #RECENT_TASKS})
 */
public record AgentStatus(int format, String updatedAt, String memberId, Connection connection, DataCheck dataCheck,
    Privacy privacy, List<TaskEntry> recentTasks) {
  /** The format version this agent writes. */
  public static final int FORMAT = 1;
  /** How many finished tasks the document keeps. */
  public static final int RECENT_TASKS = 20;

  public AgentStatus {
    requireInstant("updatedAt", updatedAt);
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(connection, "connection");
    recentTasks = recentTasks == null ? List.of() : List.copyOf(recentTasks);
  }

  /** When the agent last changed the document. */
  public Instant updated() {
    return Instant.parse(updatedAt);
  }

  /** The connection states, in the order an agent usually passes through them. */
  public enum State {
    /** Started; has not dialled yet (or stopped before it could, e.g. on a failed data check). */
    STARTING,
    /** Dialling the coordinator. */
    CONNECTING,
    /** In a run, polling for tasks. */
    CONNECTED,
    /** The coordinator does not answer; the agent retries until its patience runs out. */
    UNREACHABLE,
    /** The coordinator ended the run. */
    FINISHED,
    /** The agent stopped (refused, gave up, left, shut down, bad data). */
    STOPPED
  }

  /**
   * @param state where the connection is
   * @param since when it entered {@code state}
   * @param coordinator the coordinator's address as configured
   * @param runId the run the agent joined, or empty before the first join
   * @param detail the latest reason (an error's status, why the run ended), or empty
   */
  public record Connection(State state, String since, String coordinator, String runId, String detail) {
    public Connection {
      Objects.requireNonNull(state, "state");
      requireInstant("since", since);
      Objects.requireNonNull(coordinator, "coordinator");
      runId = runId == null ? "" : runId;
      detail = detail == null ? "" : detail;
    }
  }

  /**
   * @param rows data rows read
   * @param positiveRate fraction of rows labelled positive (0 when the file was unusable)
   * @param problems problems found; the agent does not train on a file with any
   */
  public record DataCheck(long rows, double positiveRate, int problems) {
    public DataCheck {
      if (rows < 0 || problems < 0 || !(positiveRate >= 0 && positiveRate <= 1)) {
        throw new IllegalArgumentException("need rows >= 0, 0 <= positiveRate <= 1, problems >= 0; got %d, %s, %d"
            .formatted(rows, positiveRate, problems));
      }
    }
  }

  /**
   * @param sampleEpsilonSpent DP-SGD epsilon this bank has spent at {@code delta}
   * @param delta the bank's delta
   * @param epsilonCeiling the bank's own ceiling: the agent declines a round that would exceed it
   */
  public record Privacy(double sampleEpsilonSpent, double delta, double epsilonCeiling) {}

  /**
   * One finished task.
   *
   * @param round round number
   * @param task the task's kind ({@code statistics}, {@code train}, {@code evaluate}, {@code secagg_<stage>})
   * @param outcome {@code accepted}, {@code rejected}, {@code declined} or {@code nothing_to_send}
   * @param rows rows the task read
   * @param trainingMillis local training time, 0 for tasks that do not train
   * @param loss mean local training loss, {@code null} for tasks that do not train
   * @param at when it finished
   */
  public record TaskEntry(int round, String task, String outcome, long rows, long trainingMillis, Double loss,
      String at) {
    public TaskEntry {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(outcome, "outcome");
      requireInstant("at", at);
    }
  }

  private static void requireInstant(String field, String value) {
    Objects.requireNonNull(value, field);
    try {
      Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("%s must be an ISO-8601 instant, got '%s'".formatted(field, value), e);
    }
  }
}
