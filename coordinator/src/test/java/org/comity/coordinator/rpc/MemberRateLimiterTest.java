package org.comity.coordinator.rpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemberRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final MemberRateLimiter limiter = new MemberRateLimiter(2, 3, nanos::get);

  @Test
  void aBurstIsAllowed_thenTheMemberIsRefused_untilTokensRefill() {
    // given / when: 3 calls at once use the burst
    assertTrue(limiter.tryAcquire("bank-a"));
    assertTrue(limiter.tryAcquire("bank-a"));
    assertTrue(limiter.tryAcquire("bank-a"));
    // then
    assertFalse(limiter.tryAcquire("bank-a"));
    // when: half a second at 2 per second refills one token
    nanos.addAndGet(500_000_000L);
    assertTrue(limiter.tryAcquire("bank-a"));
    assertFalse(limiter.tryAcquire("bank-a"));
  }

  @Test
  void membersHaveTheirOwnBuckets() {
    for (int i = 0; i < 3; i++) {
      limiter.tryAcquire("bank-a");
    }
    assertFalse(limiter.tryAcquire("bank-a"));
    assertTrue(limiter.tryAcquire("bank-b"), "one member's flood does not limit another");
  }

  @Test
  void badSettings_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MemberRateLimiter(0, 3, System::nanoTime));
    assertThrows(IllegalArgumentException.class, () -> new MemberRateLimiter(1, 0.5, System::nanoTime));
  }
}
