package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the AWS adaptive retry mode whatever the server answers. */
class AdaptiveRateStrategyProperties {

  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  /** Slack for the double arithmetic of the bucket (its refill and the token wait are doubles of seconds). */
  private static final long ROUNDING = 1_000;
  private static final RateLimitHeaders RETRY_AFTER = RateLimitHeaders.builder().retryAfterNanos(S).build();

  /** One answer: which of the interleaved calls it goes to, its status, and the time before it arrives. */
  record Answer(int call, int status, long latencyMs) {}

  @Provide
  Arbitrary<List<Answer>> answers() {
    return Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.of(200, 200, 429, 429, 429, 503, 404, 500), Arbitraries.longs().between(0, 3000))
        .as(Answer::new).list().ofMinSize(1).ofMaxSize(300);
  }

  /**
   * A single sequential client: before retry n the delay is in {@code [0, min(20 s, base x 2^(n-1)) + 2 s]} (the
   * full-jitter range, plus at most one token at the 0.5 r/s minimum fill rate, since a sequential client has
   * paid every earlier token by the time it asks), and before a first attempt at most the 2 s of one token; up
   * to a microsecond of rounding.
   */
  @Property(tries = 300)
  void delaysStayWithinTheFullJitterRangePlusOneToken(@ForAll long seed, @ForAll("answers") List<Answer> script,
      @ForAll @IntRange(min = 1, max = 12) int maxAttempts) {
    ManualNanoClock clock = new ManualNanoClock(seed);
    AdaptiveRateStrategy s = AdaptiveRateStrategy.builder().seed(seed).maxAttempts(maxAttempts).build();
    ThrottleStrategy.Call call = s.newCall(clock.nanoTime());
    int retries = 0;
    long bound = 2 * S;
    for (Answer a : script) {
      long d = call.delayNanos(clock.nanoTime());
      assertTrue(d >= 0 && d <= bound + ROUNDING, "delay " + d + " outside [0, " + bound + "] after " + retries + " retries");
      clock.advance(d + a.latencyMs() * MS);
      RateLimitHeaders h = a.status() == 503 ? RETRY_AFTER : RateLimitHeaders.EMPTY;
      boolean retryable = a.status() == 429 || a.status() == 503;
      boolean retry = call.onResponse(a.status(), h, clock.nanoTime());
      if (retry) {
        retries++;
        assertTrue(retries < maxAttempts, "never more than maxAttempts attempts");
        long base = a.status() == 429 ? S : 100 * MS;
        bound = Math.min(20 * S, (long) Math.min(20 * S, base * Math.pow(2, retries - 1))) + 2 * S;
      } else {
        if (retryable) {
          assertTrue(call.giveUpReason() != null, "a retryable answer not retried is a give-up");
          assertTrue(retries + 1 >= maxAttempts || s.retryQuotaTokens() < AdaptiveRateStrategy.DEFAULT_RETRY_COST,
              "gave up with " + call.giveUpReason() + " before either limit");
        } else {
          assertNull(call.giveUpReason());
        }
        call = s.newCall(clock.nanoTime());
        retries = 0;
        bound = 2 * S;
      }
    }
  }

  /**
   * Several calls interleaved on one strategy with a small quota (so it runs dry often): the quota is never
   * negative nor above its maximum, a retry takes exactly the cost, a success gives back the call's latest cost
   * or 1, and a call gives up on the quota only when fewer tokens than the cost remain.
   */
  @Property(tries = 300)
  void theQuotaStaysWithinZeroAndItsMaximumAndMovesByTheDocumentedAmounts(@ForAll long seed,
      @ForAll("answers") List<Answer> script, @ForAll @IntRange(min = 1, max = 4) int costMultiple) {
    int cost = 3;
    int max = cost * costMultiple + 2;
    ManualNanoClock clock = new ManualNanoClock(seed);
    AdaptiveRateStrategy s = AdaptiveRateStrategy.builder().seed(seed).retryQuota(max).retryCost(cost)
        .maxAttempts(5).build();
    List<ThrottleStrategy.Call> calls = new ArrayList<>();
    int[] lastCost = new int[4];
    for (int i = 0; i < 4; i++) {
      calls.add(s.newCall(clock.nanoTime()));
      calls.get(i).delayNanos(clock.nanoTime());
    }
    for (Answer a : script) {
      clock.advance(a.latencyMs() * MS);
      ThrottleStrategy.Call c = calls.get(a.call());
      int before = s.retryQuotaTokens();
      RateLimitHeaders h = a.status() == 503 ? RETRY_AFTER : RateLimitHeaders.EMPTY;
      boolean retry = c.onResponse(a.status(), h, clock.nanoTime());
      int after = s.retryQuotaTokens();
      assertTrue(after >= 0 && after <= max, "quota " + after + " outside [0, " + max + "]");
      if (retry) {
        assertEquals(before - cost, after, "a retry takes the cost");
        lastCost[a.call()] = cost;
        c.delayNanos(clock.nanoTime());
        continue;
      }
      if (a.status() == 200) {
        assertEquals(Math.min(max, before + Math.max(lastCost[a.call()], 1)), after, "a success gives back");
      } else {
        assertEquals(before, after, "a give-up or another final answer changes nothing");
        if (call(c) == ThrottleStrategy.GiveUp.RETRY_BUDGET) {
          assertTrue(before < cost, "gave up on the quota with " + before + " tokens left");
        }
      }
      ThrottleStrategy.Call fresh = s.newCall(clock.nanoTime());
      fresh.delayNanos(clock.nanoTime());
      calls.set(a.call(), fresh);
      lastCost[a.call()] = 0;
    }
  }

  private static ThrottleStrategy.GiveUp call(ThrottleStrategy.Call c) {
    return c.giveUpReason();
  }
}
