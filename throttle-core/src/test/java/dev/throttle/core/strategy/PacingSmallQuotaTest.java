package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaderWriter;
import dev.throttle.core.headers.RateLimitInfo;
import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.GcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default strategy for a lone client on a small quota (capacity 1 or 5), driven by the real {@link GcraLimiter}
 * on a {@link ManualNanoClock} and the headers as {@link RateLimitHeaderWriter#defaults()} would send them: a client
 * whose demand is below the server rate is not slowed below it (it used to be, further and further, because every
 * response of a capacity-5 bucket looked "low").
 */
class PacingSmallQuotaTest {

  private static final long S = 1_000_000_000L;

  /** What one run saw: the wait the strategy added before each attempt, and the 429s. */
  private record Run(List<Long> waits, int limited) {}

  /**
   * One client wanting to send {@code requests} requests back to back, each {@code demandNanos} after the previous
   * attempt, against {@code quota}; retries of a 429 go through the same call.
   */
  private static Run lone(Quota quota, long demandNanos, int requests, long seed) {
    ManualNanoClock clock = new ManualNanoClock(0);
    GcraLimiter server = GcraLimiter.builder().quota(quota).clock(clock).build();
    RateLimitHeaderWriter writer = RateLimitHeaderWriter.defaults();
    ThrottleStrategy strategy = Strategies.defaultStrategy(seed);
    List<Long> waits = new ArrayList<>();
    int limited = 0;
    long now = 0;
    for (int i = 0; i < requests; i++) {
      ThrottleStrategy.Call call = strategy.newCall(now);
      while (true) {
        long wait = call.delayNanos(now);
        waits.add(wait);
        now += wait;
        clock.set(now);
        RateLimitResult result = server.tryAcquire();
        boolean ok = result.decision() == Decision.ALLOWED;
        limited += ok ? 0 : 1;
        boolean retry = call.onResponse(ok ? 200 : 429, writer.clientView(result), now);
        now += demandNanos;
        if (!retry) {
          break;
        }
      }
    }
    return new Run(waits, limited);
  }

  private static void assertNeverSlowedAfter(int first, long maxWaitNanos, Run run) {
    assertEquals(0, run.limited(), "429s " + run);
    for (int i = first; i < run.waits().size(); i++) {
      assertTrue(run.waits().get(i) <= maxWaitNanos, "wait before attempt " + i + ": " + run);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void aLoneClientAtTwoPerSecondOnFivePerSecondWithCapacityFiveIsNotSlowed(long seed) {
    // q = 5, w = 1: every response says r <= 5, which used to count as a low bank and slow the client to 10 s gaps
    Run run = lone(Quota.of(Rate.perSecond(5), 5), S / 2, 20, seed);
    assertEquals(20, run.waits().size());
    assertNeverSlowedAfter(3, S, run);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void aLoneClientAtHalfTheRateOfOnePerSecondWithCapacityOneReachesItsDemand(long seed) {
    // q = 1: every success says r = 0; the start (u / 14) doubles while the bucket was full before each request
    Run run = lone(Quota.of(Rate.perSecond(1), 1), 2 * S, 20, seed);
    assertEquals(20, run.waits().size());
    assertNeverSlowedAfter(5, S, run);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void aBusyLoneClientOnASmallQuotaGetsMostOfTheRateWithFew429s(long seed) {
    // demand far above the server rate (back to back, 10 ms apart) on 5 per second, capacity 5, for 200 requests
    Run run = lone(Quota.of(Rate.perSecond(5), 5), S / 100, 200, seed);
    long total = 0;
    for (long w : run.waits()) {
      total += w;
    }
    double seconds = (total + run.waits().size() * (S / 100)) / 1e9;
    // the server allows 5 + 5/s: 200 requests need at least 39 s; the old bank target took minutes
    assertTrue(seconds < 60, "took " + seconds + " s: " + run);
    assertTrue(run.limited() <= 5, "429s " + run);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void herokuSizedQuotasKeepTheirBankTarget(long seed) {
    // q = 4500: the target stays 5, so a lone client told r = 3 slows down (its interval grows)
    PacingStrategy s = PacingStrategy.builder().seed(seed).build();
    RateLimitInfo low = RateLimitInfo.builder().remaining(3).limit(4500).windowNanos(3600 * S).build();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    c.onResponse(200, low, 0);
    long first = s.intervalNanos();
    ThrottleStrategy.Call d = s.newCall(S);
    long wait = d.delayNanos(S);
    d.onResponse(200, low, S + wait);
    assertTrue(s.intervalNanos() > first, first + " -> " + s.intervalNanos());
    assertTrue(Duration.ofNanos(first).toSeconds() >= 11);
  }
}
