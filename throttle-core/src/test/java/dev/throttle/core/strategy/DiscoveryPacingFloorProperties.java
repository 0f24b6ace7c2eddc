package dev.throttle.core.strategy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.headers.RateLimitHeaders;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

/**
 * Issue 11's floor property for the default: however responses interleave between the threads of one client, no
 * attempt is sent before the latest Retry-After or {@code r = 0; t} instant known when it is sent.
 */
class DiscoveryPacingFloorProperties {

  private static final long MS = 1_000_000L;

  /** One response: which of three calls answers, after how long, with what. */
  record Step(int call, long afterMs, int status, long retryAfterMs, long remaining, long resetMs) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.longs().between(0, 3_000),
        Arbitraries.of(200, 200, 429, 503), Arbitraries.longs().between(-1, 20_000),
        Arbitraries.longs().between(-1, 60), Arbitraries.longs().between(-1, 30_000))
        .as(Step::new).list().ofMinSize(1).ofMaxSize(80);
  }

  @Property(tries = 300)
  void noSendBeforeTheLatestFloorKnownAtSendTime(@ForAll("steps") List<Step> steps, @ForAll long seed) {
    ThrottleStrategy s = Strategies.defaultStrategy(seed);
    long now = 0;
    long floor = Long.MIN_VALUE;
    ThrottleStrategy.Call[] calls = new ThrottleStrategy.Call[3];
    long[] sendAt = new long[3];
    for (int i = 0; i < calls.length; i++) {
      calls[i] = s.newCall(now);
      sendAt[i] = now + calls[i].delayNanos(now);
    }
    for (Step step : steps) {
      int i = step.call();
      // the call is sent at its instant; the runner re-checks right before sending
      long at = Math.max(now, sendAt[i]);
      for (long again = calls[i].recheckNanos(at); again > 0; again = calls[i].recheckNanos(at)) {
        at += again;
      }
      assertTrue(at >= floor, "sent at " + at + " before the floor " + floor);
      now = at + step.afterMs() * MS;
      RateLimitHeaders.Builder h = RateLimitHeaders.builder();
      boolean limited = step.status() == 429 || step.status() == 503;
      if (limited && step.retryAfterMs() >= 0) {
        h.retryAfterNanos(step.retryAfterMs() * MS);
        floor = Math.max(floor, now + step.retryAfterMs() * MS);
      }
      if (step.remaining() >= 0) {
        h.remaining(step.remaining());
      }
      if (step.resetMs() >= 0) {
        h.resetNanos(step.resetMs() * MS);
        if (step.remaining() == 0) {
          floor = Math.max(floor, now + step.resetMs() * MS);
        }
      }
      if (!calls[i].onResponse(step.status(), h.build(), now)) {
        calls[i] = s.newCall(now);
      }
      sendAt[i] = now + calls[i].delayNanos(now);
    }
  }
}
