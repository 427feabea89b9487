package org.comity.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.comity.aggregation.metrics.ScoreHistogram;
import org.comity.coordinator.round.RunOutcome;
import org.comity.coordinator.server.CoordinatorOptions;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;
import org.comity.proto.v1.EvaluateResult;
import org.comity.proto.v1.FeatureMoments;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.JoinRequest;
import org.comity.proto.v1.PollTaskRequest;
import org.comity.proto.v1.PollTaskResponse;
import org.comity.proto.v1.StatsResult;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.Task;
import org.comity.proto.v1.TrainResult;
import org.comity.wire.PackedFloats;
import org.comity.wire.ProtocolVersions;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's Prometheus scrape after a small real run over loopback gRPC: one scripted bank (no TensorFlow)
 * answers the statistics, training and evaluation tasks, and sends one malformed update on the way.
 *
 * <p>Parser: {@code promtool check metrics} (see {@link Promtool} for why), which both parses the text format
 * and lints the names; the values are then read from the sample lines.
 */
class CoordinatorMetricsScrapeTest {
  private static final String PLAN = """
      label: y
      features: [{name: a}, {name: b}]
      model: {hidden_units: [2]}
      rounds: {count: 1, min_quorum: 1, min_members_to_start: 1, deadline: 60s, evaluation_deadline: 60s}
      """;
  private static final int PARAMETERS = 2 * 2 + 2 + 2 * 1 + 1;

  @Test
  void scrapeAfterARun_parsesWithPromtool_andCarriesEveryOperatorMetric() throws Exception {
    // given: a coordinator and one bank that completes a one-round run, with one rejected update
    FederationPlan plan = PlanLoader.parse(PLAN, "test");
    try (CoordinatorServer server = CoordinatorServer.start(plan, CoordinatorOptions.defaults().withPort(0)
            .withPolling(Duration.ofMillis(500), Duration.ofSeconds(5)), CoordinatorServer.plaintext(), Clock.systemUTC());
         MetricsEndpoint endpoint = MetricsEndpoint.start(server.metrics(), "127.0.0.1", 0)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port(),
          InsecureChannelCredentials.create()).build();
      try {
        runOneBank(channel, PlanHash.of(plan));
        RunOutcome outcome = server.runFinished().get(60, TimeUnit.SECONDS);
        assertTrue(outcome.completed(), outcome.toString());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      // when
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:%d/metrics".formatted(endpoint.port()))).build(),
          HttpResponse.BodyHandlers.ofString());

      // then: promtool parses it and finds nothing to lint
      assertEquals(200, response.statusCode());
      String text = response.body();
      Promtool.assertParsesAndLintsClean(text);
      Map<String, Double> samples = samples(text);
      assertEquals(1.0, samples.get("comity_round_duration_seconds_count{kind=\"training\",outcome=\"committed\"}"), text);
      assertEquals(1.0, samples.get("comity_round_duration_seconds_count{kind=\"statistics\",outcome=\"committed\"}"), text);
      for (String stage : new String[] {"selecting", "collecting_statistics", "training", "aggregating", "evaluating"}) {
        assertTrue(samples.containsKey("comity_stage_duration_seconds_count{stage=\"%s\"}".formatted(stage)),
            stage + " missing in\n" + text);
      }
      assertTrue(samples.containsKey("comity_connected_members"), text);
      assertEquals(1.0, samples.get("comity_updates_accepted_total"), text);
      assertEquals(1.0, samples.get("comity_results_rejected_total{reason=\"zero_samples\"}"), text);
      assertTrue(samples.get("comity_federation_received_bytes_total{method=\"SubmitResult\"}") > PARAMETERS * 4, text);
      assertTrue(samples.get("comity_federation_sent_bytes_total{method=\"PollTask\"}") > PARAMETERS * 4, text);
      assertTrue(samples.get("comity_federation_received_bytes_total{method=\"Join\"}") > 0, text);
      assertEquals(0.0, samples.get("comity_privacy_epsilon_spent"), "no bank-level DP in this plan");
      assertEquals(0.75, samples.get("comity_privacy_sample_epsilon_reported{member=\"bank-a\"}"), text);
      assertEquals(1.0, samples.get("comity_model_version"), text);
    }
  }

  /** Plays one well-behaved bank through the run, except for one update with no samples. */
  private static void runOneBank(ManagedChannel channel, String planHash) {
    var stub = FederationGrpc.newBlockingStub(channel);
    String session = stub.withDeadlineAfter(10, TimeUnit.SECONDS).join(JoinRequest.newBuilder()
        .setProtocol(ProtocolVersions.current()).setMemberId("bank-a").setPlanHash(planHash).build()).getSessionId();
    // Each poll parks up to the poll timeout (500 ms); a run that has not finished in 200 polls is broken.
    for (int poll = 0; poll < 200; poll++) {
      PollTaskResponse polled = stub.withDeadlineAfter(20, TimeUnit.SECONDS)
          .pollTask(PollTaskRequest.newBuilder().setSessionId(session).build());
      if (polled.hasFinished()) {
        return;
      }
      if (!polled.hasTask()) {
        continue;
      }
      Task task = polled.getTask();
      SubmitResultRequest.Builder result = SubmitResultRequest.newBuilder().setSessionId(session)
          .setTaskId(task.getTaskId()).setRound(task.getRound());
      switch (task.getKindCase()) {
        case STATS -> result.setStats(StatsResult.newBuilder().setRows(100).setPositives(10)
            .addFeatures(FeatureMoments.newBuilder().setCount(100).setSum(100).setSumOfSquares(200))
            .addFeatures(FeatureMoments.newBuilder().setCount(100).setSum(0).setSumOfSquares(100)));
        case TRAIN -> {
          TrainResult.Builder update = TrainResult.newBuilder()
              .setDeltaPackedFloat32Le(PackedFloats.pack(new float[PARAMETERS])).setTrainLoss(0.5)
              .setTrainingMillis(3).setSampleEpsilonSpent(0.75);
          var rejected = result.clone().setTrain(update.clone().setSampleCount(0)).build();
          assertThrows(StatusRuntimeException.class,
              () -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitResult(rejected));
          result.setTrain(update.setSampleCount(100));
        }
        case EVALUATE -> result.setEvaluate(evaluation());
        default -> throw new AssertionError("unexpected task " + task.getKindCase());
      }
      stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitResult(result.build());
    }
    throw new AssertionError("the run did not finish after 200 polls");
  }

  private static EvaluateResult evaluation() {
    ScoreHistogram histogram = new ScoreHistogram();
    histogram.add(0.9, true);
    histogram.add(0.1, false);
    EvaluateResult.Builder result = EvaluateResult.newBuilder().setTruePositives(1).setTrueNegatives(1).setLossSum(1.0);
    for (long count : histogram.positiveCounts()) {
      result.addPositiveBins(count);
    }
    for (long count : histogram.negativeCounts()) {
      result.addNegativeBins(count);
    }
    return result.build();
  }

  /** Sample lines by name and labels (promtool has already checked their syntax). */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }
}
