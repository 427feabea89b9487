package org.comity.agent.runtime;

import java.util.List;

/**
 * Observes an agent's participation: its connection to the coordinator and each task it finished. The agent's
 * status file and its Prometheus metrics attach here. Called from the agent's own threads (the poller and the task
 * loop), so implementations must be thread-safe, quick, and must not throw: a status or metrics problem must never
 * stop training.
 */
public interface AgentObserver {
  /** Observes nothing. */
  AgentObserver NONE = new AgentObserver() {};

  /** The agent is dialling the coordinator (first join, or joining again after its session was lost). */
  default void connecting() {}

  /** The coordinator answered: the agent is in run {@code runId}. */
  default void connected(String runId) {}

  /** A call failed with a transient error; the agent keeps retrying. {@code why} carries no secret. */
  default void unreachable(String why) {}

  /** A task ended (its result submitted, refused, declined, or there was nothing to send). */
  default void taskFinished(TaskRecord task) {}

  /** The coordinator ended the run. */
  default void finished(String reason) {}

  /** The agent stopped on its own (refused, gave up, left, shut down). */
  default void stopped(String reason) {}

  /** Forwards every event to each of {@code observers}, in order. */
  static AgentObserver all(AgentObserver... observers) {
    List<AgentObserver> list = List.of(observers);
    return new AgentObserver() {
      @Override
      public void connecting() {
        list.forEach(AgentObserver::connecting);
      }

      @Override
      public void connected(String runId) {
        list.forEach(o -> o.connected(runId));
      }

      @Override
      public void unreachable(String why) {
        list.forEach(o -> o.unreachable(why));
      }

      @Override
      public void taskFinished(TaskRecord task) {
        list.forEach(o -> o.taskFinished(task));
      }

      @Override
      public void finished(String reason) {
        list.forEach(o -> o.finished(reason));
      }

      @Override
      public void stopped(String reason) {
        list.forEach(o -> o.stopped(reason));
      }
    };
  }
}
