package org.comity.simulation.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.runtime.AgentRunner;
import org.comity.agent.runtime.TaskExecutor;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.LocalModelFactory;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.plan.FederationPlan;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.simulation.run.ConsortiumPreparer;
import org.comity.simulation.run.PreparedConsortium;
import org.comity.simulation.run.SimulationConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kill matrix: the coordinator, a real separate process journaling to SQLite, is killed with SIGKILL while it
 * waits in each stage of a round (including each secure-aggregation stage), started again on the same database,
 * and the run ends with the same final model as an uninterrupted run with the same seed, every round committed
 * once and no bank training any round twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorKillMatrixTest {
  private static final Path GERMAN_TRAIN = Path.of("../docs/data/GermanCredit_train.csv");
  private static final Path GERMAN_TEST = Path.of("../docs/data/GermanCredit_test.csv");
  private static final LocalModelFactory TENSORFLOW =
      TensorFlowLocalModel.factory(DeviceSelection.cpu(), new SessionThreads(1, 1));
  private static final int ROUNDS = 2;
  private static final Pattern FINAL = Pattern.compile("latest version (\\d+) \\(sha256 ([0-9a-f]{64})\\)");

  /** Where the coordinator is killed: it is waiting for this (held) result of round 2 (0 for statistics). */
  enum KillPoint {
    STATISTICS(false, r -> r.hasStats()),
    TRAINING(false, r -> r.getRound() == 2 && r.hasTrain()),
    EVALUATION(false, r -> r.getRound() == 2 && r.hasEvaluate()),
    SECAGG_ADVERTISE_KEYS(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasAdvertiseKeys()),
    SECAGG_SHARE_KEYS(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasEncryptedShares()),
    SECAGG_MASKED_INPUT(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasMaskedInput()),
    SECAGG_UNMASKING(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasUnmaskResponse()),
    SECAGG_EVALUATION(true, r -> r.getRound() == 2 && r.hasEvaluate());

    final boolean secure;
    final Predicate<SubmitResultRequest> held;

    KillPoint(boolean secure, Predicate<SubmitResultRequest> held) {
      this.secure = secure;
      this.held = held;
    }
  }

  private Path root;
  private PreparedConsortium plain;
  private PreparedConsortium secure;
  private Outcome plainReference;
  private Outcome secureReference;

  @BeforeAll
  void uninterruptedRuns() throws Exception {
    root = Files.createTempDirectory("comity-kill-matrix");
    plain = prepare(root.resolve("plain"), 3, false);
    secure = prepare(root.resolve("secure"), 4, true);
    plainReference = run(plain, null, root.resolve("plain-reference"));
    secureReference = run(secure, null, root.resolve("secure-reference"));
    assertEquals(ROUNDS, plainReference.finalVersion());
    assertEquals(ROUNDS, secureReference.finalVersion());
  }

  @ParameterizedTest
  @EnumSource(KillPoint.class)
  void coordinatorKilledInAStage_restartsFromItsJournal_andEndsWithTheUninterruptedModel(KillPoint point)
      throws Exception {
    PreparedConsortium consortium = point.secure ? secure : plain;
    Outcome reference = point.secure ? secureReference : plainReference;
    Outcome killed = run(consortium, point, root.resolve("killed-" + point.name().toLowerCase()));
    assertEquals(reference.finalHash(), killed.finalHash(), "final model after the kill at " + point);
    assertEquals(ROUNDS, killed.finalVersion(), "every committed version is there, none twice");
    assertEquals(reference.trainings(), killed.trainings(), "no bank trained a round twice");
    assertTrue(killed.secondOutput().contains("resumed from its journal"), killed.secondOutput());
    for (int round = 1; round <= ROUNDS; round++) {
      int commits = count(killed.firstOutput() + killed.secondOutput(), "round " + round + " committed");
      assertEquals(1, commits, "round " + round + " committed once across both processes");
    }
  }

  private record Outcome(long finalVersion, String finalHash, int trainings, String firstOutput,
      String secondOutput) {}

  /** One run: agents in this JVM, the coordinator in its own process, killed at {@code point} (null: never). */
  private Outcome run(PreparedConsortium consortium, KillPoint point, Path dir) throws Exception {
    Files.createDirectories(dir);
    FederationPlan plan = consortium.plan();
    Path planFile = consortium.banks().get(0).csv().getParent().getParent().resolve("plan.yaml");
    int port = freePort();
    String database = "jdbc:sqlite:" + dir.resolve("coordinator.db");
    SubmissionGate gate = new SubmissionGate(point == null ? r -> false : point.held);
    ExecutorService agents = Executors.newFixedThreadPool(consortium.banks().size());
    List<ManagedChannel> channels = new ArrayList<>();
    List<TaskExecutor> executors = new ArrayList<>();
    List<LocalModel> models = new ArrayList<>();
    List<Future<?>> outcomes = new ArrayList<>();
    CoordinatorProcess first = CoordinatorProcess.start(planFile, port, database, dir.resolve("first.log"));
    CoordinatorProcess second = null;
    try {
      first.await("coordinator listening", Duration.ofSeconds(60));
      for (PreparedConsortium.BankFile bank : consortium.banks()) {
        HoldoutSplit split = HoldoutSplit.of(new CsvDataLoader(plan).load(bank.csv()).dataset(),
            plan.evaluation().holdoutFraction(), plan.evaluation().holdoutSeed());
        LocalModel model = TENSORFLOW.create(plan, plan.model().initSeed());
        models.add(model);
        TaskExecutor executor = new TaskExecutor(bank.memberId(), plan, split, model);
        executors.add(executor);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
            .intercept(gate).maxInboundMessageSize(64 << 20).build();
        channels.add(channel);
        AgentRunner runner = new AgentRunner(bank.memberId(), plan, channel, executor, Duration.ofMinutes(2));
        outcomes.add(agents.submit(runner::run));
      }
      CoordinatorProcess finisher = first;
      if (point != null) {
        assertTrue(gate.awaitHeld(120), "the run reached " + point + "; coordinator output:\n" + first.output());
        first.kill();
        second = CoordinatorProcess.start(planFile, port, database, dir.resolve("second.log"));
        second.await("coordinator listening", Duration.ofSeconds(60));
        gate.release();
        finisher = second;
      }
      assertEquals(0, finisher.awaitExit(Duration.ofMinutes(4)), finisher.output());
      for (Future<?> outcome : outcomes) {
        outcome.get(60, TimeUnit.SECONDS);
      }
      Matcher last = FINAL.matcher(finisher.output());
      assertTrue(last.find(), finisher.output());
      int trainings = executors.stream().mapToInt(TaskExecutor::trainingsRun).sum();
      return new Outcome(Long.parseLong(last.group(1)), last.group(2), trainings, first.output(),
          second == null ? "" : second.output());
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
      for (LocalModel model : models) {
        model.close();
      }
    }
  }

  private static PreparedConsortium prepare(Path out, int banks, boolean secure) throws Exception {
    Files.createDirectories(out);
    return ConsortiumPreparer.prepare(new SimulationConfig(null, banks, ROUNDS, 4, GERMAN_TRAIN, GERMAN_TEST, "label",
        "iid", out, 1, secure));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
