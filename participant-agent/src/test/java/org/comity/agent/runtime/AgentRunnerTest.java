package org.comity.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.JoinRequest;
import org.comity.proto.v1.JoinResponse;
import org.junit.jupiter.api.Test;

/** The agent's side of refusals: it stops with the coordinator's reason instead of retrying forever. */
class AgentRunnerTest {
  private static FederationPlan plan() throws Exception {
    return PlanLoader.parse("label: y\nfeatures: [{name: a}]\n", "t");
  }

  @Test
  void coordinatorOfAnotherMajorVersion_isReportedAsSuch() throws Exception {
    // given: a server that does not have the comity.v1 service at all
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor().build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      AgentRunner runner = new AgentRunner("bank-a", plan(), channel, null, Duration.ofSeconds(5));
      AgentException e = assertThrows(AgentException.class, runner::run);
      assertTrue(e.getMessage().contains("does not speak protocol comity.v1"), e.getMessage());
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void refusedJoin_stopsWithTheCoordinatorsReason() throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor().addService(new FederationGrpc.FederationImplBase() {
      @Override
      public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
        response.onError(Status.FAILED_PRECONDITION.withDescription("plan mismatch: get the operator's plan").asRuntimeException());
      }
    }).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      AgentRunner runner = new AgentRunner("bank-a", plan(), channel, null, Duration.ofSeconds(5));
      AgentException e = assertThrows(AgentException.class, runner::run);
      assertTrue(e.getMessage().contains("FAILED_PRECONDITION: plan mismatch"), e.getMessage());
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void unreachableCoordinator_isReportedToTheObserver_andALaterLeaveDoesNotOverwriteWhyItStopped() throws Exception {
    // given
    ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", 1)
        .usePlaintext().build();
    List<String> events = new CopyOnWriteArrayList<>();
    AgentObserver recorder = new AgentObserver() {
      @Override
      public void connecting() {
        events.add("connecting");
      }

      @Override
      public void unreachable(String why) {
        events.add("unreachable");
      }

      @Override
      public void stopped(String reason) {
        events.add("stopped: " + reason);
      }
    };
    try {
      AgentRunner runner = new AgentRunner("bank-a", plan(), channel, null, Duration.ofMillis(500), recorder);
      // when: it gives up, then the shutdown hook asks it to leave
      assertThrows(AgentException.class, runner::run);
      runner.leave("agent shut down");
      // then
      // (whether "unreachable" comes before giving up depends on how long the first dial takes: not asserted)
      assertEquals("connecting", events.get(0));
      String last = events.get(events.size() - 1);
      assertTrue(last.startsWith("stopped: the coordinator is unreachable"), events.toString());
      assertEquals(1, events.stream().filter(e -> e.startsWith("stopped")).count(), events.toString());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void unreachableCoordinator_givesUpAfterItsPatience() throws Exception {
    ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", 1)
        .usePlaintext().build();
    try {
      AgentRunner runner = new AgentRunner("bank-a", plan(), channel, null, Duration.ofMillis(500));
      AgentException e = assertThrows(AgentException.class, runner::run);
      assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    } finally {
      channel.shutdownNow();
    }
  }
}
