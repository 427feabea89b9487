package org.comity.coordinator.members;

import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.comity.coordinator.round.MemberDirectory;
import org.comity.coordinator.round.TaskDispatcher;
import org.comity.proto.v1.Idle;
import org.comity.proto.v1.PollTaskResponse;
import org.comity.proto.v1.RunFinished;
import org.comity.proto.v1.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members in session with this coordinator: their session tokens, liveness, task mailboxes and parked long
 * polls.
 *
 * <p>A member is connected while it has a poll parked here or polled within the liveness timeout; the agent
 * keeps polling while it trains, so a member that stops polling (killed, network cut) is seen as disconnected
 * after at most the liveness timeout and drops out of the round in flight.
 */
public final class MemberRegistry implements MemberDirectory, TaskDispatcher {
  private static final Logger log = LoggerFactory.getLogger(MemberRegistry.class);

  private final Clock clock;
  private final Duration pollTimeout;
  private final Duration livenessTimeout;
  private final ScheduledExecutorService scheduler;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Member> byId = new TreeMap<>();
  private final Map<String, Member> bySession = new HashMap<>();
  private String finishedReason;

  /**
   * @param pollTimeout longest a poll is held before answering Idle
   * @param livenessTimeout how long after its last poll a member still counts as connected
   * @param scheduler runs the poll timeouts
   */
  public MemberRegistry(Clock clock, Duration pollTimeout, Duration livenessTimeout, ScheduledExecutorService scheduler) {
    if (livenessTimeout.compareTo(pollTimeout) <= 0) {
      throw new IllegalArgumentException("liveness timeout %s must exceed the poll timeout %s"
          .formatted(livenessTimeout, pollTimeout));
    }
    this.clock = clock;
    this.pollTimeout = pollTimeout;
    this.livenessTimeout = livenessTimeout;
    this.scheduler = scheduler;
  }

  public Duration pollTimeout() {
    return pollTimeout;
  }

  /** Most members in session at once: a bound on what unauthenticated joins can make the coordinator hold. */
  public static final int MAX_MEMBERS = 10_000;

  /**
   * Opens a session for {@code memberId}, replacing any earlier one; returns the new session token.
   *
   * @throws IllegalStateException when {@link #MAX_MEMBERS} other members are in session
   */
  public synchronized String join(String memberId) {
    return join(memberId, null);
  }

  /**
   * Opens a session for a member authenticated by {@code certificate} (or {@code null} without mutual TLS); the
   * certificate is kept so that a later revocation evicts the member at once.
   */
  public synchronized String join(String memberId, X509Certificate certificate) {
    if (!byId.containsKey(memberId) && byId.size() >= MAX_MEMBERS) {
      throw new IllegalStateException("the coordinator already has %d members in session".formatted(MAX_MEMBERS));
    }
    Member previous = byId.remove(memberId);
    if (previous != null) {
      bySession.remove(previous.sessionId);
      previous.answerParked(PollTaskResponse.newBuilder().setIdle(Idle.getDefaultInstance()).build());
      log.info("member {} re-joined; its previous session is closed", memberId);
    }
    byte[] token = new byte[16];
    random.nextBytes(token);
    Member member = new Member(memberId, HexFormat.of().formatHex(token), clock.instant(), certificate);
    if (previous != null) {
      // Tasks already queued for the member stay valid across a reconnect.
      member.mailbox.addAll(previous.mailbox);
    }
    byId.put(memberId, member);
    bySession.put(member.sessionId, member);
    log.info("member {} joined ({} in session)", memberId, byId.size());
    return member.sessionId;
  }

  /** The member id of a session, if the session is current. */
  public synchronized Optional<String> memberOf(String sessionId) {
    Member member = bySession.get(sessionId);
    return member == null ? Optional.empty() : Optional.of(member.id);
  }

  /** Ends a member's session. */
  public synchronized void leave(String sessionId) {
    Member member = bySession.remove(sessionId);
    if (member != null) {
      byId.remove(member.id);
      member.answerParked(PollTaskResponse.newBuilder()
          .setFinished(RunFinished.newBuilder().setReason("left the run")).build());
      log.info("member {} left", member.id);
    }
  }

  /**
   * Answers a poll: at once with the next queued task (or RunFinished), else parks it until a task arrives or the
   * poll timeout passes.
   *
   * @return false if the session is unknown
   */
  public synchronized boolean poll(String sessionId, StreamObserver<PollTaskResponse> observer) {
    Member member = bySession.get(sessionId);
    if (member == null) {
      return false;
    }
    member.lastSeen = clock.instant();
    member.answerParked(PollTaskResponse.newBuilder().setIdle(Idle.getDefaultInstance()).build());
    if (finishedReason != null && member.mailbox.isEmpty()) {
      respond(observer, PollTaskResponse.newBuilder()
          .setFinished(RunFinished.newBuilder().setReason(finishedReason)).build());
      return true;
    }
    Task next = member.nextTask(clock.instant());
    if (next != null) {
      respond(observer, PollTaskResponse.newBuilder().setTask(next).build());
      return true;
    }
    member.parked = observer;
    member.parkedTimeout = scheduler.schedule(() -> expire(member, observer), pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  /**
   * Ends the sessions of members whose certificate is now revoked: a parked poll is answered PERMISSION_DENIED, and
   * any later call of the session is refused.
   *
   * @return the evicted member ids, for the round engine to drop from the round in flight
   */
  public synchronized List<String> evictRevoked(Predicate<X509Certificate> revoked) {
    List<String> evicted = new ArrayList<>();
    for (Member member : List.copyOf(byId.values())) {
      if (member.certificate != null && revoked.test(member.certificate)) {
        byId.remove(member.id);
        bySession.remove(member.sessionId);
        StreamObserver<PollTaskResponse> parked = member.parked;
        member.clearParked();
        if (parked != null) {
          try {
            parked.onError(io.grpc.Status.PERMISSION_DENIED
                .withDescription("member %s was revoked".formatted(member.id)).asRuntimeException());
          } catch (RuntimeException e) {
            log.debug("revocation notice not delivered: {}", e.toString());
          }
        }
        evicted.add(member.id);
        log.warn("member {} revoked: its session is closed", member.id);
      }
    }
    return evicted;
  }

  /** A parked poll's call was cancelled by the client (disconnect); the member stays until liveness expires. */
  public synchronized void pollCancelled(String sessionId, StreamObserver<PollTaskResponse> observer) {
    Member member = bySession.get(sessionId);
    if (member != null && member.parked == observer) {
      member.clearParked();
    }
  }

  private synchronized void expire(Member member, StreamObserver<PollTaskResponse> observer) {
    if (member.parked == observer) {
      member.lastSeen = clock.instant();
      member.answerParked(PollTaskResponse.newBuilder().setIdle(Idle.getDefaultInstance()).build());
    }
  }

  @Override
  public synchronized List<String> connectedMembers() {
    List<String> connected = new ArrayList<>();
    for (Member member : byId.values()) {
      if (isLive(member)) {
        connected.add(member.id);
      }
    }
    return connected;
  }

  @Override
  public synchronized boolean isConnected(String memberId) {
    Member member = byId.get(memberId);
    return member != null && isLive(member);
  }

  private boolean isLive(Member member) {
    return member.parked != null || Duration.between(member.lastSeen, clock.instant()).compareTo(livenessTimeout) < 0;
  }

  /** Snapshot of members for status displays: id to last-seen time. */
  public synchronized Map<String, Instant> lastSeen() {
    Map<String, Instant> view = new TreeMap<>();
    byId.values().forEach(m -> view.put(m.id, m.lastSeen));
    return view;
  }

  @Override
  public synchronized void dispatch(String memberId, Task task) {
    Member member = byId.get(memberId);
    if (member == null) {
      log.warn("task {} not delivered: member {} has no session", task.getTaskId(), memberId);
      return;
    }
    member.mailbox.add(task);
    if (member.parked != null) {
      Task next = member.nextTask(clock.instant());
      if (next != null) {
        member.answerParked(PollTaskResponse.newBuilder().setTask(next).build());
      }
    }
  }

  @Override
  public synchronized void withdrawRound(int round) {
    for (Member member : byId.values()) {
      // Abort notices of secure aggregation stay: they let a bank drop its protocol state at once.
      member.mailbox.removeIf(task -> task.getRound() == round && !(task.hasSecagg() && task.getSecagg().hasAborted()));
    }
  }

  @Override
  public synchronized void finishRun(String reason) {
    finishedReason = reason;
    for (Member member : byId.values()) {
      if (member.mailbox.isEmpty()) {
        member.answerParked(PollTaskResponse.newBuilder()
            .setFinished(RunFinished.newBuilder().setReason(reason)).build());
      }
    }
  }

  private static void respond(StreamObserver<PollTaskResponse> observer, PollTaskResponse response) {
    try {
      observer.onNext(response);
      observer.onCompleted();
    } catch (RuntimeException e) {
      // The call was cancelled concurrently; nothing to deliver to.
      log.debug("poll answer not delivered: {}", e.toString());
    }
  }

  /** One member's session. Guarded by the registry's lock. */
  private static final class Member {
    final String id;
    final String sessionId;
    Instant lastSeen;
    final Deque<Task> mailbox = new ArrayDeque<>();
    StreamObserver<PollTaskResponse> parked;
    ScheduledFuture<?> parkedTimeout;
    final X509Certificate certificate;

    Member(String id, String sessionId, Instant now, X509Certificate certificate) {
      this.id = id;
      this.sessionId = sessionId;
      this.lastSeen = now;
      this.certificate = certificate;
    }

    Task nextTask(Instant now) {
      while (!mailbox.isEmpty()) {
        Task task = mailbox.poll();
        if (task.getDeadlineUnixMs() > now.toEpochMilli()) {
          return task;
        }
      }
      return null;
    }

    void answerParked(PollTaskResponse response) {
      StreamObserver<PollTaskResponse> observer = parked;
      clearParked();
      if (observer != null) {
        respond(observer, response);
      }
    }

    void clearParked() {
      if (parkedTimeout != null) {
        parkedTimeout.cancel(false);
      }
      parked = null;
      parkedTimeout = null;
    }
  }
}
