package dev.throttle.core.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.throttle.testing.ManualNanoClock;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** KeyedGcraLimiter through the KeyedRateLimiter interface gives, per key, the figures of a GcraLimiter. */
class KeyedRateLimiterProperties {

  @Property(tries = 300)
  void perKeyFiguresEqualASingleLimiter(@ForAll @LongRange(min = 1, max = 1_000_000) long tMicros,
      @ForAll @LongRange(min = 1, max = 30) long capacity,
      @ForAll @Size(min = 1, max = 40) List<@LongRange(max = 3_000_000) Long> gapsMicros,
      @ForAll @Size(min = 40, max = 40) List<@LongRange(max = 35) Long> costs) {
    Quota q = Quota.of(Rate.of(1, Duration.ofNanos(tMicros * 1000)), capacity);
    ManualNanoClock clock = new ManualNanoClock(0);
    GcraLimiter single = GcraLimiter.builder().quota(q).clock(clock).build();
    KeyedRateLimiter<String> keyed = KeyedGcraLimiter.<String>builder().quota(q).clock(clock).build();
    for (int i = 0; i < gapsMicros.size(); i++) {
      clock.advance(gapsMicros.get(i) * 1000);
      long cost = costs.get(i);
      if (i % 2 == 0) {
        assertEquals(single.tryAcquireAtMost(cost, clock.nanoTime()), keyed.tryAcquireAtMost("k", cost));
      } else {
        assertEquals(single.tryAcquire(cost, clock.nanoTime()), keyed.tryAcquireAsync("k", cost)
            .toCompletableFuture().join());
      }
    }
  }
}
