package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.AttemptVerdict;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The AWS SDK v2 adaptive retry mode against values computed by hand from its documented rules: the CUBIC rate
 * limiter ({@code RateLimiterTokenBucket}), the full-jitter backoff ({@code BackoffStrategy.exponentialDelay}), the
 * retry quota ({@code TokenBucket}) and the attempt limit, as {@code DefaultAdaptiveRetryStrategy} combines them.
 */
class AdaptiveRateStrategyTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final RateLimitHeaders NONE = RateLimitHeaders.EMPTY;
  private static final RateLimitHeaders RETRY_AFTER = RateLimitHeaders.builder().retryAfterNanos(S).build();
  /** Every draw is 0: the backoff part of each delay is 0, leaving the rate limiter's wait alone. */
  private static final RandomGenerator LOWEST = () -> 0L;
  /** Every draw is the largest double below 1: the backoff is just under its bound. */
  private static final RandomGenerator HIGHEST = () -> -1L;

  private static AdaptiveRateStrategy noJitter() {
    return AdaptiveRateStrategy.builder().random(LOWEST).build();
  }

  /** One attempt of a fresh call at the clock's time, answered at once. */
  private static boolean once(AdaptiveRateStrategy s, ManualNanoClock clock, int status) {
    ThrottleStrategy.Call c = s.newCall(clock.nanoTime());
    c.delayNanos(clock.nanoTime());
    return c.onResponse(status, NONE, clock.nanoTime());
  }

  @Test
  void disabledUntilTheFirstThrottleThenPacedByTheBucket() {
    ManualNanoClock clock = new ManualNanoClock(0);
    AdaptiveRateStrategy s = noJitter();
    // two successes in the first 0.5 s bucket: no delay, nothing measured yet
    for (long t : new long[] {0, 250 * MS}) {
      clock.set(t);
      ThrottleStrategy.Call c = s.newCall(t);
      assertEquals(0, c.delayNanos(t));
      assertFalse(c.onResponse(200, NONE, t));
    }
    assertFalse(s.enabled());
    assertEquals(0.5, s.fillRate(), 1e-12); // MIN_FILL_RATE

    // a 429 at t = 1 s: 3 responses over 2 buckets -> measured 0.8 * 3 = 2.4 r/s; fill = 0.7 * 2.4
    long t = 1000 * MS;
    ThrottleStrategy.Call c = s.newCall(t);
    assertEquals(0, c.delayNanos(t));
    assertTrue(c.onResponse(429, NONE, t));
    assertNull(c.giveUpReason());
    assertTrue(s.enabled());
    assertEquals(2.4, s.measuredRate(), 1e-12);
    assertEquals(1.68, s.fillRate(), 1e-12);
    // the retry's delay is its backoff (0 here) plus one token's wait: the bucket holds 0.125 + 0.75 * 0.5 = 0.5
    assertEquals((long) Math.floor(0.5 / 1.68 * 1e9), c.delayNanos(t), 1.0);
    // the next call's first attempt queues behind it: 1.5 tokens short
    ThrottleStrategy.Call d = s.newCall(t);
    assertEquals((long) Math.floor(1.5 / 1.68 * 1e9), d.delayNanos(t), 1.0);

    // a success at t = 2 s: cubic regrowth 0.4 * (1 - K)^3 + 2.4 with K = cbrt(2.4 * 0.3 / 0.4)
    assertFalse(d.onResponse(200, NONE, 2000 * MS));
    double k = Math.cbrt(1.8);
    double cubic = 0.4 * Math.pow(1 - k, 3) + 2.4;
    assertEquals(0.8 * 1 + 0.2 * 2.4, s.measuredRate(), 1e-12);
    assertEquals(Math.max(0.5, Math.min(cubic, 2 * s.measuredRate())), s.fillRate(), 1e-12);
  }

  @Test
  void cubicPassesThroughBetaTimesTheLastMaxRateAtTheThrottleAndTheLastMaxRateAfterK() {
    ManualNanoClock clock = new ManualNanoClock(5 * S);
    AdaptiveRateStrategy s = noJitter();
    // 10 successes per second for 5 s: the measured rate settles at 10 r/s
    for (int i = 0; i < 50; i++) {
      assertFalse(once(s, clock, 200));
      clock.advance(100 * MS);
    }
    assertEquals(10, s.measuredRate(), 0.01);
    // the enabling throttle: lastMaxRate = the measured rate, fill = beta x it (C x (0 - K)^3 + W = beta W)
    long throttleAt = clock.nanoTime();
    assertTrue(once(s, clock, 429));
    double lastMax = s.measuredRate();
    assertEquals(0.7 * lastMax, s.fillRate(), 1e-9);
    // keep sending at 10 r/s for 3 s; each success sets fill = min(C (t - K)^3 + W, 2 x measured)
    double k = Math.cbrt(lastMax * 0.3 / 0.4);
    long kNanos = Math.round(k * 1e9);
    java.util.TreeSet<Long> times = new java.util.TreeSet<>();
    for (int j = 1; j <= 30; j++) {
      times.add(throttleAt + j * 100 * MS);
    }
    times.add(throttleAt + kNanos);
    for (long at : times) {
      clock.set(at);
      assertFalse(once(s, clock, 200));
      double dt = (at - throttleAt) / 1e9 - k;
      double cubic = 0.4 * dt * dt * dt + lastMax;
      assertTrue(2 * s.measuredRate() > cubic, "the 2 x measured cap stays out of the way");
      assertEquals(cubic, s.fillRate(), 1e-9, "at " + (at - throttleAt));
      if (at == throttleAt + kNanos) {
        assertEquals(lastMax, s.fillRate(), 1e-6, "K after the throttle the cubic is back at lastMaxRate");
      }
    }
    assertTrue(s.fillRate() > lastMax, "past K it grows beyond the rate of the last throttle");
  }

  @Test
  void aThrottleWhileEnabledCutsTheSmallerOfMeasuredAndFillByBeta() {
    ManualNanoClock clock = new ManualNanoClock(0);
    AdaptiveRateStrategy s = noJitter();
    for (int i = 0; i < 40; i++) {
      once(s, clock, 200);
      clock.advance(100 * MS);
    }
    assertTrue(once(s, clock, 429)); // enabled at 0.7 x ~10
    double fill = s.fillRate();
    clock.advance(10 * MS); // same measurement bucket: measured unchanged (~10 r/s) and above fill
    double measured = s.measuredRate();
    assertTrue(measured > fill);
    assertTrue(once(s, clock, 429));
    assertEquals(0.7 * Math.min(measured, fill), s.fillRate(), 1e-9);
  }

  @Test
  void theBucketRefillsAtTheFillRateUpToItsCapacityAndReservesWhenShort() {
    ManualNanoClock clock = new ManualNanoClock(0);
    AdaptiveRateStrategy s = noJitter();
    ThrottleStrategy.Call first = s.newCall(0);
    assertEquals(0, first.delayNanos(0));
    assertTrue(first.onResponse(429, NONE, 0)); // nothing measured: enabled at the minimum, 0.5 r/s, empty bucket
    assertEquals(0.5, s.fillRate(), 0);
    assertEquals(2 * S, first.delayNanos(0)); // (1 - 0) / 0.5 s
    assertEquals(4 * S, s.newCall(0).delayNanos(0)); // the bucket is at -1: (1 + 1) / 0.5
    clock.set(10 * S); // refill 5 tokens from -2, capped at the capacity of 1 token
    assertEquals(0, s.newCall(clock.nanoTime()).delayNanos(clock.nanoTime()));
    assertEquals(2 * S, s.newCall(clock.nanoTime()).delayNanos(clock.nanoTime()));
    clock.advance(S); // half a token back: 0.5 short of one
    assertEquals(3 * S, s.newCall(clock.nanoTime()).delayNanos(clock.nanoTime()));
  }

  @Test
  void aRetryTakesFiveQuotaTokensAndASuccessGivesBackTheLatestRetrysCostOrOne() {
    ManualNanoClock clock = new ManualNanoClock(0);
    AdaptiveRateStrategy s = noJitter();
    assertEquals(500, s.retryQuotaTokens());
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertTrue(c.onResponse(429, NONE, 0));
    assertEquals(495, s.retryQuotaTokens());
    c.delayNanos(0);
    assertTrue(c.onResponse(503, RETRY_AFTER, 0));
    assertEquals(490, s.retryQuotaTokens());
    c.delayNanos(0);
    assertFalse(c.onResponse(200, NONE, 0));
    assertEquals(495, s.retryQuotaTokens(), "refund = the latest retry's 5, not both retries' 10");
    assertFalse(once(s, clock, 200));
    assertEquals(496, s.retryQuotaTokens(), "a success without retry gives back 1");
    assertFalse(once(s, clock, 404));
    assertFalse(once(s, clock, 500));
    assertEquals(496, s.retryQuotaTokens(), "other final answers change nothing");
    for (int i = 0; i < 10; i++) {
      once(s, clock, 200);
    }
    assertEquals(500, s.retryQuotaTokens(), "never above the maximum");
  }

  @Test
  void anEmptyQuotaGivesUpWithRetryBudgetAndTakesNothing() {
    ManualNanoClock clock = new ManualNanoClock(0);
    AdaptiveRateStrategy s = AdaptiveRateStrategy.builder().random(LOWEST).maxAttempts(1000).build();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    for (int i = 0; i < 100; i++) { // 100 retries x 5 = 500 tokens
      assertTrue(c.onResponse(503, RETRY_AFTER, 0), "retry " + i);
      c.delayNanos(0);
    }
    assertEquals(0, s.retryQuotaTokens());
    assertFalse(c.onResponse(503, RETRY_AFTER, 0));
    assertEquals(ThrottleStrategy.GiveUp.RETRY_BUDGET, c.giveUpReason());
    assertEquals(0, s.retryQuotaTokens());
    assertFalse(once(s, clock, 429), "another call's first retry is refused too");
    // one success refills 1 token: still short of 5; five refill one retry
    for (int i = 0; i < 5; i++) {
      assertFalse(once(s, clock, 200));
    }
    assertEquals(5, s.retryQuotaTokens());
    assertTrue(once(s, clock, 429));
    assertEquals(0, s.retryQuotaTokens());
  }

  @Test
  void theThirdRetryableAnswerGivesUpWithMaxAttemptsWithoutTouchingQuotaOrLimiter() {
    AdaptiveRateStrategy s = noJitter();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertTrue(c.onResponse(429, NONE, 0));
    c.delayNanos(0);
    assertTrue(c.onResponse(429, NONE, 0));
    c.delayNanos(0);
    double fill = s.fillRate();
    double measured = s.measuredRate();
    assertFalse(c.onResponse(429, NONE, 600 * MS));
    assertEquals(ThrottleStrategy.GiveUp.MAX_ATTEMPTS, c.giveUpReason());
    assertEquals(490, s.retryQuotaTokens());
    assertEquals(fill, s.fillRate(), 0, "the give-up's throttle is not fed to the limiter");
    assertEquals(measured, s.measuredRate(), 0);
  }

  @Test
  void throughAPolicyTheStrategysGiveUpIsAGiveUpVerdictWithItsReason() {
    ThrottlePolicy policy = ThrottlePolicy.builder(AdaptiveRateStrategy.builder().random(LOWEST).build()).build();
    ThrottledCall c = policy.newCall(0);
    c.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, c.onResponse(429, NONE, 0));
    c.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, c.onResponse(429, NONE, 0));
    c.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, c.onResponse(429, NONE, 0));
    assertEquals(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, c.giveUp().reason());
    assertEquals(3, c.giveUp().attempts());

    ThrottlePolicy drained = ThrottlePolicy.builder(AdaptiveRateStrategy.builder().random(LOWEST).retryQuota(5)
        .build()).build();
    ThrottledCall d = drained.newCall(0);
    d.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, d.onResponse(429, NONE, 0));
    d.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, d.onResponse(429, NONE, 0));
    assertEquals(ThrottleGiveUpException.Reason.RETRY_BUDGET, d.giveUp().reason());
    // wrapped in the Retry-After floor the reason is forwarded
    ThrottlePolicy floored = ThrottlePolicy.builder(RetryAfterFloorStrategy.wrap(AdaptiveRateStrategy.builder()
        .random(LOWEST).maxAttempts(1).build())).build();
    ThrottledCall e = floored.newCall(0);
    e.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, e.onResponse(429, NONE, 0));
    assertEquals(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, e.giveUp().reason());
  }

  @Test
  void fullJitterBackoffIsBelowMinOfCapAndBaseTimesTwoToTheRetryMinusOne() {
    // 503 with Retry-After: retryable but not a throttle, so the limiter stays off and the delay is the backoff
    AdaptiveRateStrategy high = AdaptiveRateStrategy.builder().random(HIGHEST).maxAttempts(20).build();
    ThrottleStrategy.Call c = high.newCall(0);
    assertEquals(0, c.delayNanos(0));
    for (int retry = 1; retry <= 15; retry++) {
      assertTrue(c.onResponse(503, RETRY_AFTER, 0));
      long bound = Math.min(20 * S, 100 * MS << (retry - 1));
      long d = c.delayNanos(0);
      assertTrue(d < bound && d >= bound - 2, "retry " + retry + ": " + d + " vs bound " + bound);
    }
    AdaptiveRateStrategy low = AdaptiveRateStrategy.builder().random(LOWEST).build();
    ThrottleStrategy.Call z = low.newCall(0);
    z.delayNanos(0);
    assertTrue(z.onResponse(503, RETRY_AFTER, 0));
    assertEquals(0, z.delayNanos(0));
  }

  @Test
  void aThrottleBacksOffFromOneSecondPlusTheLimitersWait() {
    AdaptiveRateStrategy high = AdaptiveRateStrategy.builder().random(HIGHEST).maxAttempts(10).build();
    ThrottleStrategy.Call c = high.newCall(0);
    c.delayNanos(0);
    assertTrue(c.onResponse(429, NONE, 0)); // enabled at 0.5 r/s, empty bucket: the token costs 2 s
    long d = c.delayNanos(0);
    assertTrue(d >= S + 2 * S - 2 && d < S + 2 * S, "1 s backoff bound + 2 s token wait: " + d);
    long t = d;
    // sent at t = d (about 3 s): the bucket went to -1 at 0 and refilled 1.5 tokens at 0.5 r/s since: 0.5 tokens,
    // so the next token costs 1 s; the backoff bound doubles to 2 s
    assertTrue(c.onResponse(429, NONE, t));
    long e = c.delayNanos(t);
    assertEquals(3 * S, e, 3.0, "2 s backoff bound + 1 s token wait: " + e);
  }

  @Test
  void sameSeedSameDelaysOtherSeedOtherDelays() {
    long[] a = delays(AdaptiveRateStrategy.builder().seed(7).build());
    long[] b = delays(AdaptiveRateStrategy.builder().seed(7).build());
    long[] c = delays(AdaptiveRateStrategy.builder().seed(8).build());
    assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    assertFalse(java.util.Arrays.equals(a, c));
  }

  private static long[] delays(AdaptiveRateStrategy s) {
    long[] out = new long[2];
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    for (int i = 0; i < 2; i++) {
      c.onResponse(503, RETRY_AFTER, 0);
      out[i] = c.delayNanos(0);
    }
    return out;
  }

  @Test
  void builderValidates() {
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().beta(1));
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().smoothing(0));
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().minFillRate(-1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AdaptiveRateStrategy.builder().scaleConstant(Double.NaN));
    assertTrue(e.getMessage().contains("scaleConstant"));
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().maxAttempts(0));
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().retryQuota(0));
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().retryCost(-1));
    assertThrows(IllegalArgumentException.class, () -> AdaptiveRateStrategy.builder().base(Duration.ZERO));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> AdaptiveRateStrategy.builder().retryQuota(4).build()).getMessage().contains("retryCost"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> AdaptiveRateStrategy.builder().maxBackoff(Duration.ofMillis(500)).build()).getMessage()
        .contains("maxBackoff"));
    assertEquals(3, AdaptiveRateStrategy.create().maxAttempts());
  }

  @Test
  void aZeroRetryCostTurnsTheQuotaOff() {
    AdaptiveRateStrategy s = AdaptiveRateStrategy.builder().random(LOWEST).retryCost(0).maxAttempts(1000).build();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    for (int i = 0; i < 200; i++) {
      assertTrue(c.onResponse(503, RETRY_AFTER, 0));
      c.delayNanos(0);
    }
    assertEquals(500, s.retryQuotaTokens());
  }
}
