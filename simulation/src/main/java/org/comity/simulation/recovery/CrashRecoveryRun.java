package org.comity.simulation.recovery;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.HoldoutSplit;
import java.util.Optional;
import org.comity.agent.pki.MutualTls;
import org.comity.agent.pki.SecAggKeySigner;
import org.comity.agent.runtime.AgentRunner;
import org.comity.agent.runtime.TaskExecutor;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.LocalModelFactory;
import org.comity.plan.FederationPlan;
import org.comity.simulation.run.PreparedConsortium;

/**
 * One federated run with the coordinator as a separate process journaling to {@code database}, and the banks as
 * agents in this JVM; optionally the coordinator is killed with SIGKILL at a {@link KillPoint} and started again on
 * the same database. Used by the kill-matrix test and by {@code bench recovery}.
 */
public final class CrashRecoveryRun {
  private static final Pattern FINAL = Pattern.compile("latest version (\\d+) \\(sha256 ([0-9a-f]{64})\\)");

  /**
   * What came out.
   *
   * @param finalVersion the last committed version
   * @param finalHash SHA-256 of its weights
   * @param trainings local trainings the banks ran in all (a resent update is not a training)
   * @param firstOutput what the first coordinator process printed
   * @param secondOutput what the restarted one printed ("" without a kill)
   * @param restartToListeningMillis from starting the second process to its "listening" line (-1 without a kill)
   * @param restartToResumedMillis from starting the second process until the round in flight had its banks again
   *     (its tasks dispatched anew), -1 without a kill
   * @param runMillis from the first process's start to the end of the run
   */
  public record Outcome(long finalVersion, String finalHash, int trainings, String firstOutput, String secondOutput,
      long restartToListeningMillis, long restartToResumedMillis, long runMillis) {}

  /**
   * A consortium PKI made by the operator's and the banks' commands: the coordinator runs with {@code --pki-dir
   * pkiDir}; bank {@code B} has {@code bankDir/B/B.crt} and {@code B.key}.
   */
  public record Pki(Path pkiDir, Path bankDir) {
    Path caCertificate() {
      return pkiDir.resolve("ca.crt");
    }

    Path certificate(String bank) {
      return bankDir.resolve(bank).resolve(bank + ".crt");
    }

    Path key(String bank) {
      return bankDir.resolve(bank).resolve(bank + ".key");
    }
  }

  private final LocalModelFactory models;
  private final String database;
  private final Map<String, String> environment;
  private final Pki pki;

  /**
   * @param database JDBC URL of the coordinator's store (a fresh SQLite file or PostgreSQL database per run)
   * @param environment added to the coordinator process's environment (database credentials)
   */
  public CrashRecoveryRun(LocalModelFactory models, String database, Map<String, String> environment) {
    this(models, database, environment, null);
  }

  /** As above, over mutual TLS with {@code pki} (banks sign their secure-aggregation messages with their keys). */
  public CrashRecoveryRun(LocalModelFactory models, String database, Map<String, String> environment, Pki pki) {
    this.models = models;
    this.database = database;
    this.environment = Map.copyOf(environment);
    this.pki = pki;
  }

  private CoordinatorProcess startCoordinator(Path plan, int port, Path log) throws IOException {
    return pki == null ? CoordinatorProcess.start(plan, port, database, environment, log)
        : CoordinatorProcess.start(plan, port, database, environment, log, "--pki-dir",
            pki.pkiDir().toAbsolutePath().toString());
  }

  /** Runs {@code consortium} (its plan file is {@code plan}), killing the coordinator at {@code point} (or never). */
  public Outcome run(PreparedConsortium consortium, Path plan, KillPoint point, Path dir) throws Exception {
    Files.createDirectories(dir);
    FederationPlan federation = consortium.plan();
    int port = freePort();
    SubmissionGate gate = new SubmissionGate(point == null ? r -> false : point.held());
    ExecutorService agents = Executors.newFixedThreadPool(consortium.banks().size());
    List<ManagedChannel> channels = new ArrayList<>();
    List<TaskExecutor> executors = new ArrayList<>();
    List<LocalModel> localModels = new ArrayList<>();
    List<Future<?>> outcomes = new ArrayList<>();
    long started = System.nanoTime();
    CoordinatorProcess first = startCoordinator(plan, port, dir.resolve("first.log"));
    CoordinatorProcess second = null;
    try {
      first.await("coordinator listening", Duration.ofSeconds(60));
      for (PreparedConsortium.BankFile bank : consortium.banks()) {
        HoldoutSplit split = HoldoutSplit.of(new CsvDataLoader(federation).load(bank.csv()).dataset(),
            federation.evaluation().holdoutFraction(), federation.evaluation().holdoutSeed());
        LocalModel model = models.create(federation, federation.model().initSeed());
        localModels.add(model);
        TaskExecutor executor = new TaskExecutor(bank.memberId(), federation, split, model, null,
            pki == null ? null : SecAggKeySigner.load(pki.caCertificate(), pki.certificate(bank.memberId()),
                pki.key(bank.memberId()), Optional.empty()));
        executors.add(executor);
        ManagedChannel channel = (pki == null
            ? NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
            : NettyChannelBuilder.forAddress("localhost", port, MutualTls.channelCredentials(pki.caCertificate(),
                pki.certificate(bank.memberId()), pki.key(bank.memberId()), Optional.empty())))
            .intercept(gate).maxInboundMessageSize(64 << 20).build();
        channels.add(channel);
        AgentRunner runner = new AgentRunner(bank.memberId(), federation, channel, executor, Duration.ofMinutes(2));
        outcomes.add(agents.submit(runner::run));
      }
      CoordinatorProcess finisher = first;
      long toListening = -1;
      long toResumed = -1;
      if (point != null) {
        if (!gate.awaitHeld(120)) {
          throw new IllegalStateException("the run never reached " + point + "; coordinator output:\n"
              + first.output());
        }
        first.kill();
        long restarted = System.nanoTime();
        second = startCoordinator(plan, port, dir.resolve("second.log"));
        toListening = TimeUnit.NANOSECONDS.toMillis(second.await("coordinator listening", Duration.ofSeconds(60))
            - restarted);
        gate.release();
        // The round in flight has its banks again when it leaves SELECTING (tasks dispatched anew).
        String round = point == KillPoint.STATISTICS ? "0" : "2";
        toResumed = TimeUnit.NANOSECONDS.toMillis(second.await("round " + round
            + "( \\(attempt \\d+\\))? SELECTING -> (TRAINING|COLLECTING_STATISTICS)", Duration.ofMinutes(2))
            - restarted);
        finisher = second;
      }
      int exit = finisher.awaitExit(Duration.ofMinutes(4));
      if (exit != 0) {
        throw new IllegalStateException("the coordinator ended with exit code " + exit + ":\n" + finisher.output());
      }
      for (Future<?> outcome : outcomes) {
        outcome.get(60, TimeUnit.SECONDS);
      }
      long runMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      Matcher last = FINAL.matcher(finisher.output());
      if (!last.find()) {
        throw new IllegalStateException("no final version printed:\n" + finisher.output());
      }
      int trainings = executors.stream().mapToInt(TaskExecutor::trainingsRun).sum();
      return new Outcome(Long.parseLong(last.group(1)), last.group(2), trainings, first.output(),
          second == null ? "" : second.output(), toListening, toResumed, runMillis);
    } finally {
      gate.release();
      first.close();
      if (second != null) {
        second.close();
      }
      agents.shutdownNow();
      for (ManagedChannel channel : channels) {
        channel.shutdownNow();
      }
      for (LocalModel model : localModels) {
        model.close();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
