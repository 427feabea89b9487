package org.comity.coordinator.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.comity.coordinator.server.CoordinatorOptions;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.JoinRequest;
import org.comity.proto.v1.JoinResponse;
import org.comity.proto.v1.PollTaskRequest;
import org.comity.proto.v1.PollTaskResponse;
import org.comity.proto.v1.ProtocolVersion;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.TrainResult;
import org.comity.wire.ProtocolVersions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator's gRPC surface over a real loopback socket: bad input gets a clear status and changes nothing. */
class FederationServiceTest {
  private CoordinatorServer server;
  private ManagedChannel channel;
  private FederationGrpc.FederationBlockingStub stub;
  private String planHash;

  @BeforeEach
  void start() throws Exception {
    FederationPlan plan = PlanLoader.parse("""
        label: y
        features: [{name: a}]
        model: {hidden_units: [2]}
        rounds: {count: 1, min_quorum: 1, min_members_to_start: 1}
        """, "test");
    planHash = PlanHash.of(plan);
    server = CoordinatorServer.start(plan, CoordinatorOptions.defaults().withPort(0)
        .withPolling(Duration.ofMillis(300), Duration.ofSeconds(2)).withMaxMessageBytes(256 * 1024),
        CoordinatorServer.plaintext(), Clock.systemUTC());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create()).build();
    stub = FederationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private JoinRequest.Builder join(String member) {
    return JoinRequest.newBuilder().setProtocol(ProtocolVersions.current()).setMemberId(member).setPlanHash(planHash);
  }

  @Test
  void otherProtocolVersion_isFailedPrecondition_naming_bothVersions() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.join(join("bank-a")
        .setProtocol(ProtocolVersion.newBuilder().setMajor(2).setMinor(0)).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("protocol version 2.0 is not supported; this side speaks 1.0"),
        e.getStatus().getDescription());
  }

  @Test
  void otherPlan_isFailedPrecondition_withTheCoordinatorsHash() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub.join(join("bank-a").setPlanHash("ab".repeat(32)).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("plan mismatch"), e.getStatus().getDescription());
    assertTrue(e.getStatus().getDescription().contains(planHash), e.getStatus().getDescription());
  }

  @Test
  void badMemberId_isInvalidArgument() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.join(join("../etc/passwd").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }

  @Test
  void unknownSession_isUnauthenticated() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub.pollTask(PollTaskRequest.newBuilder().setSessionId("forged").build()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }

  @Test
  void garbageBytes_andOversizeMessages_areRefused_andTheServerKeepsServing() {
    // given: a client that sends bytes that are not a JoinRequest
    MethodDescriptor<byte[], byte[]> raw = FederationGrpc.getJoinMethod().toBuilder(new RawBytes(), new RawBytes()).build();
    byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x01};
    StatusRuntimeException parse = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
        channel, raw, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), garbage));
    // gRPC-Java parses before any application code runs and answers UNKNOWN; what matters is that only this
    // call fails.
    assertEquals(Status.Code.UNKNOWN, parse.getStatus().getCode(), parse.getStatus().toString());
    // and a message above the size limit
    StatusRuntimeException size = assertThrows(StatusRuntimeException.class, () -> stub.submitResult(
        SubmitResultRequest.newBuilder().setSessionId("x").setTrain(TrainResult.newBuilder()
            .setDeltaPackedFloat32Le(com.google.protobuf.ByteString.copyFrom(new byte[300 * 1024]))).build()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, size.getStatus().getCode());
    // then: a well-formed member still joins and gets its statistics task
    JoinResponse joined = stub.join(join("bank-a").build());
    PollTaskResponse task = stub.pollTask(PollTaskRequest.newBuilder().setSessionId(joined.getSessionId()).build());
    assertTrue(task.hasTask() && task.getTask().hasStats(), task.toString());
  }

  @Test
  void aMemberOverItsCallRate_isRefusedWithResourceExhausted_whileOthersAreServed() {
    Status.Code refused = null;
    for (int call = 0; call < 500 && refused == null; call++) {
      try {
        stub.join(join("bank-a").build());
      } catch (StatusRuntimeException e) {
        refused = e.getStatus().getCode();
      }
    }
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused);
    assertTrue(!stub.join(join("bank-b").build()).getSessionId().isEmpty(), "another member is still served");
  }

  @Test
  void submitWithoutResult_isInvalidArgument_andCounted() {
    JoinResponse joined = stub.join(join("bank-a").build());
    PollTaskResponse task = stub.pollTask(PollTaskRequest.newBuilder().setSessionId(joined.getSessionId()).build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.submitResult(
        SubmitResultRequest.newBuilder().setSessionId(joined.getSessionId()).setTaskId(task.getTask().getTaskId())
            .setRound(0).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals(1L, server.engine().rejections().get("no_result"));
  }

  /** Passes bytes through unparsed, to send what a broken or hostile client would. */
  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
