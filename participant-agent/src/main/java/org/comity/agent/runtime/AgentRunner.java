package org.comity.agent.runtime;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.JoinRequest;
import org.comity.proto.v1.JoinResponse;
import org.comity.proto.v1.LeaveRequest;
import org.comity.proto.v1.PollTaskRequest;
import org.comity.proto.v1.PollTaskResponse;
import org.comity.proto.v1.SubmitResultRequest;
import org.comity.proto.v1.Task;
import org.comity.wire.ProtocolVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank's side of the federation: dials out to the coordinator, joins the run, long-polls for tasks and
 * submits results. Polling continues on its own thread while a task runs, so the coordinator sees the bank
 * alive during long training; tasks run one at a time on the caller's thread.
 *
 * <p>Every call has a deadline. A coordinator that is briefly unreachable is retried with backoff; one that
 * refuses the bank (other protocol version, other plan, wrong identity) ends the agent with the coordinator's
 * reason.
 */
public final class AgentRunner {
  private static final Logger log = LoggerFactory.getLogger(AgentRunner.class);
  private static final Duration JOIN_DEADLINE = Duration.ofSeconds(15);
  private static final Duration SUBMIT_DEADLINE = Duration.ofSeconds(60);
  private static final Duration LEAVE_DEADLINE = Duration.ofSeconds(5);
  private static final Task STOP = Task.newBuilder().setTaskId("<stop>").build();

  private final String memberId;
  private final String planHash;
  private final ManagedChannel channel;
  private final TaskExecutor executor;
  private final Duration reconnectPatience;
  private final AgentObserver observer;
  private final FederationGrpc.FederationBlockingStub stub;
  private final BlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
  private final AtomicReference<String> session = new AtomicReference<>();
  private final AtomicReference<String> finishReason = new AtomicReference<>();
  private final AtomicReference<AgentException> fatal = new AtomicReference<>();
  private volatile Duration pollTimeout = Duration.ofSeconds(10);
  private volatile String runId = "";
  private volatile boolean stopped;
  private Thread poller;

  /**
   * @param reconnectPatience how long the agent keeps retrying an unreachable coordinator before giving up
   */
  public AgentRunner(String memberId, FederationPlan plan, ManagedChannel channel, TaskExecutor executor,
      Duration reconnectPatience) {
    this(memberId, plan, channel, executor, reconnectPatience, AgentObserver.NONE);
  }

  /**
   * @param reconnectPatience how long the agent keeps retrying an unreachable coordinator before giving up
   * @param observer told of connection changes and of every finished task (the bank's status file and metrics)
   */
  public AgentRunner(String memberId, FederationPlan plan, ManagedChannel channel, TaskExecutor executor,
      Duration reconnectPatience, AgentObserver observer) {
    this.observer = java.util.Objects.requireNonNull(observer, "observer");
    this.memberId = memberId;
    this.planHash = PlanHash.of(plan);
    this.channel = channel;
    this.executor = executor;
    this.reconnectPatience = reconnectPatience;
    this.stub = FederationGrpc.newBlockingStub(channel);
  }

  /** Takes part in the run until it finishes; returns how it ended. */
  public AgentOutcome run() throws AgentException, InterruptedException {
    try {
      AgentOutcome outcome = participate();
      if (finishReason.get() != null) {
        // Without a finish reason the agent left or crashed, and leave() or crash() already said so.
        observer.finished(finishReason.get());
      }
      return outcome;
    } catch (AgentException e) {
      // Stopped for good: a later leave() (the shutdown hook) must not overwrite why.
      stopped = true;
      observer.stopped(e.getMessage());
      throw e;
    }
  }

  private AgentOutcome participate() throws AgentException, InterruptedException {
    join();
    poller = new Thread(this::pollLoop, "agent-poller-" + memberId);
    poller.setDaemon(true);
    poller.start();
    int completed = 0;
    int rejected = 0;
    try {
      while (true) {
        Task task = tasks.take();
        if (task == STOP) {
          break;
        }
        SubmitResultRequest result = executor.execute(task);
        if (result == null) {
          report(task, TaskRecord.Outcome.NOTHING_TO_SEND);
          continue;
        }
        if (submit(task, result)) {
          completed++;
          report(task, result.hasDeclined() ? TaskRecord.Outcome.DECLINED : TaskRecord.Outcome.ACCEPTED);
        } else {
          rejected++;
          report(task, TaskRecord.Outcome.REJECTED);
        }
      }
    } finally {
      stopped = true;
      poller.interrupt();
    }
    if (fatal.get() != null) {
      throw fatal.get();
    }
    return new AgentOutcome(finishReason.get(), completed, rejected);
  }

  /** Tells the observer what the task did; the executor's record of it is read on this (the task) thread. */
  private void report(Task task, TaskRecord.Outcome outcome) {
    TaskExecutor.Work work = executor.lastWork();
    observer.taskFinished(new TaskRecord(task.getRound(), kind(task), outcome, work.rows(), work.trainingMillis(),
        work.loss()));
  }

  /** A short, fixed label of the task's kind (a metric label: it must not grow with input). */
  static String kind(Task task) {
    return switch (task.getKindCase()) {
      case STATS -> "statistics";
      case TRAIN -> "train";
      case EVALUATE -> "evaluate";
      case SECAGG -> "secagg_" + task.getSecagg().getStageCase().name().toLowerCase();
      default -> "unknown";
    };
  }

  /** Leaves the run politely (the coordinator counts the bank as a dropout at once). */
  public void leave(String reason) {
    if (stopped) {
      return;
    }
    observer.stopped("left the run: " + reason);
    String current = session.get();
    stopped = true;
    if (current != null) {
      try {
        stub.withDeadlineAfter(LEAVE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .leave(LeaveRequest.newBuilder().setSessionId(current).setReason(reason).build());
      } catch (StatusRuntimeException e) {
        log.warn("leave not acknowledged: {}", e.getStatus());
      }
    }
    tasks.add(STOP);
  }

  /** Stops abruptly, as a crash would: no goodbye, the connection just drops. */
  public void crash() {
    stopped = true;
    observer.stopped("stopped abruptly");
    channel.shutdownNow();
    if (poller != null) {
      poller.interrupt();
    }
    tasks.add(STOP);
  }

  private void join() throws AgentException, InterruptedException {
    Instant giveUp = Instant.now().plus(reconnectPatience);
    Duration backoff = Duration.ofMillis(200);
    observer.connecting();
    while (true) {
      try {
        JoinResponse response = stub.withDeadlineAfter(JOIN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .join(JoinRequest.newBuilder()
                .setProtocol(ProtocolVersions.current())
                .setMemberId(memberId)
                .setPlanHash(planHash)
                .setAgentVersion("comity-agent/" + ProtocolVersions.MAJOR + "." + ProtocolVersions.MINOR)
                .build());
        String incompatibility = ProtocolVersions.incompatibility(response.getProtocol());
        if (incompatibility != null) {
          throw new AgentException("coordinator answered with " + incompatibility);
        }
        session.set(response.getSessionId());
        runId = response.getRunId();
        observer.connected(runId);
        pollTimeout = Duration.ofMillis(Math.max(1000, response.getPollTimeoutMs()));
        log.info("member {} joined run {} (protocol {})", memberId, response.getRunId(),
            ProtocolVersions.describe(response.getProtocol()));
        return;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNIMPLEMENTED) {
          throw new AgentException("the coordinator does not speak protocol comity.v%d: %s"
              .formatted(ProtocolVersions.MAJOR, e.getStatus().getDescription()));
        }
        if (!isTransient(code)) {
          throw new AgentException("the coordinator refused to let %s join: %s: %s"
              .formatted(memberId, code, e.getStatus().getDescription()));
        }
        if (stopped || Instant.now().isAfter(giveUp)) {
          throw new AgentException("the coordinator is unreachable (%s: %s); gave up after %s"
              .formatted(code, e.getStatus().getDescription(), reconnectPatience));
        }
        observer.unreachable(describe(e.getStatus()));
        log.info("coordinator not reachable yet ({}); retrying in {} ms", code, backoff.toMillis());
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
      }
    }
  }

  private void pollLoop() {
    Duration backoff = Duration.ofMillis(200);
    Instant unreachableSince = null;
    while (!stopped) {
      try {
        PollTaskResponse response = stub
            .withDeadlineAfter(pollTimeout.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS)
            .pollTask(PollTaskRequest.newBuilder().setSessionId(session.get()).build());
        if (unreachableSince != null) {
          observer.connected(runId);
        }
        unreachableSince = null;
        backoff = Duration.ofMillis(200);
        switch (response.getKindCase()) {
          case TASK -> tasks.add(response.getTask());
          case FINISHED -> {
            finishReason.set(response.getFinished().getReason());
            log.info("run finished: {}", response.getFinished().getReason());
            tasks.add(STOP);
            return;
          }
          default -> { }
        }
      } catch (StatusRuntimeException e) {
        if (stopped) {
          return;
        }
        Status.Code code = e.getStatus().getCode();
        try {
          if (code == Status.Code.UNAUTHENTICATED) {
            log.info("session no longer valid ({}); joining again", e.getStatus().getDescription());
            join();
            continue;
          }
          if (!isTransient(code)) {
            fail(new AgentException("polling refused: %s: %s".formatted(code, e.getStatus().getDescription())));
            return;
          }
          if (unreachableSince == null) {
            unreachableSince = Instant.now();
            observer.unreachable(describe(e.getStatus()));
          } else if (Instant.now().isAfter(unreachableSince.plus(reconnectPatience))) {
            fail(new AgentException("the coordinator has been unreachable for " + reconnectPatience));
            return;
          }
          Thread.sleep(backoff.toMillis());
          backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
        } catch (AgentException joinFailure) {
          fail(joinFailure);
          return;
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private boolean submit(Task task, SubmitResultRequest result) throws InterruptedException {
    Instant deadline = Instant.ofEpochMilli(task.getDeadlineUnixMs());
    while (!stopped) {
      try {
        stub.withDeadlineAfter(SUBMIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .submitResult(result.toBuilder().setSessionId(session.get()).build());
        return true;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAUTHENTICATED) {
          try {
            join();
            continue;
          } catch (AgentException joinFailure) {
            fail(joinFailure);
            return false;
          }
        }
        if (isTransient(code) && Instant.now().isBefore(deadline)) {
          Thread.sleep(500);
          continue;
        }
        log.warn("result of task {} not accepted: {}: {}", task.getTaskId(), code, e.getStatus().getDescription());
        return false;
      }
    }
    return false;
  }

  private void fail(AgentException e) {
    fatal.compareAndSet(null, e);
    tasks.add(STOP);
  }

  private static String describe(Status status) {
    return status.getDescription() == null ? status.getCode().toString()
        : status.getCode() + ": " + status.getDescription();
  }

  private static boolean isTransient(Status.Code code) {
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.ABORTED;
  }
}
