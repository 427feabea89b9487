package org.comity.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.comity.agent.cli.AgentMain;
import org.comity.agent.data.BankDataset;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.metrics.AgentMetrics;
import org.comity.agent.metrics.AgentMetricsEndpoint;
import org.comity.agent.metrics.Promtool;
import org.comity.agent.model.DpSgdSettings;
import org.comity.agent.model.PrivateEpochResult;
import org.comity.agent.runtime.AgentObserver;
import org.comity.agent.runtime.AgentOutcome;
import org.comity.agent.runtime.AgentRunner;
import org.comity.agent.runtime.TaskExecutor;
import org.comity.agent.runtime.TaskRecord;
import org.comity.agent.training.LocalModel;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.comity.proto.v1.EvaluateTask;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.Idle;
import org.comity.proto.v1.JoinRequest;
import org.comity.proto.v1.JoinResponse;
import org.comity.proto.v1.ModelWeights;
import org.comity.proto.v1.Normalization;
import org.comity.proto.v1.PollTaskRequest;
import org.comity.proto.v1.PollTaskResponse;
import org.comity.proto.v1.RunFinished;
import org.comity.proto.v1.StatsTask;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.SubmitResultResponse;
import org.comity.proto.v1.Task;
import org.comity.proto.v1.TrainTask;
import org.comity.wire.PackedFloats;
import org.comity.wire.ProtocolVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running agent (real runner and task executor, a stand-in model instead of TensorFlow) against a scripted
 * in-process coordinator: its status file, its {@code /metrics} and {@code /status}, and the {@code status} command.
 */
class AgentStatusEndToEndTest {
  private static final int PARAMETERS = 2 * 2 + 2 + 2 * 1 + 1;

  @TempDir
  Path dir;

  @Test
  void runningAgent_writesItsStatus_servesMetricsAndStatus_andTheStatusCommandShowsIt() throws Exception {
    // given: a coordinator that hands out statistics, training and evaluation tasks, then waits to end the run
    FederationPlan plan = PlanLoader.parse("""
        label: y
        features: [{name: a}, {name: b}]
        model: {hidden_units: [2]}
        """, "test");
    ScriptedCoordinator coordinator = new ScriptedCoordinator();
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor().addService(coordinator).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    StatusFile file = new StatusFile(dir.resolve("state/status.json"));
    HoldoutSplit split = HoldoutSplit.of(dataset(40), plan.evaluation().holdoutFraction(), 1);
    TaskExecutor executor = new TaskExecutor("bank-a", plan, split, new StandInModel());
    AgentStatusTracker tracker = new AgentStatusTracker("bank-a", "in-process:" + name,
        new AgentStatus.DataCheck(40, 0.25, 0), executor::samplePrivacy, file, Clock.systemUTC());
    AgentMetrics metrics = new AgentMetrics(executor::samplePrivacy);
    CountDownLatch threeTasksReported = new CountDownLatch(3);
    AgentObserver afterTheOthers = new AgentObserver() {
      @Override
      public void taskFinished(TaskRecord task) {
        threeTasksReported.countDown();
      }
    };
    AgentRunner runner = new AgentRunner("bank-a", plan, channel, executor, Duration.ofSeconds(5),
        AgentObserver.all(tracker, metrics, afterTheOthers));
    try (AgentMetricsEndpoint endpoint = AgentMetricsEndpoint.start(metrics,
        () -> StatusFile.toJson(tracker.current()), "127.0.0.1", 0)) {
      CompletableFuture<AgentOutcome> run = CompletableFuture.supplyAsync(() -> {
        try {
          return runner.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      coordinator.tasks.add(task(0, "t0", Task.newBuilder().setStats(StatsTask.getDefaultInstance())));
      coordinator.tasks.add(task(1, "t1", Task.newBuilder().setTrain(TrainTask.newBuilder()
          .setGlobalModel(zeros()).setNormalization(normalization()).setSeed(3))));
      coordinator.tasks.add(task(1, "t2", Task.newBuilder().setEvaluate(EvaluateTask.newBuilder()
          .setModel(zeros()).setNormalization(normalization()))));

      // when: the agent has done all three and is still in the run
      assertTrue(threeTasksReported.await(60, TimeUnit.SECONDS), "the agent did not finish its three tasks");

      // then: the status file says so
      AgentStatus running = file.read().orElseThrow();
      assertEquals(AgentStatus.State.CONNECTED, running.connection().state());
      assertEquals("run-e2e", running.connection().runId());
      assertEquals(3, running.recentTasks().size());
      AgentStatus.TaskEntry trained = running.recentTasks().get(1);
      assertEquals("train", trained.task());
      assertEquals("accepted", trained.outcome());
      assertEquals(split.training().rows(), trained.rows());
      assertEquals(0.25, trained.loss(), 1e-9);
      assertEquals("evaluate", running.recentTasks().get(2).task());
      assertEquals(split.holdout().rows(), running.recentTasks().get(2).rows());

      // and /metrics parses with promtool and counts the tasks
      String text = get(endpoint.port(), "/metrics");
      Promtool.assertParsesAndLintsClean(text);
      Map<String, Double> samples = samples(text);
      assertEquals(1.0, samples.get("comity_agent_tasks_total{kind=\"train\",outcome=\"accepted\"}"), text);
      assertEquals(1.0, samples.get("comity_agent_tasks_total{kind=\"statistics\",outcome=\"accepted\"}"), text);
      assertEquals(1.0, samples.get("comity_agent_tasks_total{kind=\"evaluate\",outcome=\"accepted\"}"), text);
      assertEquals(1.0, samples.get("comity_agent_training_duration_seconds_count"), text);
      assertEquals((double) split.training().rows(), samples.get("comity_agent_rows_trained_total"), text);
      assertEquals(1.0, samples.get("comity_agent_rounds_completed_total"), text);
      assertEquals(1.0, samples.get("comity_agent_last_round"), text);
      assertEquals(1.0, samples.get("comity_agent_connected"), text);

      // and /status serves the same document
      JsonNode served = new ObjectMapper().readTree(get(endpoint.port(), "/status"));
      assertEquals("bank-a", served.get("memberId").asText());
      assertEquals("CONNECTED", served.get("connection").get("state").asText());
      assertEquals(3, served.get("recentTasks").size());

      // and the status command shows it to a person
      String[] shown = status("--status-file", file.path().toString());
      assertEquals("0", shown[0], shown[2]);
      assertTrue(shown[1].contains("agent bank-a: status written"), shown[1]);
      assertTrue(shown[1].contains("connection: CONNECTED since"), shown[1]);
      assertTrue(shown[1].contains("data check: 40 rows, positive rate 25.000%, 0 problem(s)"), shown[1]);
      assertTrue(shown[1].matches("(?s).*\\n\\s+1\\s+train\\s+accepted\\s+" + split.training().rows() + "\\s.*"),
          shown[1]);

      // when the coordinator ends the run
      coordinator.tasks.add(PollTaskResponse.newBuilder()
          .setFinished(RunFinished.newBuilder().setReason("all 1 rounds done")).build());
      run.get(60, TimeUnit.SECONDS);
      // then
      AgentStatus finished = file.read().orElseThrow();
      assertEquals(AgentStatus.State.FINISHED, finished.connection().state());
      assertEquals("all 1 rounds done", finished.connection().detail());
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void statusCommand_withoutAStatusFile_exits2AndSaysNoAgentWroteThere() {
    String[] shown = status("--status-file", dir.resolve("none/status.json").toString());
    assertEquals("2", shown[0]);
    assertTrue(shown[2].contains("no agent has written status at"), shown[2]);
    assertTrue(shown[2].contains("none/status.json"), shown[2]);
  }

  @Test
  void statusCommand_json_printsTheDocumentAsWritten() throws Exception {
    StatusFile file = new StatusFile(dir.resolve("status.json"));
    new AgentStatusTracker("bank-b", "coord:7443", new AgentStatus.DataCheck(10, 0.1, 0),
        java.util.Optional::empty, file, Clock.systemUTC()).connecting();
    String[] shown = status("status", "--status-file", file.path().toString(), "--json");
    assertEquals("0", shown[0], shown[2]);
    JsonNode json = new ObjectMapper().readTree(shown[1]);
    assertEquals("bank-b", json.get("memberId").asText());
    assertEquals("CONNECTING", json.get("connection").get("state").asText());
  }

  /** Runs {@code comity-agent status ARGS}; returns exit code, stdout, stderr. */
  private static String[] status(String... args) {
    String[] full = args.length > 0 && args[0].equals("status") ? args : prepend("status", args);
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = AgentMain.execute(full);
      return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d%s".formatted(port, path))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path);
    return response.body();
  }

  private static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return samples;
  }

  private static PollTaskResponse task(int round, String id, Task.Builder task) {
    return PollTaskResponse.newBuilder().setTask(task.setTaskId(id).setRunId("run-e2e").setRound(round)
        .setDeadlineUnixMs(System.currentTimeMillis() + 60_000)).build();
  }

  private static ModelWeights zeros() {
    return ModelWeights.newBuilder().setVersion(0).setParameterCount(PARAMETERS)
        .setPackedFloat32Le(PackedFloats.pack(new float[PARAMETERS])).build();
  }

  private static Normalization normalization() {
    return Normalization.newBuilder().addMean(0).addMean(0).addStd(1).addStd(1).setPositiveRate(0.25).build();
  }

  /** {@code rows} rows of two features, every fourth one positive. */
  private static BankDataset dataset(int rows) {
    float[] features = new float[rows * 2];
    float[] labels = new float[rows];
    for (int i = 0; i < rows; i++) {
      features[2 * i] = i;
      features[2 * i + 1] = -i;
      labels[i] = i % 4 == 0 ? 1f : 0f;
    }
    return new BankDataset(features, labels, rows, 2);
  }

  /** A coordinator whose polls park until the test queues a response (as the real long poll does). */
  private static final class ScriptedCoordinator extends FederationGrpc.FederationImplBase {
    final BlockingQueue<PollTaskResponse> tasks = new LinkedBlockingQueue<>();

    @Override
    public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
      response.onNext(JoinResponse.newBuilder().setSessionId("s-1").setRunId("run-e2e")
          .setProtocol(ProtocolVersions.current()).setPollTimeoutMs(1000).build());
      response.onCompleted();
    }

    @Override
    public void pollTask(PollTaskRequest request, StreamObserver<PollTaskResponse> response) {
      try {
        PollTaskResponse next = tasks.poll(1, TimeUnit.SECONDS);
        response.onNext(next != null ? next : PollTaskResponse.newBuilder().setIdle(Idle.getDefaultInstance()).build());
        response.onCompleted();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.onError(io.grpc.Status.CANCELLED.asRuntimeException());
      }
    }

    @Override
    public void submitResult(SubmitResultRequest request, StreamObserver<SubmitResultResponse> response) {
      response.onNext(SubmitResultResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  /** A model with the plan's parameter count that "trains" by nudging its weights; no TensorFlow. */
  private static final class StandInModel implements LocalModel {
    private float[] weights = new float[PARAMETERS];

    @Override
    public void setWeights(float[] newWeights) {
      weights = newWeights.clone();
    }

    @Override
    public float[] weights() {
      return weights.clone();
    }

    @Override
    public void resetOptimizerState() {}

    @Override
    public double trainEpoch(float[] features, float[] labels, int rows, float positiveClassWeight, long seed) {
      for (int i = 0; i < weights.length; i++) {
        weights[i] += 0.01f;
      }
      return 0.25;
    }

    @Override
    public PrivateEpochResult trainEpochPrivately(float[] features, float[] labels, int rows, float weight,
        DpSgdSettings settings) {
      throw new UnsupportedOperationException("this plan does not train with DP-SGD");
    }

    @Override
    public float[] predictProbabilities(float[] features, int rows) {
      return new float[rows];
    }

    @Override
    public String deviceDescription() {
      return "stand-in";
    }

    @Override
    public void close() {}
  }
}
