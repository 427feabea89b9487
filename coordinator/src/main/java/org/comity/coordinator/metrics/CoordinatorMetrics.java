package org.comity.coordinator.metrics;

import io.grpc.ServerStreamTracer;
import io.grpc.Metadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundListener;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;

/**
 * The coordinator's Prometheus metrics (Micrometer): round and stage durations, connected members, updates accepted,
 * results rejected by reason, bytes in and out on the federation port, the model version and the bank-level
 * epsilon spent. Names follow Prometheus conventions ({@code comity_*}, base units, {@code _total} counters).
 */
public final class CoordinatorMetrics implements RoundListener {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Instant> stageStarts = new HashMap<>();
  private final AtomicLong modelVersion = new AtomicLong();
  private final Counter bytesIn;
  private final Counter bytesOut;

  /**
   * @param connectedMembers how many members are connected now
   * @param epsilonSpent the run's bank-level epsilon spent so far
   */
  public CoordinatorMetrics(Supplier<Integer> connectedMembers, Supplier<Double> epsilonSpent) {
    Gauge.builder("comity_connected_members", () -> connectedMembers.get()).description("members connected now")
        .register(registry);
    Gauge.builder("comity_privacy_epsilon_spent", () -> epsilonSpent.get())
        .description("bank-level epsilon spent by the run").register(registry);
    Gauge.builder("comity_model_version", modelVersion::get).description("latest committed model version")
        .register(registry);
    bytesIn = Counter.builder("comity_federation_received").baseUnit("bytes")
        .description("bytes received on the federation port").register(registry);
    bytesOut = Counter.builder("comity_federation_sent").baseUnit("bytes")
        .description("bytes sent on the federation port").register(registry);
  }

  /** The Prometheus text exposition of all metrics. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public synchronized void onTransition(RoundTransition transition) {
    String key = transition.round() + "/" + transition.attempt();
    Instant started = stageStarts.put(key, transition.at());
    if (started != null && transition.from() != null) {
      Timer.builder("comity_stage_duration").description("time a round spent in a stage")
          .tag("stage", transition.from().name().toLowerCase()).register(registry)
          .record(Duration.between(started, transition.at()));
    }
    if (transition.to().isTerminal()) {
      stageStarts.remove(key);
    }
  }

  @Override
  public void onCommitted(ModelVersion version) {
    modelVersion.set(version.version());
  }

  @Override
  public void onRoundFinished(RoundReport report) {
    Timer.builder("comity_round_duration").description("wall time of a round, selection to its end")
        .tag("outcome", report.outcome().name().toLowerCase()).tag("kind", report.round() == 0 ? "statistics" : "training")
        .register(registry).record(report.wallTime());
    if (report.round() > 0) {
      Counter.builder("comity_updates_accepted").description("bank updates that entered an aggregate")
          .register(registry).increment(report.contributors().size());
      report.dropouts().forEach((member, why) -> Counter.builder("comity_dropouts")
          .description("banks that did not deliver in a round").tag("reason", dropoutKind(why)).register(registry)
          .increment());
    }
  }

  @Override
  public void onRejected(String reasonCode) {
    Counter.builder("comity_results_rejected").description("results refused by the round engine")
        .tag("reason", reasonCode).register(registry).increment();
  }

  /** Counts the wire bytes of every call on the federation port. */
  public ServerStreamTracer.Factory byteCounter() {
    return new ServerStreamTracer.Factory() {
      @Override
      public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return new ServerStreamTracer() {
          @Override
          public void inboundWireSize(long bytes) {
            bytesIn.increment(bytes);
          }

          @Override
          public void outboundWireSize(long bytes) {
            bytesOut.increment(bytes);
          }
        };
      }
    };
  }

  private static String dropoutKind(String why) {
    if (why.contains("declined")) {
      return "declined";
    }
    if (why.contains("disconnected")) {
      return "disconnected";
    }
    if (why.contains("deadline")) {
      return "deadline";
    }
    return why.startsWith("left") ? "left" : "other";
  }
}
