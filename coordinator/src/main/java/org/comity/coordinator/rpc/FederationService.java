package org.comity.coordinator.rpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.regex.Pattern;
import org.comity.coordinator.members.MemberRegistry;
import org.comity.coordinator.round.ResultRejectedException;
import org.comity.coordinator.round.RoundEngine;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.JoinRequest;
import org.comity.proto.v1.JoinResponse;
import org.comity.proto.v1.LeaveRequest;
import org.comity.proto.v1.LeaveResponse;
import org.comity.proto.v1.PollTaskRequest;
import org.comity.proto.v1.PollTaskResponse;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.SubmitResultResponse;
import org.comity.wire.ProtocolVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's gRPC endpoint. It checks what can be checked without the round's state (versions, plan
 * hash, identity, sessions) and hands results to the {@link RoundEngine}; every refusal is a status with a
 * description the agent can show, and nothing a client sends can stop the service.
 */
public final class FederationService extends FederationGrpc.FederationImplBase {
  private static final Logger log = LoggerFactory.getLogger(FederationService.class);
  /** Member ids: what certificates and file names can carry safely. */
  public static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** Sustained calls per second a member may make, and its burst. */
  public static final double CALLS_PER_SECOND = 20;
  public static final double CALL_BURST = 60;

  private final RoundEngine engine;
  private final MemberRegistry members;
  private final MemberRateLimiter rateLimiter;

  public FederationService(RoundEngine engine, MemberRegistry members) {
    this(engine, members, new MemberRateLimiter(CALLS_PER_SECOND, CALL_BURST, System::nanoTime));
  }

  /** A service with the given per-member rate limit. */
  public FederationService(RoundEngine engine, MemberRegistry members, MemberRateLimiter rateLimiter) {
    this.engine = engine;
    this.members = members;
    this.rateLimiter = rateLimiter;
  }

  /** Refuses the call when {@code member} is over its rate; returns whether the call may go on. */
  private boolean withinRate(String member, StreamObserver<?> response) {
    if (rateLimiter.tryAcquire(member)) {
      return true;
    }
    reject(response, Status.RESOURCE_EXHAUSTED.withDescription(
        "member %s exceeds %.0f calls per second; slow down".formatted(member, CALLS_PER_SECOND)), "rate_limited");
    return false;
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
    String incompatibility = ProtocolVersions.incompatibility(request.getProtocol());
    if (incompatibility != null) {
      reject(response, Status.FAILED_PRECONDITION.withDescription("coordinator: " + incompatibility), "version");
      return;
    }
    String claimed = request.getMemberId();
    if (!MEMBER_ID.matcher(claimed).matches()) {
      reject(response, Status.INVALID_ARGUMENT.withDescription(
          "member id must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit"),
          "bad_member_id");
      return;
    }
    String authenticated = MemberIdentity.CURRENT.get();
    if (!withinRate(authenticated != null ? authenticated : claimed, response)) {
      return;
    }
    if (authenticated != null && !authenticated.equals(claimed)) {
      reject(response, Status.PERMISSION_DENIED.withDescription(
          "the request claims member id '%s' but the client certificate is for '%s'".formatted(claimed, authenticated)),
          "identity_mismatch");
      return;
    }
    if (!engine.planHash().equals(request.getPlanHash())) {
      reject(response, Status.FAILED_PRECONDITION.withDescription(
          "plan mismatch: the agent's plan hash is %s, the coordinator runs plan %s; get the operator's current plan"
              .formatted(abbreviate(request.getPlanHash()), engine.planHash())), "plan_mismatch");
      return;
    }
    String session;
    try {
      session = members.join(claimed, MemberIdentity.CERTIFICATE.get());
    } catch (IllegalStateException e) {
      reject(response, Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()), "too_many_members");
      return;
    }
    response.onNext(JoinResponse.newBuilder()
        .setSessionId(session)
        .setRunId(engine.runId())
        .setProtocol(ProtocolVersions.current())
        .setPollTimeoutMs((int) members.pollTimeout().toMillis())
        .build());
    response.onCompleted();
  }

  @Override
  public void pollTask(PollTaskRequest request, StreamObserver<PollTaskResponse> response) {
    String session = request.getSessionId();
    var member = members.memberOf(session);
    if (member.isPresent() && !withinRate(member.get(), response)) {
      return;
    }
    if (response instanceof ServerCallStreamObserver<PollTaskResponse> call) {
      call.setOnCancelHandler(() -> members.pollCancelled(session, response));
    }
    if (!members.poll(session, response)) {
      reject(response, Status.UNAUTHENTICATED.withDescription("unknown or replaced session; join again"), "bad_session");
    }
  }

  @Override
  public void submitResult(SubmitResultRequest request, StreamObserver<SubmitResultResponse> response) {
    var member = members.memberOf(request.getSessionId());
    if (member.isEmpty()) {
      reject(response, Status.UNAUTHENTICATED.withDescription("unknown or replaced session; join again"), "bad_session");
      return;
    }
    if (!withinRate(member.get(), response)) {
      return;
    }
    try {
      engine.acceptResult(member.get(), request);
      response.onNext(SubmitResultResponse.getDefaultInstance());
      response.onCompleted();
    } catch (ResultRejectedException e) {
      Status status = e.kind() == ResultRejectedException.Kind.INVALID_ARGUMENT
          ? Status.INVALID_ARGUMENT : Status.FAILED_PRECONDITION;
      response.onError(status.withDescription(e.getMessage()).asRuntimeException());
    } catch (RuntimeException e) {
      // A bug must not take the service down; the member sees INTERNAL and the operator the stack trace.
      log.error("internal error on a result from {}", member.get(), e);
      response.onError(Status.INTERNAL.withDescription("internal error in the coordinator; see its log").asRuntimeException());
    }
  }

  @Override
  public void leave(LeaveRequest request, StreamObserver<LeaveResponse> response) {
    var member = members.memberOf(request.getSessionId());
    if (member.isEmpty()) {
      reject(response, Status.UNAUTHENTICATED.withDescription("unknown or replaced session"), "bad_session");
      return;
    }
    members.leave(request.getSessionId());
    engine.memberLost(member.get(), "left: " + abbreviate(request.getReason()));
    response.onNext(LeaveResponse.getDefaultInstance());
    response.onCompleted();
  }

  private static void reject(StreamObserver<?> response, Status status, String reasonCode) {
    log.warn("rejected call ({}): {}", reasonCode, status.getDescription());
    response.onError(status.asRuntimeException());
  }

  private static String abbreviate(String text) {
    String clean = text == null ? "" : text.replaceAll("[^\\x20-\\x7E]", "?");
    return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
  }

  /** The authenticated member id of the current call, set by a transport-security interceptor (mutual TLS). */
  public static final class MemberIdentity {
    /** {@code null} without mutual TLS. */
    public static final Context.Key<String> CURRENT = Context.key("comity-member-id");
    /** The client certificate the member id came from; {@code null} without mutual TLS. */
    public static final Context.Key<java.security.cert.X509Certificate> CERTIFICATE =
        Context.key("comity-member-certificate");

    private MemberIdentity() {}
  }
}
