package org.comity.coordinator.metrics;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerStreamTracer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundListener;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;
import org.comity.proto.v1.FederationGrpc;

/**
 * The coordinator's Prometheus metrics (Micrometer). Names follow Prometheus conventions: prefix {@code comity_},
 * base units in the name ({@code _seconds}, {@code _bytes}), {@code _total} on counters. Every metric:
 *
 * <ul>
 *   <li>{@code comity_round_duration_seconds{kind,outcome}}: wall time of each round, selection to its end;
 *   <li>{@code comity_stage_duration_seconds{stage}}: time rounds spent in each phase, from the engine's transitions;
 *   <li>{@code comity_connected_members}: members connected now;
 *   <li>{@code comity_updates_accepted_total}, {@code comity_results_rejected_total{reason}},
 *       {@code comity_dropouts_total{reason}};
 *   <li>{@code comity_federation_received_bytes_total{method}}, {@code comity_federation_sent_bytes_total{method}}:
 *       gRPC message bytes on the federation port per direction and method;
 *   <li>{@code comity_model_version}; {@code comity_privacy_epsilon_spent} (the run's bank-level epsilon) and
 *       {@code comity_privacy_sample_epsilon_reported{member}} (each bank's own DP-SGD epsilon, as it reported it).
 * </ul>
 *
 * <p>Labels are bounded: reasons and stages are short fixed codes, methods are the service's four, and only the
 * reported sample-level epsilon is per member (bounded by the roster), because the ceiling is each bank's own.
 */
public final class CoordinatorMetrics implements RoundListener {
  private static final Set<String> FEDERATION_METHODS = FederationGrpc.getServiceDescriptor().getMethods().stream()
      .map(MethodDescriptor::getFullMethodName).collect(Collectors.toUnmodifiableSet());

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Instant> stageStarts = new HashMap<>();
  private final AtomicLong modelVersion = new AtomicLong();
  private final Map<String, Counter> bytesIn = new ConcurrentHashMap<>();
  private final Map<String, Counter> bytesOut = new ConcurrentHashMap<>();
  private final Supplier<Map<String, Double>> sampleEpsilonByBank;
  private final Set<String> sampleEpsilonGauges = ConcurrentHashMap.newKeySet();

  /**
   * @param connectedMembers how many members are connected now
   * @param epsilonSpent the run's bank-level epsilon spent so far
   */
  public CoordinatorMetrics(Supplier<Integer> connectedMembers, Supplier<Double> epsilonSpent) {
    this(connectedMembers, epsilonSpent, Map::of);
  }

  /**
   * @param connectedMembers how many members are connected now
   * @param epsilonSpent the run's bank-level epsilon spent so far
   * @param sampleEpsilonByBank the latest sample-level (DP-SGD) epsilon each bank reported, by member id
   */
  public CoordinatorMetrics(Supplier<Integer> connectedMembers, Supplier<Double> epsilonSpent,
      Supplier<Map<String, Double>> sampleEpsilonByBank) {
    this.sampleEpsilonByBank = sampleEpsilonByBank;
    Gauge.builder("comity_connected_members", () -> connectedMembers.get()).description("members connected now")
        .register(registry);
    Gauge.builder("comity_privacy_epsilon_spent", () -> epsilonSpent.get())
        .description("bank-level epsilon spent by the run").register(registry);
    Gauge.builder("comity_model_version", modelVersion::get).description("latest committed model version")
        .register(registry);
    // Registered at zero so that dashboards and alerts see the series before the first round ends.
    updatesAccepted();
  }

  /** The Prometheus text exposition of all metrics. */
  public String scrape() {
    registerNewBanks();
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
      updatesAccepted().increment(report.contributors().size());
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

  /** Counts the message bytes of every call on the federation port, per direction and gRPC method. */
  public ServerStreamTracer.Factory byteCounter() {
    return new ServerStreamTracer.Factory() {
      @Override
      public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        String method = methodTag(fullMethodName);
        Counter in = bytesIn.computeIfAbsent(method, m -> Counter.builder("comity_federation_received")
            .baseUnit("bytes").description("gRPC message bytes received on the federation port")
            .tag("method", m).register(registry));
        Counter out = bytesOut.computeIfAbsent(method, m -> Counter.builder("comity_federation_sent")
            .baseUnit("bytes").description("gRPC message bytes sent on the federation port")
            .tag("method", m).register(registry));
        return new ServerStreamTracer() {
          @Override
          public void inboundWireSize(long bytes) {
            in.increment(bytes);
          }

          @Override
          public void outboundWireSize(long bytes) {
            out.increment(bytes);
          }
        };
      }
    };
  }

  private Counter updatesAccepted() {
    return Counter.builder("comity_updates_accepted").description("bank updates that entered an aggregate")
        .register(registry);
  }

  /** One gauge per bank that has reported a sample-level epsilon; each reads the engine's latest value. */
  private void registerNewBanks() {
    for (String member : sampleEpsilonByBank.get().keySet()) {
      if (sampleEpsilonGauges.add(member)) {
        Gauge.builder("comity_privacy_sample_epsilon_reported",
                () -> sampleEpsilonByBank.get().getOrDefault(member, 0.0))
            .description("sample-level (DP-SGD) epsilon a bank reported spending, against its own ceiling")
            .tag("member", member).register(registry);
      }
    }
  }

  /**
   * The method's short name, or {@code other}: a client can send any path, and an unknown one must not create a
   * new series per path (gRPC answers it UNIMPLEMENTED, but the tracer sees it first).
   */
  private static String methodTag(String fullMethodName) {
    return FEDERATION_METHODS.contains(fullMethodName)
        ? fullMethodName.substring(fullMethodName.lastIndexOf('/') + 1) : "other";
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
