package org.comity.coordinator.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per member: each member may make {@code burst} calls at once and {@code perSecond} calls a second
 * on average. A well-behaved agent makes a few calls per round; a runaway or hostile one is refused with
 * RESOURCE_EXHAUSTED before its calls reach the round engine. Thread-safe.
 */
public final class MemberRateLimiter {
  /** Most members whose buckets are kept; beyond it the oldest are dropped (a bounded map, not a leak). */
  private static final int MAX_TRACKED = 20_000;

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new HashMap<>();

  /**
   * @param perSecond sustained calls per second per member
   * @param burst calls a member may make at once
   * @param nanoTime the clock (System::nanoTime in production; a fake in tests)
   */
  public MemberRateLimiter(double perSecond, double burst, LongSupplier nanoTime) {
    if (!(perSecond > 0) || !(burst >= 1)) {
      throw new IllegalArgumentException("need perSecond > 0 and burst >= 1, got %s and %s".formatted(perSecond, burst));
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** Takes one token for {@code member}; false when its bucket is empty. */
  public synchronized boolean tryAcquire(String member) {
    long now = nanoTime.getAsLong();
    if (buckets.size() >= MAX_TRACKED && !buckets.containsKey(member)) {
      buckets.clear();
    }
    Bucket bucket = buckets.computeIfAbsent(member, m -> new Bucket(burst, now));
    double elapsedSeconds = Math.max(0, (now - bucket.lastRefill) / 1e9);
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * perSecond);
    bucket.lastRefill = now;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  /** One member's tokens and when they were last refilled. */
  private static final class Bucket {
    double tokens;
    long lastRefill;

    Bucket(double tokens, long lastRefill) {
      this.tokens = tokens;
      this.lastRefill = lastRefill;
    }
  }
}
