package org.comity.coordinator.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.comity.coordinator.pki.ConsortiumCa;
import org.comity.proto.v1.PollTaskResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemberRegistryTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final MemberRegistry registry = new MemberRegistry(Clock.systemUTC(), Duration.ofSeconds(30),
      Duration.ofSeconds(60), scheduler);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void revokedMember_isEvictedAtOnce_itsParkedPollRefused_andOthersStay() {
    // given: two members in session, one with a parked poll
    X509Certificate revokedCertificate = ConsortiumCa.create("a", Duration.ofDays(1), Clock.systemUTC()).certificate();
    X509Certificate goodCertificate = ConsortiumCa.create("b", Duration.ofDays(1), Clock.systemUTC()).certificate();
    String revokedSession = registry.join("bank-a", revokedCertificate);
    String goodSession = registry.join("bank-b", goodCertificate);
    RecordingObserver parked = new RecordingObserver();
    registry.poll(revokedSession, parked);
    // when
    List<String> evicted = registry.evictRevoked(certificate -> certificate == revokedCertificate);
    // then
    assertEquals(List.of("bank-a"), evicted);
    assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(parked.errors.get(0)).getCode());
    assertTrue(registry.memberOf(revokedSession).isEmpty(), "its session is gone");
    assertFalse(registry.isConnected("bank-a"));
    assertEquals("bank-b", registry.memberOf(goodSession).orElseThrow());
    assertTrue(registry.evictRevoked(certificate -> certificate == revokedCertificate).isEmpty(), "evicted once");
  }

  @Test
  void membersWithoutCertificates_areNeverEvicted() {
    registry.join("bank-a");
    assertTrue(registry.evictRevoked(certificate -> true).isEmpty());
  }

  /** Records what a poll was answered. */
  private static final class RecordingObserver implements StreamObserver<PollTaskResponse> {
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void onNext(PollTaskResponse value) {}

    @Override
    public void onError(Throwable t) {
      errors.add(t);
    }

    @Override
    public void onCompleted() {}
  }
}
