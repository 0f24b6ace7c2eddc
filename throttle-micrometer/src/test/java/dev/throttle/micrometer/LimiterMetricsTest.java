package dev.throttle.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.testing.ManualNanoClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

class LimiterMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ManualNanoClock clock = new ManualNanoClock();
  final KeyedGcraLimiter<String> limiter = KeyedGcraLimiter.<String>builder()
      .quota(Quota.of(Rate.perSecond(1), 2)).clock(clock).build();
  final LimiterMetrics metrics = LimiterMetrics.of(registry, "api").bindKeyTable(limiter);

  @Test
  void decisionsAreCountedByOutcomeAndTheKeyTableIsAGauge() {
    assertEquals(0.0, keys());
    for (int i = 0; i < 3; i++) {
      metrics.record(limiter.tryAcquire("alice")); // capacity 2: allowed, allowed, limited
    }
    metrics.record(limiter.tryAcquire("bob", 5)); // more than the capacity
    assertTrue(metrics.record(limiter.tryConsume("carol", 1)));
    assertFalse(metrics.record(false));
    metrics.record(Decision.LIMITED);

    assertEquals(3.0, decisions("allowed"));
    assertEquals(3.0, decisions("limited"));
    assertEquals(1.0, decisions("exceeds_capacity"));
    assertEquals(limiter.size(), (int) keys());
    assertTrue(keys() >= 2, "alice and carol are tracked");
    limiter.reset("alice");
    assertEquals(limiter.size(), (int) keys());
  }

  @Test
  void keysNeverBecomeTags() {
    for (int i = 0; i < 100; i++) {
      metrics.record(limiter.tryAcquire("client-" + i));
    }
    assertEquals(3, registry.find("throttle.limiter.decisions").counters().size());
    assertEquals(100.0, decisions("allowed"));
    assertThrows(IllegalArgumentException.class, () -> LimiterMetrics.of(registry, ""));
  }

  private double decisions(String decision) {
    return registry.get("throttle.limiter.decisions").tags("limiter", "api", "decision", decision).counter()
        .count();
  }

  private double keys() {
    return registry.get("throttle.limiter.keys").tag("limiter", "api").gauge().value();
  }
}
