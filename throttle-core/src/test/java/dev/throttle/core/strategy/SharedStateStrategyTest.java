package dev.throttle.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.headers.RateLimitHeaders;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The shared-state SPI's in-process implementation and the wrapper strategy. */
class SharedStateStrategyTest {

  /** A strategy that never waits and never retries: isolates the shared layer. */
  private static final ThrottleStrategy NO_WAIT = now -> new ThrottleStrategy.Call() {
    @Override
    public long delayNanos(long n) {
      return 0;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long n) {
      return false;
    }
  };

  /**
   * The fleet's slots are never before the not-before instant and at least the interval apart, whatever the callers'
   * arrival times; a caller waits for the later of the fleet's slot and its own delay, and its own longer delay
   * does not move the fleet's schedule (one cautious process does not hold the others back).
   */
  @Property(tries = 300)
  void slotsRespectDelayNotBeforeAndInterval(@ForAll @Size(min = 1, max = 40) List<@LongRange(max = 50_000) Long> gaps,
      @ForAll @LongRange(max = 20_000) long interval, @ForAll @LongRange(max = 100_000) long holdOff,
      @ForAll @LongRange(max = 5_000) long rtt) {
    InProcessSharedThrottleState s = InProcessSharedThrottleState.withRoundTrip(rtt);
    long now = 1_000;
    s.learn(now, holdOff, interval);
    long notBefore = now + rtt / 2 + holdOff;
    Long fleet = null;
    for (long gap : gaps) {
      now += gap;
      long minDelay = gap % 7_000;
      long expectedFleet = Math.max(now + rtt, holdOff == 0 ? now : notBefore);
      if (fleet != null) {
        expectedFleet = Math.max(expectedFleet, fleet + interval);
      }
      long slot = now + s.reserveSlot(now, minDelay);
      assertEquals(Math.max(expectedFleet, now + minDelay), slot);
      assertTrue(slot >= now + minDelay && slot >= now + rtt);
      assertTrue(holdOff == 0 || slot >= notBefore);
      fleet = expectedFleet;
    }
  }

  @Test
  void twoProcessesShareOneScheduleAndOneNotBefore() {
    InProcessSharedThrottleState state = InProcessSharedThrottleState.create();
    ThrottleStrategy a = SharedStateStrategy.wrap(NO_WAIT, state);
    ThrottleStrategy b = SharedStateStrategy.wrap(NO_WAIT, state);
    // process a learns the rate from the policy header: 10 per second -> 100 ms apart
    RateLimitHeaders policy = RateLimitHeaders.builder().limit(10).windowNanos(1_000_000_000L).remaining(5).build();
    ThrottleStrategy.Call c = a.newCall(0);
    assertEquals(0, c.delayNanos(0));
    c.onResponse(200, policy, 0);
    assertEquals(100_000_000L, state.intervalNanos());
    // b's sends are spaced after a's
    assertEquals(100_000_000L, b.newCall(0).delayNanos(0));
    assertEquals(200_000_000L, a.newCall(0).delayNanos(0));
    // a 429 with Retry-After 5 s seen by b holds a off too
    ThrottleStrategy.Call cb = b.newCall(0);
    cb.delayNanos(0);
    cb.onResponse(429, RateLimitHeaders.builder().retryAfterNanos(5_000_000_000L).build(), 0);
    assertTrue(a.newCall(0).delayNanos(0) >= 5_000_000_000L);
  }

  @Test
  void wholeQuotaResetIsReadAsTimeToTheFirstUnit() {
    InProcessSharedThrottleState state = InProcessSharedThrottleState.create();
    ThrottleStrategy a = SharedStateStrategy.wrap(NO_WAIT, state);
    ThrottleStrategy.Call c = a.newCall(0);
    c.delayNanos(0);
    // r=0, t=3600 s under 4500 per hour: the first unit is back after 0.8 s
    c.onResponse(200, RateLimitHeaders.builder().remaining(0).resetNanos(3_600_000_000_000L).limit(4500)
        .windowNanos(3_600_000_000_000L).build(), 0);
    long d = a.newCall(0).delayNanos(0);
    assertTrue(d >= 800_000_000L - 1 && d < 2_000_000_000L, "delay " + d);
  }

  /** The wrapper forwards the re-check: a Retry-After met by one call holds a call that reserved its slot earlier. */
  @Test
  void forwardsTheInnerReCheck() {
    ThrottleStrategy s = SharedStateStrategy.wrap(RetryAfterFloorStrategy.builder(NO_WAIT).recheck(true).build(),
        InProcessSharedThrottleState.create());
    ThrottleStrategy.Call a = s.newCall(0);
    assertEquals(0, a.delayNanos(0));
    assertEquals(0, a.recheckNanos(0));
    ThrottleStrategy.Call b = s.newCall(0);
    b.delayNanos(0);
    b.onResponse(429, RateLimitHeaders.builder().retryAfterNanos(5_000_000_000L).build(), 1_000);
    // learned after a's delay was handed out: a moves back by the whole floor (keeps its spacing), never earlier
    assertEquals(5_000_000_000L, a.recheckNanos(1_000));
    assertEquals(5_000_000_000L, a.recheckNanos(4_000_001_000L));
    assertEquals(0, a.recheckNanos(5_000_001_000L));
    // a delay handed out after the floor was learned already respects it; its re-check is the floor instant
    ThrottleStrategy.Call c = s.newCall(2_000_001_000L);
    assertEquals(3_000_000_000L, c.delayNanos(2_000_001_000L));
    assertEquals(1_000_000_000L, c.recheckNanos(4_000_001_000L));
    // without recheck(true) (the default's set-up) only the wrapped call's own re-check is forwarded: none here
    ThrottleStrategy plain = RetryAfterFloorStrategy.wrap(NO_WAIT);
    ThrottleStrategy.Call d = plain.newCall(0);
    d.delayNanos(0);
    plain.newCall(0).onResponse(429, RateLimitHeaders.builder().retryAfterNanos(5_000_000_000L).build(), 1_000);
    assertEquals(0, d.recheckNanos(1_000));
  }
}
