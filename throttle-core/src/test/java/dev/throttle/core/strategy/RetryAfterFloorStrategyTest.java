package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetryAfterFloorStrategyTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private static RetryAfterFloorStrategy floorOverBackoff() {
    return RetryAfterFloorStrategy.wrap(ExponentialBackoffStrategy.builder().random(new FixedRandom(0.5)).build());
  }

  private static RateLimitHeaders retryAfter(long nanos) {
    return RateLimitHeaders.builder().retryAfterNanos(nanos).build();
  }

  @Test
  void retryWaitsAtLeastRetryAfterAndLaterCallsToo() {
    RetryAfterFloorStrategy s = floorOverBackoff();
    ThrottleStrategy.Call c = s.newCall(0);
    assertEquals(0, c.delayNanos(0));
    assertTrue(c.onResponse(429, retryAfter(5 * S), 100 * MS));
    assertEquals(5 * S, c.delayNanos(100 * MS));          // max(0.84 s, 5 s)
    // another call starting 1 s later waits for the same instant
    ThrottleStrategy.Call other = s.newCall(1100 * MS);
    assertEquals(4 * S, other.delayNanos(1100 * MS));
    assertEquals(4 * S, s.floorDelayNanos(1100 * MS));
  }

  @Test
  void innerDelayWinsWhenLonger() {
    RetryAfterFloorStrategy s = floorOverBackoff();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertTrue(c.onResponse(429, retryAfter(100 * MS), 0));
    assertEquals(840 * MS, c.delayNanos(0));
  }

  @Test
  void retryAfterOn503IsAFloorButOnSuccessItIsIgnored() {
    RetryAfterFloorStrategy s = floorOverBackoff();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertFalse(c.onResponse(200, retryAfter(9 * S), 0));
    assertEquals(0, s.floorDelayNanos(0));
    ThrottleStrategy.Call d = s.newCall(0);
    d.delayNanos(0);
    assertTrue(d.onResponse(503, retryAfter(3 * S), 0));
    assertEquals(3 * S, d.delayNanos(0));
  }

  @Test
  void exhaustedGcraQuotaFloorsAtTheNextUnit() {
    // GCRA 4500/h drained: r=0, t = time to full = 3600 s -> next unit in 3600 - 4499 * 0.8 = 0.8 s
    RateLimitHeaders drained = RateLimitHeaders.builder().remaining(0).resetNanos(3600 * S).limit(4500)
        .windowNanos(3600 * S).build();
    assertEquals(800 * MS, RetryAfterFloorStrategy.floorFromResponse(200, drained));
    RetryAfterFloorStrategy s = floorOverBackoff();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertFalse(c.onResponse(200, drained, 0));
    assertEquals(500 * MS, s.newCall(300 * MS).delayNanos(300 * MS));
  }

  @Test
  void exhaustedQuotaWithoutPolicyFloorsAtReset() {
    RateLimitHeaders info = RateLimitHeaders.builder().remaining(0).resetNanos(30 * S).build();
    assertEquals(30 * S, RetryAfterFloorStrategy.floorFromResponse(429, info));
    // fixed window 100/min, 30 s left: t < (q - 1) w / q, so t is the reset itself
    RateLimitHeaders fixed = RateLimitHeaders.builder().remaining(0).resetNanos(30 * S).limit(100)
        .windowNanos(60 * S).build();
    assertEquals(30 * S, RetryAfterFloorStrategy.floorFromResponse(429, fixed));
    // this project's writer under GCRA: t is the time to the next unit, rounded up to a second
    RateLimitHeaders nextUnit = RateLimitHeaders.builder().remaining(0).resetNanos(S).limit(4500)
        .windowNanos(3600 * S).build();
    assertEquals(S, RetryAfterFloorStrategy.floorFromResponse(200, nextUnit));
    // remaining > 0 or no reset: no floor
    assertEquals(-1, RetryAfterFloorStrategy.floorFromResponse(200,
        RateLimitHeaders.builder().remaining(3).resetNanos(30 * S).build()));
    assertEquals(-1, RetryAfterFloorStrategy.floorFromResponse(429, RateLimitHeaders.builder().remaining(0).build()));
  }

  @Test
  void laterSuccessWithQuotaClearsTheFloor() {
    RetryAfterFloorStrategy s = floorOverBackoff();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    c.onResponse(429, retryAfter(60 * S), 0);
    assertEquals(60 * S, s.floorDelayNanos(0));
    ThrottleStrategy.Call d = s.newCall(0);
    d.delayNanos(0);
    assertFalse(d.onResponse(200, RateLimitHeaders.builder().remaining(10).build(), 1 * MS));
    assertEquals(0, s.floorDelayNanos(1 * MS));
  }

  @Test
  void floorOnlyMovesLater() {
    RetryAfterFloorStrategy s = floorOverBackoff();
    s.newCall(0).onResponse(429, retryAfter(10 * S), 0);
    s.newCall(0).onResponse(429, retryAfter(2 * S), 1 * S);
    assertEquals(10 * S, s.floorDelayNanos(0));
  }

  @Test
  void worksAcrossClockWrapAround() {
    RetryAfterFloorStrategy s = floorOverBackoff();
    long now = Long.MAX_VALUE - S;
    ThrottleStrategy.Call c = s.newCall(now);
    c.delayNanos(now);
    c.onResponse(429, retryAfter(5 * S), now);
    assertEquals(4 * S, s.floorDelayNanos(now + S)); // now + S is still < MAX; floor wrapped past it
    assertEquals(1 * S, s.floorDelayNanos(now + 4 * S)); // wrapped reading
  }

  @Test
  void spreadAddsAboveTheFloorNeverBelow() {
    RetryAfterFloorStrategy s = RetryAfterFloorStrategy.builder(JitteredBackoffStrategy.of(
        JitteredBackoffStrategy.Jitter.FULL)).spread(0.1).random(new FixedRandom(0.5)).build();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    c.onResponse(429, retryAfter(10 * S), 0);
    assertEquals(10_500 * MS, c.delayNanos(0));
    assertThrows(IllegalArgumentException.class, () -> RetryAfterFloorStrategy.builder(s).spread(2));
    assertThrows(NullPointerException.class, () -> RetryAfterFloorStrategy.wrap(null));
  }
}
