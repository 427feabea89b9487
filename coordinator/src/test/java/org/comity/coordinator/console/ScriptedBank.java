package org.comity.coordinator.console;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.InsecureChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.comity.aggregation.metrics.ScoreHistogram;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
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

/**
 * A bank that speaks the real gRPC protocol with scripted answers (no TensorFlow): statistics of 100 rows, a small
 * constant update, and an evaluation whose positive score rises with the round, so the metrics differ per round.
 * It sends one malformed result first, so the coordinator has a rejection to count.
 */
final class ScriptedBank implements Runnable {
  private final String memberId;
  private final FederationPlan plan;
  private final int port;
  private final boolean sendOneMalformed;
  private final double sampleEpsilonPerRound;

  ScriptedBank(String memberId, FederationPlan plan, int port, boolean sendOneMalformed) {
    this(memberId, plan, port, sendOneMalformed, 0);
  }

  /** @param sampleEpsilonPerRound the DP-SGD epsilon the bank reports as spent after each round (0: none) */
  ScriptedBank(String memberId, FederationPlan plan, int port, boolean sendOneMalformed, double sampleEpsilonPerRound) {
    this.memberId = memberId;
    this.plan = plan;
    this.port = port;
    this.sendOneMalformed = sendOneMalformed;
    this.sampleEpsilonPerRound = sampleEpsilonPerRound;
  }

  @Override
  public void run() {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port, InsecureChannelCredentials.create())
        .build();
    try {
      FederationGrpc.FederationBlockingStub stub = FederationGrpc.newBlockingStub(channel);
      String session = stub.withDeadlineAfter(10, TimeUnit.SECONDS).join(JoinRequest.newBuilder()
          .setProtocol(ProtocolVersions.current()).setMemberId(memberId).setPlanHash(PlanHash.of(plan)).build())
          .getSessionId();
      boolean malformedSent = !sendOneMalformed;
      while (true) {
        PollTaskResponse response = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
            .pollTask(PollTaskRequest.newBuilder().setSessionId(session).build());
        if (response.hasFinished()) {
          return;
        }
        if (!response.hasTask()) {
          continue;
        }
        Task task = response.getTask();
        SubmitResultRequest.Builder result = SubmitResultRequest.newBuilder().setSessionId(session)
            .setTaskId(task.getTaskId()).setRound(task.getRound());
        if (!malformedSent) {
          malformedSent = true;
          try {
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitResult(result.build());
          } catch (StatusRuntimeException expected) {
            // refused as INVALID_ARGUMENT and counted as "no_result": that is the point
          }
        }
        if (task.hasStats()) {
          result.setStats(stats());
        } else if (task.hasTrain()) {
          float[] delta = new float[plan.modelLayout().parameterCount()];
          java.util.Arrays.fill(delta, 0.01f);
          result.setTrain(TrainResult.newBuilder().setDeltaPackedFloat32Le(PackedFloats.pack(delta))
              .setSampleCount(100).setTrainLoss(0.7 / task.getRound()).setTrainingMillis(2)
              .setSampleEpsilonSpent(sampleEpsilonPerRound * task.getRound()));
        } else if (task.hasEvaluate()) {
          result.setEvaluate(evaluation(task.getRound()));
        } else {
          throw new IllegalStateException("scripted bank got an unexpected task " + task.getKindCase());
        }
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitResult(result.build());
      }
    } finally {
      channel.shutdownNow();
    }
  }

  private StatsResult stats() {
    StatsResult.Builder stats = StatsResult.newBuilder().setRows(100).setPositives(10);
    for (int i = 0; i < plan.inputWidth(); i++) {
      stats.addFeatures(FeatureMoments.newBuilder().setCount(100).setSum(50).setSumOfSquares(200));
    }
    return stats.build();
  }

  private static EvaluateResult evaluation(int round) {
    ScoreHistogram histogram = new ScoreHistogram();
    double positiveScore = Math.min(0.95, 0.5 + 0.1 * round);
    histogram.add(positiveScore, true);
    histogram.add(0.55, false);
    histogram.add(0.2, false);
    EvaluateResult.Builder result = EvaluateResult.newBuilder();
    for (long count : histogram.positiveCounts()) {
      result.addPositiveBins(count);
    }
    for (long count : histogram.negativeCounts()) {
      result.addNegativeBins(count);
    }
    return result.setTruePositives(1).setFalsePositives(1).setTrueNegatives(1).setLossSum(1.5).build();
  }
}
