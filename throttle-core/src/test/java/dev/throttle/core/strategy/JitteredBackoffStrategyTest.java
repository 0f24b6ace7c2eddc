package dev.throttle.core.strategy;

import dev.throttle.core.strategy.JitteredBackoffStrategy.Jitter;
import dev.throttle.core.headers.RateLimitHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JitteredBackoffStrategyTest {

  private static final long MS = 1_000_000L;
  private static final RateLimitHeaders NONE = RateLimitHeaders.EMPTY;

  private static long[] delays(Jitter jitter, int status, int retries, double... u) {
    JitteredBackoffStrategy s = JitteredBackoffStrategy.builder().jitter(jitter).random(new FixedRandom(u)).build();
    RateLimitHeaders info = status == 503 ? RateLimitHeaders.builder().retryAfterNanos(0).build() : NONE;
    ThrottleStrategy.Call c = s.newCall(0);
    long[] out = new long[retries + 1];
    out[0] = c.delayNanos(0);
    for (int i = 1; i <= retries; i++) {
      assertTrue(c.onResponse(status, info, 0));
      out[i] = c.delayNanos(0);
    }
    return out;
  }

  @Test
  void fullJitterDoublesFromThrottlingBaseUpToTheCap() {
    long[] d = delays(Jitter.FULL, 429, 7, 0.5);
    assertEquals(0, d[0]);
    long[] expected = {0, 500 * MS, 1000 * MS, 2000 * MS, 4000 * MS, 8000 * MS, 10_000 * MS, 10_000 * MS};
    for (int i = 0; i < d.length; i++) {
      assertEquals(expected[i], d[i], "retry " + i);
    }
  }

  @Test
  void fullJitterAfter503UsesTheNonThrottlingBase() {
    long[] d = delays(Jitter.FULL, 503, 3, 0.5);
    assertEquals(50 * MS, d[1]);
    assertEquals(100 * MS, d[2]);
    assertEquals(200 * MS, d[3]);
  }

  @Test
  void equalJitterKeepsHalfTheBackoff() {
    long[] d = delays(Jitter.EQUAL, 429, 3, 0.5, 0.0, 1.0 - 1e-12);
    assertEquals(750 * MS, d[1]);     // 0.5 + 0.5 * 0.5
    assertEquals(1000 * MS, d[2]);    // 1 + 1 * 0
    assertTrue(Math.abs(4000 * MS - d[3]) <= 1); // 2 + 2 * ~1
  }

  @Test
  void decorrelatedJitterDrawsBetweenBaseAndThreeTimesThePreviousDelay() {
    long[] d = delays(Jitter.DECORRELATED, 429, 6, 0.5);
    assertEquals(2000 * MS, d[1]);    // U[1, 3]
    assertEquals(3500 * MS, d[2]);    // U[1, 6]
    assertEquals(5750 * MS, d[3]);    // U[1, 10.5]
    assertEquals(9125 * MS, d[4]);    // U[1, 17.25]
    assertEquals(10_500 * MS, d[5]);  // U[1, 20]: the cap bounds the range
    assertEquals(10_500 * MS, d[6]);
  }

  @Test
  void jitterStillSpreadsCallersAtTheCap() {
    for (Jitter j : Jitter.values()) {
      JitteredBackoffStrategy s = JitteredBackoffStrategy.builder().jitter(j).seed(7).build();
      Set<Long> atCap = new HashSet<>();
      for (int n = 0; n < 50; n++) {
        ThrottleStrategy.Call c = s.newCall(0);
        c.delayNanos(0);
        long last = 0;
        for (int i = 0; i < 12; i++) { // 2^11 s >> 20 s: deep in the capped region
          c.onResponse(429, NONE, 0);
          last = c.delayNanos(0);
          assertTrue(last >= 0 && last <= s.maxDelayNanos());
        }
        atCap.add(last);
      }
      assertTrue(atCap.size() > 40, j + " collapsed: " + atCap.size() + " distinct delays");
      assertFalse(atCap.contains(s.maxDelayNanos()) && atCap.size() == 1);
    }
  }

  @Test
  void doesNotRetryOtherStatuses() {
    JitteredBackoffStrategy s = JitteredBackoffStrategy.of(Jitter.FULL);
    assertFalse(s.newCall(0).onResponse(200, NONE, 0));
    assertFalse(s.newCall(0).onResponse(503, NONE, 0));
    assertFalse(s.newCall(0).onResponse(500, NONE, 0));
  }

  @Test
  void builderValidates() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JitteredBackoffStrategy.builder().cap(Duration.ofMillis(500)).build());
    assertTrue(e.getMessage().contains("cap"));
    e = assertThrows(IllegalArgumentException.class, () -> JitteredBackoffStrategy.builder().base(Duration.ZERO));
    assertTrue(e.getMessage().contains("base"));
    assertThrows(NullPointerException.class, () -> JitteredBackoffStrategy.builder().jitter(null));
  }
}
