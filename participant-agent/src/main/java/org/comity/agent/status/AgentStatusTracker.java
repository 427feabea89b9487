package org.comity.agent.status;

import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.comity.agent.runtime.AgentObserver;
import org.comity.agent.runtime.PrivacySpent;
import org.comity.agent.runtime.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's {@link AgentStatus} and rewrites the status file on every change. A file that cannot be
 * written is logged and skipped: the bank's training must not stop because its status could not be saved.
 * Thread-safe (the agent's poller and task threads both report here).
 */
public final class AgentStatusTracker implements AgentObserver {
  private static final Logger log = LoggerFactory.getLogger(AgentStatusTracker.class);

  private final String memberId;
  private final String coordinator;
  private final AgentStatus.DataCheck dataCheck;
  private final Supplier<Optional<PrivacySpent>> privacy;
  private final StatusFile file;
  private final Clock clock;
  private final Deque<AgentStatus.TaskEntry> recent = new ArrayDeque<>();
  private AgentStatus.State state = AgentStatus.State.STARTING;
  private String since;
  private String runId = "";
  private String detail = "";
  private AgentStatus current;
  private String lastWriteProblem;

  /**
   * Starts in {@link AgentStatus.State#STARTING} and writes the file at once.
   *
   * @param coordinator the coordinator's address as configured
   * @param dataCheck the data check at startup
   * @param privacy the bank's sample-level privacy spent now, or empty without DP-SGD
   * @param file where to write, or {@code null} to keep the status in memory only
   */
  public AgentStatusTracker(String memberId, String coordinator, AgentStatus.DataCheck dataCheck,
      Supplier<Optional<PrivacySpent>> privacy, StatusFile file, Clock clock) {
    this.memberId = Objects.requireNonNull(memberId, "memberId");
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.dataCheck = Objects.requireNonNull(dataCheck, "dataCheck");
    this.privacy = Objects.requireNonNull(privacy, "privacy");
    this.file = file;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.since = now();
    publish();
  }

  /** The document as of the latest change. */
  public synchronized AgentStatus current() {
    return current;
  }

  @Override
  public synchronized void connecting() {
    // A re-join while unreachable is still "unreachable since" the first failure: that is what the bank needs.
    if (state != AgentStatus.State.UNREACHABLE) {
      moveTo(AgentStatus.State.CONNECTING, "");
    }
  }

  @Override
  public synchronized void connected(String newRunId) {
    runId = newRunId == null ? "" : newRunId;
    moveTo(AgentStatus.State.CONNECTED, "");
  }

  @Override
  public synchronized void unreachable(String why) {
    moveTo(AgentStatus.State.UNREACHABLE, why);
  }

  @Override
  public synchronized void taskFinished(TaskRecord task) {
    recent.addLast(new AgentStatus.TaskEntry(task.round(), task.kind(), task.outcome().label(), task.rows(),
        task.trainingMillis(), task.loss(), now()));
    while (recent.size() > AgentStatus.RECENT_TASKS) {
      recent.removeFirst();
    }
    publish();
  }

  @Override
  public synchronized void finished(String reason) {
    moveTo(AgentStatus.State.FINISHED, reason);
  }

  @Override
  public synchronized void stopped(String reason) {
    moveTo(AgentStatus.State.STOPPED, reason);
  }

  /** Milliseconds are plenty for a status, and keep the document short. */
  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private void moveTo(AgentStatus.State next, String why) {
    if (next != state) {
      state = next;
      since = now();
    }
    detail = why == null ? "" : why;
    publish();
  }

  private void publish() {
    AgentStatus.Privacy spent = privacy.get()
        .map(p -> new AgentStatus.Privacy(p.epsilon(), p.delta(), p.ceiling())).orElse(null);
    current = new AgentStatus(AgentStatus.FORMAT, now(), memberId,
        new AgentStatus.Connection(state, since, coordinator, runId, detail), dataCheck, spent, new ArrayList<>(recent));
    if (file == null) {
      return;
    }
    try {
      file.write(current);
      lastWriteProblem = null;
    } catch (IOException | RuntimeException e) {
      String problem = e.getMessage();
      // Once per distinct problem: a full disk must not flood the log on every poll.
      if (!Objects.equals(problem, lastWriteProblem)) {
        log.warn("cannot write the status file {}: {}", file.path(), problem, e);
        lastWriteProblem = problem;
      }
    }
  }
}
