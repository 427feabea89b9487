package org.comity.agent.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import java.time.Clock;
import java.util.Optional;
import org.comity.agent.pki.BankPem;
import org.comity.agent.pki.CertificateExpiry;
import org.comity.agent.pki.MutualTls;
import org.comity.agent.pki.SecAggKeySigner;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.comity.agent.data.BankDataSource;
import org.comity.agent.data.DataCheckReport;
import org.comity.agent.data.PlanDataValidator;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.privacy.SampleLevelPrivacyLedger;
import org.comity.agent.metrics.AgentMetrics;
import org.comity.agent.metrics.AgentMetricsEndpoint;
import org.comity.agent.runtime.AgentObserver;
import org.comity.agent.runtime.AgentOutcome;
import org.comity.agent.status.AgentStatus;
import org.comity.agent.status.AgentStatusTracker;
import org.comity.agent.status.StatusFile;
import org.comity.agent.runtime.AgentRunner;
import org.comity.agent.runtime.TaskExecutor;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.comity.pkcs11.Pkcs11Token;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: takes part in a run of the plan with the bank's data. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Joins the coordinator's run and trains on the bank's data when asked. Raw rows never leave the bank.")
final class RunCommand implements Callable<Integer> {
  @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Federation plan (YAML), as agreed with the operator.")
  Path plan;

  @Mixin
  DataSourceOptions data;

  @Option(names = "--coordinator", required = true, paramLabel = "HOST:PORT", description = "The coordinator's address.")
  String coordinator;

  @Option(names = "--member-id", required = true, paramLabel = "ID", description = "This bank's member id.")
  String memberId;

  @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
      description = "Training device: cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}). GPU needs the gpu build.")
  String device;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = "CPU threads for TensorFlow (default: all processors).")
  int threads;

  @Option(names = "--epsilon-ceiling", paramLabel = "EPSILON",
      description = "This bank's own DP-SGD epsilon ceiling (required when the plan enables sample-level privacy): "
          + "the agent refuses to train a round that would exceed it.")
  Double epsilonCeiling;

  @Option(names = "--delta", paramLabel = "DELTA",
      description = "This bank's DP-SGD delta (default: 1 / (10 x training rows)); must be below 1 / rows.")
  Double delta;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "The consortium CA certificate (PEM): turns on mutual TLS.")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "This bank's certificate (PEM), from 'member enroll'.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "This bank's private key (PEM), from 'keygen'; or the --pkcs11-* options for a key in a token.")
  Path tlsKey;

  @Mixin
  TokenOptions token = new TokenOptions();

  @Option(names = "--tls-key-passphrase-file", paramLabel = "FILE", description = "Passphrase of an encrypted --tls-key.")
  Path tlsKeyPassphraseFile;

  @Option(names = "--reconnect-patience", defaultValue = "300", paramLabel = "SECONDS",
      description = "How long to keep retrying an unreachable coordinator (default: ${DEFAULT-VALUE}).")
  int reconnectPatienceSeconds;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics at /metrics and the status document at /status on this port "
          + "(0: any free port; default: off).")
  Integer metricsPort;

  @Option(names = "--metrics-bind", defaultValue = "127.0.0.1", paramLabel = "ADDR",
      description = "Address the metrics port binds (default: ${DEFAULT-VALUE}, loopback only).")
  String metricsBind;

  @Option(names = "--status-file", paramLabel = "PATH",
      description = "Where the agent keeps its status document (JSON, no secrets; read it with 'status') "
          + "(default: comity-agent-state/status.json).")
  Path statusFile;

  /** The token holding this bank's key, when the --pkcs11-* options are given; open for the whole run. */
  private Pkcs11Token openedToken;

  @Override
  public Integer call() throws Exception {
    checkTlsOptions();
    try {
      return runAgent();
    } finally {
      if (openedToken != null) {
        openedToken.close();
      }
    }
  }

  private Integer runAgent() throws Exception {
    FederationPlan loaded = PlanLoader.load(plan);
    if (loaded.secureAggregation().enabled() && loaded.secureAggregation().consistencyCheck() && tlsCa == null) {
      throw new ExitCodes.BadInputException("the plan runs secure aggregation with the consistency check "
          + "(secure_aggregation.consistency_check), where each bank signs the survivor set with its certificate key: "
          + "give this bank's --tls-ca, --tls-cert and --tls-key, or use a plan with consistency_check: false");
    }
    DeviceSelection deviceSelection;
    try {
      deviceSelection = DeviceSelection.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.BadInputException("--device: " + e.getMessage());
    }
    if (threads < 0 || threads > 1024) {
      throw new ExitCodes.BadInputException("--threads must be 0 (all processors) to 1024, got " + threads);
    }
    if (reconnectPatienceSeconds < 1) {
      throw new ExitCodes.BadInputException("--reconnect-patience must be at least 1 second");
    }
    validateTarget(coordinator);
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new ExitCodes.BadInputException("--metrics-port must be 0-65535, got " + metricsPort);
    }
    StatusFile status = new StatusFile(statusFile != null ? statusFile : StatusFile.DEFAULT);
    BankDataSource source = data.source();
    DataCheckReport report = source.read(PlanDataValidator.forTraining(loaded, source.positions()));
    AgentStatus.DataCheck dataCheck = dataCheck(report);
    if (!report.ok()) {
      new AgentStatusTracker(memberId, coordinator, dataCheck, Optional::empty, status, Clock.systemUTC())
          .stopped("the data check found %d problem(s); see 'comity-agent check'".formatted(report.problems().size()));
      throw new ExitCodes.BadInputException(report.describe());
    }
    System.err.println(report.describe());
    HoldoutSplit split = HoldoutSplit.of(report.dataset(), loaded.evaluation().holdoutFraction(),
        loaded.evaluation().holdoutSeed());
    SessionThreads sessionThreads = threads == 0 ? SessionThreads.forThisMachine() : new SessionThreads(threads, Math.min(2, threads));
    ManagedChannel channel = NettyChannelBuilder.forTarget(coordinator, channelCredentials())
        .maxInboundMessageSize(64 << 20)
        .build();
    SampleLevelPrivacyLedger ledger = ledger(loaded, split.training().rows());
    AgentMetricsEndpoint endpoint = null;
    try (LocalModel model = TensorFlowLocalModel.factory(deviceSelection, sessionThreads)
        .create(loaded, loaded.model().initSeed())) {
      TaskExecutor executor = new TaskExecutor(memberId, loaded, split, model, ledger, keySigner());
      AgentStatusTracker tracker = new AgentStatusTracker(memberId, coordinator, dataCheck, executor::samplePrivacy,
          status, Clock.systemUTC());
      System.err.println("status: " + status.path() + " (read it with 'comity-agent status --status-file "
          + status.path() + "')");
      AgentMetrics metrics = new AgentMetrics(executor::samplePrivacy);
      AgentRunner runner = new AgentRunner(memberId, loaded, channel, executor,
          Duration.ofSeconds(reconnectPatienceSeconds), AgentObserver.all(tracker, metrics));
      if (metricsPort != null) {
        try {
          endpoint = AgentMetricsEndpoint.start(metrics, () -> StatusFile.toJson(tracker.current()), metricsBind,
              metricsPort);
        } catch (IllegalStateException e) {
          throw new ExitCodes.BadInputException("--metrics-port/--metrics-bind: " + e.getMessage());
        }
        System.out.printf("metrics on http://%s:%d/metrics, status on /status%n", metricsBind, endpoint.port());
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> runner.leave("agent shut down")));
      AgentOutcome outcome = runner.run();
      System.out.printf("run finished: %s (%d results accepted, %d rejected)%n", outcome.reason(),
          outcome.tasksCompleted(), outcome.tasksRejected());
      return ExitCodes.OK;
    } finally {
      if (endpoint != null) {
        endpoint.close();
      }
      channel.shutdown();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static AgentStatus.DataCheck dataCheck(DataCheckReport report) {
    if (!report.ok()) {
      return new AgentStatus.DataCheck(report.rowsRead(), 0.0, report.problems().size());
    }
    return new AgentStatus.DataCheck(report.dataset().rows(),
        (double) report.dataset().positives() / report.dataset().rows(), 0);
  }

  /** Checks the combination of TLS and token options before anything is loaded. */
  private void checkTlsOptions() throws ExitCodes.BadInputException {
    boolean inToken = token.given();
    if (inToken && tlsKey != null) {
      throw new ExitCodes.BadInputException("--tls-key and --pkcs11-library are alternatives: this bank's key is either "
          + "in a file or in a token");
    }
    if (inToken && tlsKeyPassphraseFile != null) {
      throw new ExitCodes.BadInputException("--tls-key-passphrase-file is for a key file; a token key is protected by "
          + "the token's PIN ($COMITY_PKCS11_PIN or the terminal)");
    }
    boolean any = tlsCa != null || tlsCert != null || tlsKey != null || inToken;
    if (any && (tlsCa == null || tlsCert == null || (tlsKey == null && !inToken))) {
      throw new ExitCodes.BadInputException("mutual TLS needs --tls-ca, --tls-cert and the key: --tls-key FILE, or "
          + "--pkcs11-library with --pkcs11-slot or --pkcs11-token-label for a key in a token");
    }
    if (inToken) {
      token.settings(memberId);
    }
  }

  /** Mutual TLS with the bank's certificate when the three files are given; plaintext otherwise. */
  private ChannelCredentials channelCredentials() throws Exception {
    if (tlsCa == null) {
      System.err.println("warning: plaintext connection (no --tls-ca/--tls-cert/--tls-key): only for loopback tests");
      return InsecureChannelCredentials.create();
    }
    if (token.given()) {
      // The token is opened (and the key found) before the certificate files are read: a wrong PIN or alias is the
      // first thing to report.
      openedToken = token.open(token.settings(memberId));
      PrivateKey key = openedToken.privateKey(openedToken.settings().keyAlias());
      CertificateExpiry.warning(BankPem.readCertificate(tlsCert), Clock.systemUTC())
          .ifPresent(warning -> System.err.println("warning: " + warning));
      System.err.println("client key: " + openedToken.settings().keyAlias() + " in " + openedToken.description());
      return MutualTls.channelCredentials(tlsCa, tlsCert, key);
    }
    CertificateExpiry.warning(BankPem.readCertificate(tlsCert), Clock.systemUTC())
        .ifPresent(warning -> System.err.println("warning: " + warning));
    Optional<char[]> passphrase = KeygenCommand.passphrase(tlsKeyPassphraseFile);
    try {
      return MutualTls.channelCredentials(tlsCa, tlsCert, tlsKey, passphrase);
    } finally {
      passphrase.ifPresent(p -> java.util.Arrays.fill(p, '\0'));
    }
  }

  /** With mutual TLS, the same key and certificate sign this bank's secure-aggregation keys. */
  private SecAggKeySigner keySigner() throws Exception {
    if (tlsCa == null) {
      return null;
    }
    if (openedToken != null) {
      return SecAggKeySigner.withKey(tlsCa, tlsCert, openedToken.privateKey(openedToken.settings().keyAlias()));
    }
    Optional<char[]> passphrase = KeygenCommand.passphrase(tlsKeyPassphraseFile);
    try {
      return SecAggKeySigner.load(tlsCa, tlsCert, tlsKey, passphrase);
    } finally {
      passphrase.ifPresent(p -> java.util.Arrays.fill(p, '\0'));
    }
  }

  /** The bank's own DP-SGD ledger when the plan trains with DP-SGD; the ceiling is the bank's, not the plan's. */
  private SampleLevelPrivacyLedger ledger(FederationPlan plan, int trainingRows) throws ExitCodes.BadInputException {
    if (!plan.samplePrivacy().enabled()) {
      if (epsilonCeiling != null) {
        System.err.println("note: --epsilon-ceiling is ignored: the plan does not enable sample-level privacy");
      }
      return null;
    }
    if (epsilonCeiling == null) {
      throw new ExitCodes.BadInputException("the plan trains with DP-SGD (privacy.sample_level): set this bank's own "
          + "ceiling with --epsilon-ceiling");
    }
    double bankDelta = delta != null ? delta : 1.0 / (10.0 * trainingRows);
    try {
      return new SampleLevelPrivacyLedger(epsilonCeiling, bankDelta, trainingRows);
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.BadInputException("--epsilon-ceiling/--delta: " + e.getMessage());
    }
  }

  private static void validateTarget(String target) throws ExitCodes.BadInputException {
    try {
      URI uri = new URI("dns://x/" + target);
      String authority = new URI("tcp://" + target).getAuthority();
      if (authority == null || new URI("tcp://" + target).getPort() < 1 || uri.getPath() == null) {
        throw new ExitCodes.BadInputException("--coordinator must be HOST:PORT, got '%s'".formatted(target));
      }
    } catch (java.net.URISyntaxException e) {
      throw new ExitCodes.BadInputException("--coordinator must be HOST:PORT, got '%s'".formatted(target));
    }
  }
}
