package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The CUBIC token bucket against values computed by hand from the AWS pseudo-code. */
class AdaptiveRateStrategyTest {

  private static final long MS = 1_000_000L;
  private static final RateLimitHeaders NONE = RateLimitHeaders.EMPTY;

  @Test
  void disabledUntilTheFirstThrottleThenPacedByTheBucket() {
    AdaptiveRateStrategy s = AdaptiveRateStrategy.create();
    // two successes in the first 0.5 s bucket: no delay, nothing measured yet
    for (long t : new long[] {0, 250 * MS}) {
      ThrottleStrategy.Call c = s.newCall(t);
      assertEquals(0, c.delayNanos(t));
      assertFalse(c.onResponse(200, NONE, t));
    }
    assertFalse(s.enabled());
    assertEquals(0.5, s.fillRate(), 1e-12); // min fill rate

    // a 429 at t = 1 s: 3 requests over 2 buckets -> measured 0.8 * 3 = 2.4 rps; rate = 0.7 * 2.4
    ThrottleStrategy.Call c = s.newCall(1000 * MS);
    assertEquals(0, c.delayNanos(1000 * MS));
    assertTrue(c.onResponse(429, NONE, 1000 * MS));
    assertTrue(s.enabled());
    assertEquals(2.4, s.measuredRate(), 1e-12);
    assertEquals(1.68, s.fillRate(), 1e-12);
    // bucket holds 0.125 + 0.75 * 0.5 = 0.5 tokens: wait 0.5 / 1.68 s
    assertEquals(Math.round(0.5 / 1.68 * 1e9), c.delayNanos(1000 * MS), 1.0);
    // the next attempt queues behind it: 1.5 tokens short
    ThrottleStrategy.Call d = s.newCall(1000 * MS);
    assertEquals(Math.round(1.5 / 1.68 * 1e9), d.delayNanos(1000 * MS), 1.0);

    // a success at t = 2 s: cubic regrowth 0.4 * (1 - K)^3 + 2.4 with K = cbrt(2.4 * 0.3 / 0.4)
    assertFalse(d.onResponse(200, NONE, 2000 * MS));
    double k = Math.cbrt(1.8);
    double cubic = 0.4 * Math.pow(1 - k, 3) + 2.4;
    assertEquals(0.8 * 1 + 0.2 * 2.4, s.measuredRate(), 1e-12);
    assertEquals(Math.min(cubic, 2 * s.measuredRate()), s.fillRate(), 1e-12);
  }

  @Test
  void repeatedThrottlesFloorAtTheMinimumFillRate() {
    AdaptiveRateStrategy s = AdaptiveRateStrategy.create();
    long t = 0;
    for (int i = 0; i < 200; i++) {
      ThrottleStrategy.Call c = s.newCall(t);
      long d = c.delayNanos(t);
      assertTrue(d >= 0 && d <= RateLimitHeaders.MAX_DELAY_NANOS);
      t += d;
      assertTrue(c.onResponse(429, NONE, t));
      assertTrue(s.fillRate() >= 0.5);
    }
    assertEquals(0.5, s.fillRate(), 1e-9);
    // at 0.5 rps and no credit the wait for one token is 2 s at most
    ThrottleStrategy.Call c = s.newCall(t);
    assertTrue(c.delayNanos(t) <= 2000 * MS + 1);
  }

  @Test
  void builderValidates() {
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().beta(1));
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().smoothing(0));
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().minFillRate(-1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AdaptiveRateStrategy.builder().scaleConstant(Double.NaN));
    assertTrue(e.getMessage().contains("scaleConstant"));
  }
}
