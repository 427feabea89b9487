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
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.DataCheckReport;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.privacy.SampleLevelPrivacyLedger;
import org.comity.agent.runtime.AgentOutcome;
import org.comity.agent.runtime.AgentRunner;
import org.comity.agent.runtime.TaskExecutor;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: takes part in a run of the plan with the bank's data. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Joins the coordinator's run and trains on the bank's data when asked. Raw rows never leave the bank.")
final class RunCommand implements Callable<Integer> {
  @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Federation plan (YAML), as agreed with the operator.")
  Path plan;

  @Option(names = "--data", required = true, paramLabel = "CSV", description = "The bank's data export (CSV with header).")
  Path data;

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

  @Option(names = "--tls-key", paramLabel = "FILE", description = "This bank's private key (PEM), from 'keygen'.")
  Path tlsKey;

  @Option(names = "--tls-key-passphrase-file", paramLabel = "FILE", description = "Passphrase of an encrypted --tls-key.")
  Path tlsKeyPassphraseFile;

  @Option(names = "--reconnect-patience", defaultValue = "300", paramLabel = "SECONDS",
      description = "How long to keep retrying an unreachable coordinator (default: ${DEFAULT-VALUE}).")
  int reconnectPatienceSeconds;

  @Override
  public Integer call() throws Exception {
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
    DataCheckReport report = new CsvDataLoader(loaded).load(data);
    if (!report.ok()) {
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
    try (LocalModel model = TensorFlowLocalModel.factory(deviceSelection, sessionThreads)
        .create(loaded, loaded.model().initSeed())) {
      AgentRunner runner = new AgentRunner(memberId, loaded, channel,
          new TaskExecutor(memberId, loaded, split, model, ledger, keySigner()),
          Duration.ofSeconds(reconnectPatienceSeconds));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> runner.leave("agent shut down")));
      AgentOutcome outcome = runner.run();
      System.out.printf("run finished: %s (%d results accepted, %d rejected)%n", outcome.reason(),
          outcome.tasksCompleted(), outcome.tasksRejected());
      return ExitCodes.OK;
    } finally {
      channel.shutdown();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Mutual TLS with the bank's certificate when the three files are given; plaintext otherwise. */
  private ChannelCredentials channelCredentials() throws Exception {
    boolean any = tlsCa != null || tlsCert != null || tlsKey != null;
    if (!any) {
      System.err.println("warning: plaintext connection (no --tls-ca/--tls-cert/--tls-key): only for loopback tests");
      return InsecureChannelCredentials.create();
    }
    if (tlsCa == null || tlsCert == null || tlsKey == null) {
      throw new ExitCodes.BadInputException("mutual TLS needs all three of --tls-ca, --tls-cert and --tls-key");
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
