package org.comity.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.comity.agent.runtime.AgentObserver;
import org.comity.agent.runtime.PrivacySpent;
import org.comity.agent.runtime.TaskRecord;

/**
 * The agent's Prometheus metrics (Micrometer), named by Prometheus conventions ({@code comity_agent_*}, base units,
 * {@code _total} counters):
 *
 * <ul>
 *   <li>{@code comity_agent_training_duration_seconds}: local training time per training task (summary and max);
 *   <li>{@code comity_agent_rows_trained_total}: rows trained, summed over rounds (a round counts its rows once, whatever its epochs);
 *   <li>{@code comity_agent_last_round}: the latest round the agent did a task for;
 *   <li>{@code comity_agent_rounds_completed_total}: training rounds whose update the coordinator accepted;
 *   <li>{@code comity_agent_tasks_total{kind,outcome}}: finished tasks;
 *   <li>{@code comity_agent_connected}: 1 while in a run and reachable, else 0;
 *   <li>{@code comity_agent_sample_epsilon_spent} and {@code comity_agent_sample_epsilon_ceiling}: DP-SGD epsilon
 *       against the bank's own ceiling (only when the plan trains with DP-SGD).
 * </ul>
 */
public final class AgentMetrics implements AgentObserver {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer training;
  private final Counter rowsTrained;
  private final Counter roundsCompleted;
  private final AtomicLong lastRound = new AtomicLong();
  private final AtomicInteger connected = new AtomicInteger();

  /** @param privacy the bank's sample-level privacy spent now, or empty without DP-SGD */
  public AgentMetrics(Supplier<Optional<PrivacySpent>> privacy) {
    training = Timer.builder("comity_agent_training_duration").description("local training time of a round")
        .register(registry);
    rowsTrained = Counter.builder("comity_agent_rows_trained").description("rows trained, summed over rounds (once per round, whatever the epochs)")
        .register(registry);
    roundsCompleted = Counter.builder("comity_agent_rounds_completed")
        .description("training rounds whose update the coordinator accepted").register(registry);
    Gauge.builder("comity_agent_last_round", lastRound::get).description("latest round the agent did a task for")
        .register(registry);
    Gauge.builder("comity_agent_connected", connected::get)
        .description("1 while the agent is in a run and reaches the coordinator, else 0").register(registry);
    if (privacy.get().isPresent()) {
      Gauge.builder("comity_agent_sample_epsilon_spent", () -> privacy.get().map(PrivacySpent::epsilon).orElse(0.0))
          .description("DP-SGD epsilon this bank has spent").register(registry);
      Gauge.builder("comity_agent_sample_epsilon_ceiling", () -> privacy.get().map(PrivacySpent::ceiling).orElse(0.0))
          .description("this bank's own DP-SGD epsilon ceiling").register(registry);
    }
  }

  /** The Prometheus text exposition of all metrics. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void connected(String runId) {
    connected.set(1);
  }

  @Override
  public void unreachable(String why) {
    connected.set(0);
  }

  @Override
  public void finished(String reason) {
    connected.set(0);
  }

  @Override
  public void stopped(String reason) {
    connected.set(0);
  }

  @Override
  public void taskFinished(TaskRecord task) {
    lastRound.accumulateAndGet(task.round(), Math::max);
    Counter.builder("comity_agent_tasks").description("tasks the agent finished")
        .tag("kind", task.kind()).tag("outcome", task.outcome().label()).register(registry).increment();
    if (task.trained()) {
      training.record(Duration.ofMillis(task.trainingMillis()));
      rowsTrained.increment(task.rows());
      if (task.outcome() == TaskRecord.Outcome.ACCEPTED) {
        roundsCompleted.increment();
      }
    }
  }
}
