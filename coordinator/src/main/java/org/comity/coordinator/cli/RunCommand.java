package org.comity.coordinator.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.comity.coordinator.console.ConsoleEvents;
import org.comity.coordinator.console.ConsoleServer;
import org.comity.coordinator.metrics.MetricsEndpoint;
import org.comity.coordinator.pki.MemberIdentityInterceptor;
import org.comity.coordinator.pki.MutualTls;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.RevocationList;
import org.comity.coordinator.round.RunOutcome;
import org.comity.coordinator.server.CoordinatorOptions;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.comity.coordinator.audit.AuditTrail;
import org.comity.coordinator.audit.AuditingRoundListener;
import org.comity.coordinator.round.RecoveredRun;
import org.comity.coordinator.round.RunJournal;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.JdbcRunJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: serves one run of a plan until its rounds are done. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the coordinator for one run of a federation plan and exits when the run ends.")
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Federation plan (YAML).")
  Path plan;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "7443", paramLabel = "PORT", description = "TCP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run identifier (default: random).")
  String runId;

  @Option(names = "--poll-timeout", defaultValue = "10s", paramLabel = "DURATION",
      description = "How long a member's long poll is held (default: ${DEFAULT-VALUE}).")
  String pollTimeout;

  @Option(names = "--max-message-mib", defaultValue = "64", paramLabel = "MIB",
      description = "Largest inbound message in MiB (default: ${DEFAULT-VALUE}).")
  int maxMessageMib;

  @Option(names = "--metrics-port", defaultValue = "-1", paramLabel = "PORT",
      description = "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics (0: any free port; default: off).")
  int metricsPort;

  @Option(names = "--pki-dir", paramLabel = "DIR",
      description = "Mutual TLS (TLS 1.3) with the consortium PKI made by 'ca init': server certificate, CA, CRL. "
          + "Required for a non-loopback bind.")
  Path pkiDir;

  @Mixin
  DatabaseOptions database = new DatabaseOptions();

  @Mixin
  AuditKeyOptions auditKey = new AuditKeyOptions();

  @Option(names = "--new-run", description = {"Start a new run even if the store holds an unfinished run of this plan "
      + "(which is then recorded as abandoned).",
      "Without it, an unfinished run of the same plan is resumed from its journal: after a crash, run the same command "
          + "again."})
  boolean newRun;

  @Option(names = "--insecure-plaintext-on-network",
      description = "Allow a non-loopback bind without mutual TLS. Unauthenticated: for isolated test networks only.")
  boolean plaintextOnNetwork;

  @picocli.CommandLine.Mixin
  ConsoleFlags console;

  @Override
  public Integer call() throws Exception {
    FederationPlan loaded = PlanLoader.load(plan);
    Duration poll = Durations.parse("--poll-timeout", pollTimeout);
    if (port < 0 || port > 65535) {
      throw new ExitCodes.BadInputException("--port must be 0-65535, got " + port);
    }
    if (maxMessageMib < 1 || maxMessageMib > 1024) {
      throw new ExitCodes.BadInputException("--max-message-mib must be 1-1024, got " + maxMessageMib);
    }
    if (!isLoopback(bind) && !plaintextOnNetwork && pkiDir == null) {
      throw new ExitCodes.BadInputException(("--bind %s is not a loopback address, and this coordinator has no mutual "
          + "TLS configured: the connection would be unauthenticated. Bind to 127.0.0.1, or pass "
          + "--insecure-plaintext-on-network for an isolated test network.").formatted(bind));
    }
    CoordinatorOptions options = CoordinatorOptions.defaults().withBindAddress(bind).withPort(port)
        .withPolling(poll, poll.multipliedBy(2).plusSeconds(5)).withRunId(runId).withMaxMessageBytes(maxMessageMib << 20);
    log.info("plan {} ({}), hash {}", plan, loaded.name(), PlanHash.of(loaded));
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new ExitCodes.BadInputException("--metrics-port must be 0-65535, got " + metricsPort);
    }
    console.validate(pkiDir);
    ServerCredentials credentials = CoordinatorServer.plaintext();
    List<ServerInterceptor> interceptors = List.of();
    java.util.function.Predicate<X509Certificate> revoked = certificate -> false;
    if (pkiDir != null) {
      PkiFiles files = new PkiFiles(pkiDir);
      if (!Files.isRegularFile(files.serverCertificate()) || !Files.isRegularFile(files.caCertificate())) {
        throw new ExitCodes.BadInputException("--pki-dir " + pkiDir + " has no CA or server certificate: run 'ca init'");
      }
      credentials = MutualTls.serverCredentials(files.caCertificate(), files.serverCertificate(), files.serverKey(),
          Optional.empty());
      X509Certificate ca = PemFiles.readCertificate(PemFiles.readText(files.caCertificate()), "CA certificate");
      var revocations = RevocationList.reloading(files.crl(), ca);
      interceptors = List.of(new MemberIdentityInterceptor(revocations));
      revoked = certificate -> revocations.get().isRevoked(certificate);
      log.info("mutual TLS on: members are identified by their certificates from {}", files.caCertificate());
    } else {
      log.warn("plaintext transport: members are not authenticated (loopback or isolated test network only)");
    }
    ConsoleEvents consoleEvents = new ConsoleEvents();
    try (Database store = database.open(true)) {
      AuditTrail trail = new AuditTrail(store, auditKey.signer(pkiDir, store.url()), Clock.systemUTC());
      return serve(loaded, options, credentials, interceptors, revoked, store, trail, consoleEvents, poll);
    }
  }

  private int serve(FederationPlan loaded, CoordinatorOptions options, ServerCredentials credentials,
      List<ServerInterceptor> interceptors, java.util.function.Predicate<X509Certificate> revoked, Database store,
      AuditTrail trail, ConsoleEvents consoleEvents, Duration poll) throws Exception {
    try (CoordinatorServer server = CoordinatorServer.start(loaded, options, credentials, interceptors, revoked,
             journal(store, loaded), Clock.systemUTC(), new RoundPrinter(), consoleEvents,
             new AuditingRoundListener(trail),
             new org.comity.coordinator.store.MemberActivityListener(
                 new org.comity.coordinator.store.MemberStore(store), Clock.systemUTC()));
         MetricsEndpoint metrics = metricsPort < 0 ? null
             : MetricsEndpoint.start(server.metrics(), "127.0.0.1", metricsPort);
         ConsoleServer consoleServer = console.start(server, loaded, consoleEvents, pkiDir, store, trail)) {
      if (metrics != null) {
        System.out.printf("metrics on http://127.0.0.1:%d/metrics%n", metrics.port());
      }
      System.out.printf("coordinator listening on %s:%d, run %s; waiting for %d member(s)%n", bind, server.port(),
          server.engine().runId(), loaded.rounds().minMembersToStart());
      RunOutcome outcome = server.runFinished().join();
      // Give polling members one poll period to learn that the run is over before the server goes away.
      Thread.sleep(Math.min(poll.toMillis(), 5000));
      System.out.printf("run %s ended: %s%n", server.engine().runId(), outcome.reason());
      server.models().latest().ifPresent(v -> System.out.printf("latest version %d (sha256 %s)%n", v.version(), v.weightsHash()));
      return outcome.completed() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** The store's journal; with {@code --new-run} an unfinished run of this plan is first recorded as abandoned. */
  private RunJournal journal(Database store, FederationPlan loaded) {
    RunJournal journal = new JdbcRunJournal(store);
    Optional<RecoveredRun> unfinished = journal.findUnfinished(PlanHash.of(loaded));
    if (unfinished.isPresent()) {
      RecoveredRun run = unfinished.get();
      if (newRun) {
        journal.runFinished(run.runId(), new RunOutcome(false, "abandoned by the operator: a new run was started with "
            + "--new-run", run.versions().size(), 0), java.time.Instant.now());
        System.out.printf("run %s abandoned (--new-run); a new run starts%n", run.runId());
      } else {
        System.out.printf("resuming run %s from its journal (%d committed version(s)%s)%n", run.runId(),
            run.versions().size(), run.inFlight() == null ? ""
                : ", round %d was in %s".formatted(run.inFlight().round(), run.inFlight().lastPhase()));
      }
    }
    return journal;
  }

  /** One line per finished round on stdout, so the operator watches the run without reading logs. */
  private static final class RoundPrinter implements org.comity.coordinator.round.RoundListener {
    @Override
    public void onRoundFinished(org.comity.coordinator.round.RoundReport report) {
      String metrics = report.validation() == null ? "" : ", validation ROC-AUC %.4f PR-AUC %.4f".formatted(
          report.validation().rocAuc(), report.validation().prAuc());
      System.out.printf("round %d %s: %d contributor(s), %d dropout(s)%s%s%n", report.round(),
          report.outcome().name().toLowerCase(), report.contributors().size(), report.dropouts().size(), metrics,
          report.outcome() == org.comity.coordinator.round.RoundPhase.FAILED ? " - " + report.reason() : "");
    }
  }

  private static boolean isLoopback(String address) throws ExitCodes.BadInputException {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ExitCodes.BadInputException("--bind: unknown address '%s'".formatted(address));
    }
  }
}
