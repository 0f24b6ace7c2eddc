package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Delay sequences of the Heroku family against values computed by hand from the Ruby gem's arithmetic. */
class HerokuStrategiesTest {

  private static final long MS = 1_000_000L;
  private static final RateLimitHeaders NONE = RateLimitHeaders.EMPTY;

  private static RateLimitHeaders remaining(long r) {
    return RateLimitHeaders.builder().remaining(r).build();
  }

  @Test
  void exponentialBackoffGrowsByOnePointTwoFromMinSleepWithJitterAdded() {
    // U = 0.5 -> jitter = s * 0.05
    ExponentialBackoffStrategy s = ExponentialBackoffStrategy.builder().random(new FixedRandom(0.5)).build();
    ThrottleStrategy.Call c = s.newCall(0);
    assertEquals(0, c.delayNanos(0));
    assertTrue(c.onResponse(429, NONE, 0));
    assertEquals(840 * MS, c.delayNanos(0));           // 0.8 * 1.05
    assertTrue(c.onResponse(429, NONE, 0));
    assertEquals(1008 * MS, c.delayNanos(0));          // 0.96 * 1.05
    assertTrue(c.onResponse(429, NONE, 0));
    assertEquals(1_209_600_000L, c.delayNanos(0));     // 1.152 * 1.05
    assertFalse(c.onResponse(200, NONE, 0));
    // nothing is kept: the next call starts over
    ThrottleStrategy.Call next = s.newCall(0);
    assertEquals(0, next.delayNanos(0));
    assertTrue(next.onResponse(429, NONE, 0));
    assertEquals(840 * MS, next.delayNanos(0));
  }

  @Test
  void jitterIsBetweenZeroAndTenPercentAdded() {
    ExponentialBackoffStrategy low = ExponentialBackoffStrategy.builder().random(new FixedRandom(0.0)).build();
    ExponentialBackoffStrategy high =
        ExponentialBackoffStrategy.builder().random(new FixedRandom(0.999_999)).build();
    ThrottleStrategy.Call a = low.newCall(0);
    a.delayNanos(0);
    a.onResponse(429, NONE, 0);
    assertEquals(800 * MS, a.delayNanos(0));
    ThrottleStrategy.Call b = high.newCall(0);
    b.delayNanos(0);
    b.onResponse(429, NONE, 0);
    long d = b.delayNanos(0);
    assertTrue(d > 879 * MS && d < 880 * MS, "delay " + d);
  }

  @Test
  void retriesOnly429And503WithRetryAfter() {
    ExponentialBackoffStrategy s = ExponentialBackoffStrategy.create();
    RateLimitHeaders ra = RateLimitHeaders.builder().retryAfterNanos(1_000 * MS).build();
    assertTrue(s.newCall(0).onResponse(429, NONE, 0));
    assertTrue(s.newCall(0).onResponse(503, ra, 0));
    assertFalse(s.newCall(0).onResponse(503, NONE, 0));
    assertFalse(s.newCall(0).onResponse(500, ra, 0));
    assertFalse(s.newCall(0).onResponse(200, NONE, 0));
    assertFalse(s.newCall(0).onResponse(304, NONE, 0));
  }

  @Test
  void eiprdSequence429_429_200ThenProportionalRemainingDecrease() {
    ExponentialIncreaseProportionalRemainingDecreaseStrategy s =
        ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder().random(new FixedRandom(0.5)).build();
    assertEquals(0, s.storedSleepNanos());
    ThrottleStrategy.Call c = s.newCall(0);
    assertEquals(0, c.delayNanos(0));                    // S = 0
    assertTrue(c.onResponse(429, remaining(0), 0));      // s = 0 + 0.8, sleep 0.84, s = 0.96
    assertEquals(840 * MS, c.delayNanos(0));
    assertTrue(c.onResponse(429, remaining(0), 0));      // s = 0.96 + 0.8 = 1.76, sleep 1.848, s = 2.112
    assertEquals(1848 * MS, c.delayNanos(0));
    assertFalse(c.onResponse(200, remaining(0), 0));     // remaining 0: no decrease
    assertEquals(2112 * MS, s.storedSleepNanos());

    ThrottleStrategy.Call d = s.newCall(0);
    assertEquals(2_217_600_000L, d.delayNanos(0));      // 2.112 * 1.05
    assertFalse(d.onResponse(200, remaining(2250), 0)); // s -= s * 2250 / 4500
    assertEquals(1056 * MS, s.storedSleepNanos());
    ThrottleStrategy.Call e = s.newCall(0);
    e.delayNanos(0);
    assertFalse(e.onResponse(200, remaining(4500), 0)); // a full bucket wipes the sleep
    assertEquals(0, s.storedSleepNanos());
  }

  @Test
  void eiprdRemaining200DecreasesMoreThan199AndMissingHeaderMeansNoDecrease() {
    long after200 = afterOneSuccess(remaining(200));
    long after199 = afterOneSuccess(remaining(199));
    long afterMissing = afterOneSuccess(NONE);
    assertTrue(after200 < after199, after200 + " vs " + after199);
    assertEquals(100_000_000_000L, afterMissing);
    // 100 s - 100 s * 200 / 4500
    assertEquals(Math.round(100e9 - 100e9 * 200 / 4500), after200);
    // remaining above the divisor floors at 0
    assertEquals(0, afterOneSuccess(remaining(9000)));
  }

  private static long afterOneSuccess(RateLimitHeaders info) {
    ExponentialIncreaseProportionalRemainingDecreaseStrategy s =
        ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder()
            .startingSleep(Duration.ofSeconds(100)).build();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertFalse(c.onResponse(200, info, 0));
    return s.storedSleepNanos();
  }

  @Test
  void eipdDecreaseIsProportionalToTheSleep() {
    long from400 = decreaseFrom(400);
    long from200 = decreaseFrom(200);
    assertEquals(Math.round(400e9 / 4500), from400);
    assertTrue(Math.abs(from400 - 2 * from200) <= 1, from400 + " vs " + from200);
  }

  private static long decreaseFrom(long seconds) {
    ExponentialIncreaseProportionalDecreaseStrategy s = ExponentialIncreaseProportionalDecreaseStrategy.builder()
        .startingSleep(Duration.ofSeconds(seconds)).build();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertFalse(c.onResponse(200, remaining(4500), 0)); // remaining is ignored by PD
    return seconds * 1_000_000_000L - s.storedSleepNanos();
  }

  @Test
  void eipdSequence() {
    ExponentialIncreaseProportionalDecreaseStrategy s =
        ExponentialIncreaseProportionalDecreaseStrategy.builder().random(new FixedRandom(0.0)).build();
    ThrottleStrategy.Call c = s.newCall(0);
    assertEquals(0, c.delayNanos(0));
    assertTrue(c.onResponse(429, NONE, 0));
    assertEquals(800 * MS, c.delayNanos(0));
    assertFalse(c.onResponse(200, NONE, 0)); // s = 0.96 - 0.96 / 4500
    assertEquals(Math.round(0.96e9 - 0.96e9 / 4500), s.storedSleepNanos());
  }

  @Test
  void eigdSubtractsMinSleepAndFloorsAtZero() {
    ExponentialIncreaseGradualDecreaseStrategy s =
        ExponentialIncreaseGradualDecreaseStrategy.builder().random(new FixedRandom(0.5)).build();
    ThrottleStrategy.Call c = s.newCall(0);
    assertEquals(0, c.delayNanos(0));
    assertTrue(c.onResponse(429, NONE, 0));
    assertEquals(840 * MS, c.delayNanos(0));
    assertFalse(c.onResponse(200, NONE, 0));           // 0.96 - 0.8
    assertEquals(160 * MS, s.storedSleepNanos());
    ThrottleStrategy.Call d = s.newCall(0);
    assertEquals(168 * MS, d.delayNanos(0));
    assertFalse(d.onResponse(200, NONE, 0));
    assertEquals(0, s.storedSleepNanos());
  }

  @Test
  void eigdDecreaseFollowsMinSleepUnlessSet() {
    ExponentialIncreaseGradualDecreaseStrategy s = ExponentialIncreaseGradualDecreaseStrategy.builder()
        .minSleep(Duration.ofSeconds(1)).startingSleep(Duration.ofSeconds(5)).build();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    c.onResponse(200, NONE, 0);
    assertEquals(4_000 * MS, s.storedSleepNanos());
    ExponentialIncreaseGradualDecreaseStrategy t = ExponentialIncreaseGradualDecreaseStrategy.builder()
        .decrease(Duration.ofMillis(100)).startingSleep(Duration.ofSeconds(5)).build();
    ThrottleStrategy.Call d = t.newCall(0);
    d.delayNanos(0);
    d.onResponse(200, NONE, 0);
    assertEquals(4_900 * MS, t.storedSleepNanos());
  }

  @Test
  void sleepIsCappedAtMaxSleepPlusJitter() {
    ExponentialBackoffStrategy s = ExponentialBackoffStrategy.builder().maxSleep(Duration.ofSeconds(2))
        .random(new FixedRandom(0.999_999_999)).build();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    long last = 0;
    for (int i = 0; i < 50; i++) {
      assertTrue(c.onResponse(429, NONE, 0));
      last = c.delayNanos(0);
      assertTrue(last <= s.maxDelayNanos() && last <= 2_200 * MS, "delay " + last);
    }
    assertTrue(last > 2_199 * MS);
  }

  @Test
  void builderRejectsBadSettingsNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExponentialBackoffStrategy.builder().multiplier(0.5));
    assertTrue(e.getMessage().contains("multiplier"));
    e = assertThrows(IllegalArgumentException.class,
        () -> ExponentialBackoffStrategy.builder().minSleep(Duration.ofSeconds(-1)));
    assertTrue(e.getMessage().contains("minSleep"));
    // a zero base sleep would retry every 429 at once, forever (0 x 1.2^n = 0): refused for every variant
    for (HerokuStrategy.Builder<?> b : java.util.List.<HerokuStrategy.Builder<?>>of(
        ExponentialBackoffStrategy.builder(), ExponentialIncreaseGradualDecreaseStrategy.builder(),
        ExponentialIncreaseProportionalDecreaseStrategy.builder(),
        ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder())) {
      e = assertThrows(IllegalArgumentException.class, () -> b.minSleep(Duration.ZERO));
      assertEquals("minSleep must be positive, was PT0S", e.getMessage());
    }
    e = assertThrows(IllegalArgumentException.class,
        () -> ExponentialBackoffStrategy.builder().jitterFraction(1.5));
    assertTrue(e.getMessage().contains("jitterFraction"));
    e = assertThrows(IllegalArgumentException.class,
        () -> ExponentialIncreaseProportionalDecreaseStrategy.builder().decreaseDivisor(0));
    assertTrue(e.getMessage().contains("decreaseDivisor"));
    e = assertThrows(IllegalArgumentException.class,
        () -> ExponentialIncreaseGradualDecreaseStrategy.builder().maxSleep(Duration.ofSeconds(1))
            .startingSleep(Duration.ofSeconds(2)).build());
    assertTrue(e.getMessage().contains("startingSleep"));
    NullPointerException n = assertThrows(NullPointerException.class,
        () -> ExponentialBackoffStrategy.builder().random(null));
    assertTrue(n.getMessage().contains("random"));
  }

  @Test
  void sameSeedSameDelays() {
    for (long seed : new long[] {1, 2, 42}) {
      assertEquals(run(seed), run(seed));
    }
    assertFalse(run(1).equals(run(2)));
  }

  private static java.util.List<Long> run(long seed) {
    ExponentialIncreaseProportionalRemainingDecreaseStrategy s =
        ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder().seed(seed).build();
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ThrottleStrategy.Call c = s.newCall(0);
      out.add(c.delayNanos(0));
      for (int k = 0; k < i % 3; k++) {
        c.onResponse(429, NONE, 0);
        out.add(c.delayNanos(0));
      }
      c.onResponse(200, remaining(i * 10), 0);
    }
    return out;
  }
}
