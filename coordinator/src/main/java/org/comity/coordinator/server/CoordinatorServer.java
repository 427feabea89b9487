package org.comity.coordinator.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Predicate;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HexFormat;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.comity.coordinator.members.MemberRegistry;
import org.comity.coordinator.metrics.CoordinatorMetrics;
import org.comity.coordinator.model.ModelRegistry;
import java.util.Optional;
import org.comity.coordinator.round.JournalException;
import org.comity.coordinator.round.RecoveredRun;
import org.comity.coordinator.round.RoundEngine;
import org.comity.coordinator.round.RunJournal;
import org.comity.plan.PlanHash;
import org.comity.coordinator.round.RoundListener;
import org.comity.coordinator.round.RunOutcome;
import org.comity.coordinator.rpc.FederationService;
import org.comity.plan.FederationPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running coordinator: the gRPC server, the member registry and the round engine, with the ticker that drives
 * the engine's deadlines. The same class runs in production and inside simulations.
 */
public final class CoordinatorServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorServer.class);

  private final RoundEngine engine;
  private final MemberRegistry members;
  private final ModelRegistry models;
  private final Server server;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<RunOutcome> finished = new CompletableFuture<>();

  private final CoordinatorMetrics metrics;
  private final Predicate<X509Certificate> revoked;

  private CoordinatorServer(RoundEngine engine, MemberRegistry members, ModelRegistry models, Server server,
      ScheduledExecutorService scheduler, CoordinatorMetrics metrics, Predicate<X509Certificate> revoked) {
    this.metrics = metrics;
    this.revoked = revoked;
    this.engine = engine;
    this.members = members;
    this.models = models;
    this.server = server;
    this.scheduler = scheduler;
  }

  /**
   * Starts serving {@code plan} with the given transport credentials (plaintext only for loopback and tests;
   * mutual TLS plugs in here without touching the round engine).
   */
  public static CoordinatorServer start(FederationPlan plan, CoordinatorOptions options, ServerCredentials credentials,
      Clock clock, RoundListener... listeners) throws IOException {
    return start(plan, options, credentials, List.of(), clock, listeners);
  }

  /**
   * Starts serving with transport credentials and the interceptors that go with them (with mutual TLS: the one that
   * takes each call's member id from its client certificate and refuses revoked members).
   */
  public static CoordinatorServer start(FederationPlan plan, CoordinatorOptions options, ServerCredentials credentials,
      List<ServerInterceptor> interceptors, Clock clock, RoundListener... listeners) throws IOException {
    return start(plan, options, credentials, interceptors, certificate -> false, clock, listeners);
  }

  /**
   * As above, and evicts members whose certificate {@code revoked} reports at once (checked with every tick): their
   * sessions close and they drop out of the round in flight.
   */
  public static CoordinatorServer start(FederationPlan plan, CoordinatorOptions options, ServerCredentials credentials,
      List<ServerInterceptor> interceptors, Predicate<X509Certificate> revoked, Clock clock,
      RoundListener... listeners) throws IOException {
    return start(plan, options, credentials, interceptors, revoked, RunJournal.NONE, clock, listeners);
  }

  /**
   * As above, with the run recorded in {@code journal}. If the journal holds an unfinished run of this plan, that
   * run is resumed (same run id, its committed versions, the round in flight asked again) instead of a new one.
   *
   * @throws JournalException if the journal cannot be read or the new run cannot be recorded
   */
  public static CoordinatorServer start(FederationPlan plan, CoordinatorOptions options, ServerCredentials credentials,
      List<ServerInterceptor> interceptors, Predicate<X509Certificate> revoked, RunJournal journal, Clock clock,
      RoundListener... listeners) throws IOException {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
      Thread thread = new Thread(r, "coordinator-ticker");
      thread.setDaemon(true);
      return thread;
    });
    MemberRegistry members = new MemberRegistry(clock, options.pollTimeout(), options.livenessTimeout(), scheduler);
    ModelRegistry models = new ModelRegistry();
    RoundEngine engine;
    Optional<RecoveredRun> unfinished = journal.findUnfinished(PlanHash.of(plan));
    if (unfinished.isPresent()) {
      engine = RoundEngine.resume(unfinished.get(), plan, clock, members, members, models, journal);
    } else {
      String runId = options.runId() != null ? options.runId() : newRunId();
      engine = new RoundEngine(runId, plan, clock, members, members, models, journal);
    }
    String runId = engine.runId();
    for (RoundListener listener : listeners) {
      engine.addListener(listener);
    }
    CoordinatorMetrics metrics = new CoordinatorMetrics(() -> members.connectedMembers().size(), engine::epsilonSpent,
        engine::sampleEpsilonByBank);
    engine.addListener(metrics);
    Server server = NettyServerBuilder
        .forAddress(new InetSocketAddress(options.bindAddress(), options.port()), credentials)
        .addStreamTracerFactory(metrics.byteCounter())
        .maxInboundMessageSize(options.maxMessageBytes())
        .maxInboundMetadataSize(16 * 1024)
        .addService(ServerInterceptors.intercept(new FederationService(engine, members), interceptors))
        .build();
    try {
      server.start();
    } catch (IOException e) {
      scheduler.shutdownNow();
      throw new IOException("cannot listen on %s:%d: %s".formatted(options.bindAddress(), options.port(), e.getMessage()), e);
    }
    CoordinatorServer coordinator = new CoordinatorServer(engine, members, models, server, scheduler, metrics, revoked);
    engine.addListener(new RoundListener() {
      @Override
      public void onRunFinished(RunOutcome outcome) {
        coordinator.finished.complete(outcome);
      }
    });
    scheduler.scheduleWithFixedDelay(coordinator::tickSafely, 0, 100, TimeUnit.MILLISECONDS);
    log.info("coordinator listening on {}:{} for run {} (plan {}, {} parameters)", options.bindAddress(),
        server.getPort(), runId, engine.planHash().substring(0, 12), plan.modelLayout().parameterCount());
    return coordinator;
  }

  /** Plaintext transport, for loopback simulations and tests. */
  public static ServerCredentials plaintext() {
    return InsecureServerCredentials.create();
  }

  private void tickSafely() {
    try {
      for (String member : members.evictRevoked(revoked)) {
        engine.memberLost(member, "revoked by the operator");
      }
      engine.tick();
    } catch (RuntimeException e) {
      // Keep ticking: one bad tick must not freeze every later round.
      log.error("round engine tick failed", e);
    }
  }

  private static String newRunId() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    return "run-" + HexFormat.of().formatHex(bytes);
  }

  public int port() {
    return server.getPort();
  }

  public RoundEngine engine() {
    return engine;
  }

  public ModelRegistry models() {
    return models;
  }

  /** The coordinator's Prometheus metrics. */
  public CoordinatorMetrics metrics() {
    return metrics;
  }

  public MemberRegistry members() {
    return members;
  }

  /** Completes when the run ends. */
  public CompletableFuture<RunOutcome> runFinished() {
    return finished;
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
    }
  }
}
