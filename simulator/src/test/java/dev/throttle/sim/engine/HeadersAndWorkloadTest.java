package dev.throttle.sim.engine;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.strategy.ThrottleStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.FixedIntervalStrategy;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersAndWorkloadTest {

  private static final long SECOND = 1_000_000_000L;

  /** Sends every 100 ms and records every RateLimitHeaders it is shown. */
  private static final class Recording implements ThrottleStrategy {
    final List<RateLimitHeaders> seen = new ArrayList<>();
    final List<Integer> statuses = new ArrayList<>();

    @Override
    public Call newCall(long nowNanos) {
      return new Call() {
        @Override
        public long delayNanos(long now) {
          return SECOND / 10;
        }

        @Override
        public boolean onResponse(int status, RateLimitHeaders headers, long now) {
          seen.add(headers);
          statuses.add(status);
          return status == 429;
        }
      };
    }
  }

  private static Recording run(Dialect mode) {
    Recording rec = new Recording();
    SimConfig c = new SimConfig(new ServerSpec(Rate.perSecond(5), 3, 3, Latency.ZERO, mode, List.of()),
        Latency.ZERO, List.of(ClientGroup.always(1, Workload.closed())), 2 * SECOND, 1, 4,
        SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
    Simulation.of(c, (seed, init) -> rec, 1).run();
    return rec;
  }

  @Test
  void fullHeadersCarryRemainingLimitAndRetryAfterOnA429() {
    Recording r = run(Dialect.FULL);
    assertTrue(r.statuses.contains(429));
    for (int i = 0; i < r.seen.size(); i++) {
      RateLimitHeaders info = r.seen.get(i);
      assertTrue(info.hasRemaining());
      assertTrue(info.hasLimit());
      assertEquals(3, info.limit());
      if (r.statuses.get(i) == 429) {
        assertTrue(info.hasRetryAfter(), "a 429 says when to retry");
      }
    }
  }

  @Test
  void remainingOnlyHeadersCarryNothingElse() {
    Recording r = run(Dialect.REMAINING);
    assertTrue(r.statuses.contains(429));
    for (RateLimitHeaders info : r.seen) {
      assertTrue(info.hasRemaining());
      assertFalse(info.hasLimit() || info.hasRetryAfter() || info.hasReset() || info.hasWindow());
    }
  }

  @Test
  void noHeadersMeansAnEmptyView() {
    for (RateLimitHeaders info : run(Dialect.NONE).seen) {
      assertEquals(RateLimitHeaders.EMPTY, info);
    }
  }

  @Test
  void poissonArrivalsMatchTheirRate() {
    // 5 clients x 2 requests/s for 1000 s against a server that never refuses: about 10 000 requests
    // (Poisson, sd 100); each is sent at once (no wait), so attempts = arrivals.
    SimConfig c = new SimConfig(new ServerSpec(Rate.perSecond(1_000_000), 1_000_000, 1_000_000, Latency.ZERO,
        Dialect.FULL, List.of()), Latency.ZERO, List.of(ClientGroup.always(5, Workload.poisson(2))),
        1000 * SECOND, 1, 10, SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
    RunResult r = Simulation.of(c, (seed, init) -> new FixedIntervalStrategy(0), 3).run();
    assertEquals(10_000, r.totalAttempts(), 400);
    assertEquals(0, r.totalLimited());
    assertEquals(-1, r.completionNanos());
  }
}
