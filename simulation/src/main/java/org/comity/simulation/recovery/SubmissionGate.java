package org.comity.simulation.recovery;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.SubmitResultRequest;

/**
 * Holds back the first bank result that matches, so that the coordinator is known to be waiting in that stage
 * while it is killed; released, the result goes on to whichever coordinator is then listening.
 */
public final class SubmissionGate implements ClientInterceptor {
  private final Predicate<SubmitResultRequest> match;
  private final AtomicBoolean armed = new AtomicBoolean(true);
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  public SubmissionGate(Predicate<SubmitResultRequest> match) {
    this.match = match;
  }

  /** Waits until a matching result is held. */
  public boolean awaitHeld(long seconds) throws InterruptedException {
    return reached.await(seconds, TimeUnit.SECONDS);
  }

  public void release() {
    released.countDown();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions, Channel next) {
    ClientCall<ReqT, RespT> call = next.newCall(method, callOptions);
    if (!method.getFullMethodName().equals(FederationGrpc.getSubmitResultMethod().getFullMethodName())) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void sendMessage(ReqT message) {
        if (match.test((SubmitResultRequest) message) && armed.compareAndSet(true, false)) {
          reached.countDown();
          try {
            released.await(3, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        super.sendMessage(message);
      }
    };
  }
}
