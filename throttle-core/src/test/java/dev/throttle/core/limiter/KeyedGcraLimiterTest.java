package dev.throttle.core.limiter;

import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyedGcraLimiterTest {

  private static final long MILLI = 1_000_000L;

  private final ManualNanoClock clock = new ManualNanoClock(-5_000_000_000L);

  private KeyedGcraLimiter<String> limiter(int maxKeys, Quota... quotas) {
    KeyedGcraLimiter.Builder<String> b = KeyedGcraLimiter.<String>builder().clock(clock).maxKeys(maxKeys);
    for (Quota q : quotas) {
      b.quota(q);
    }
    return b.build();
  }

  @Test
  void keysHaveIndependentLimits() {
    KeyedGcraLimiter<String> l = limiter(100, Quota.of(Rate.perSecond(1), 2));
    assertTrue(l.tryConsume("a", 2));
    assertFalse(l.tryConsume("a", 1));
    RateLimitResult b = l.tryAcquire("b");
    assertTrue(b.allowed());
    assertEquals(1, b.remaining());
    RateLimitResult a = l.tryAcquire("a");
    assertEquals(Decision.LIMITED, a.decision());
    assertEquals(500 * MILLI, a.retryAfterNanos() / 2);
    assertEquals(2, l.size());
  }

  @Test
  void sameFiguresAsGcraLimiter() {
    Quota q = Quota.of(Rate.of(1, Duration.ofMinutes(3)), 3);
    KeyedGcraLimiter<String> keyed = limiter(10, q);
    GcraLimiter single = GcraLimiter.builder().clock(clock).quota(q).build();
    long now = clock.nanoTime();
    for (int i = 0; i < 8; i++) {
      long cost = i % 3;
      assertEquals(single.tryAcquire(cost, now), keyed.tryAcquire("k", cost, now));
      now += Duration.ofSeconds(50).toNanos();
    }
    assertEquals(single.tryAcquire(4, now), keyed.tryAcquire("k", 4, now));
  }

  @Test
  void idleKeysAreReclaimedWithoutAnyExpirySetting() {
    KeyedGcraLimiter<String> l = limiter(1_000_000, Quota.of(Rate.perSecond(1000), 5));
    for (int i = 0; i < 1000; i++) {
      assertTrue(l.tryConsume("k" + i, 5));
    }
    assertEquals(1000, l.size());
    l.cleanUp(); // nothing idle yet: all keys drained
    assertEquals(1000, l.size());
    clock.advance(5 * MILLI - 1);
    l.cleanUp();
    assertEquals(1000, l.size());
    clock.advance(1);
    l.cleanUp();
    assertEquals(0, l.size());
  }

  @Test
  void sweepsRunInCallingThreadsAndKeepIdleKeysBounded() {
    KeyedGcraLimiter<Integer> l = KeyedGcraLimiter.<Integer>builder().clock(clock)
        .quota(Quota.of(Rate.perSecond(1_000_000), 1)).build();
    for (int i = 0; i < 100_000; i++) {
      assertTrue(l.tryConsume(i, 1));
      clock.advance(1000); // each key is idle 1 µs after its request
    }
    assertTrue(l.size() < 1_000, "size " + l.size());
  }

  @Test
  void reclaimedKeyStartsFresh() {
    KeyedGcraLimiter<String> l = limiter(10, Quota.of(Rate.perSecond(1), 1));
    assertTrue(l.tryConsume("a", 1));
    clock.advance(Duration.ofSeconds(1));
    l.cleanUp();
    assertEquals(0, l.size());
    assertTrue(l.tryConsume("a", 1));
    assertFalse(l.tryConsume("a", 1));
  }

  @Test
  void resetForgetsOneKey() {
    KeyedGcraLimiter<String> l = limiter(10, Quota.of(Rate.perHour(1), 1));
    assertTrue(l.tryConsume("a", 1));
    assertTrue(l.tryConsume("b", 1));
    l.reset("a");
    assertEquals(1, l.size());
    assertTrue(l.tryConsume("a", 1));
    assertFalse(l.tryConsume("b", 1));
  }

  @Test
  void fullTableChargesNewKeysToOneSharedOverflowState() {
    KeyedGcraLimiter<String> l = limiter(2, Quota.of(Rate.perSecond(1), 3));
    assertTrue(l.tryConsume("a", 1));
    assertTrue(l.tryConsume("b", 1));
    assertEquals(2, l.size());
    // c and d are not tracked: together they get one key's limit
    assertTrue(l.tryConsume("c", 2));
    assertTrue(l.tryConsume("d", 1));
    assertFalse(l.tryConsume("d", 1));
    assertFalse(l.tryConsume("c", 1));
    assertEquals(2, l.size());
    // a and b go idle; c now gets its own cell, but no emptier than the overflow state it was charged to
    clock.advance(Duration.ofSeconds(1));
    RateLimitResult c = l.tryAcquire("c", 3);
    assertEquals(Decision.LIMITED, c.decision());
    assertTrue(l.size() >= 1);
    clock.advance(Duration.ofSeconds(2));
    assertTrue(l.tryConsume("c", 3));
  }

  @Test
  void severalQuotasPerKey() {
    Quota burst = Quota.of("burst", Rate.perSecond(10), 2);
    Quota daily = Quota.of("daily", Rate.of(5, Duration.ofDays(1)), 5);
    KeyedGcraLimiter<String> l = limiter(10, burst, daily);
    assertTrue(l.tryConsume("k", 2));
    assertFalse(l.tryConsume("k", 1));
    clock.advance(Duration.ofSeconds(1));
    RateLimitResult r = l.tryAcquire("k", 2);
    assertTrue(r.allowed());
    assertEquals(burst, r.quota()); // burst 0 left, daily 1 left
    assertEquals(0, r.remaining());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(l.tryConsume("k", 1));
    RateLimitResult refused = l.tryAcquire("k");
    assertEquals(daily, refused.quota());
    assertEquals(Decision.LIMITED, refused.decision());
    assertEquals(Decision.EXCEEDS_CAPACITY, l.tryAcquire("k", 3).decision());
    // not idle for the daily quota: not reclaimed
    clock.advance(Duration.ofHours(1));
    l.cleanUp();
    assertEquals(1, l.size());
  }

  @Test
  void validation() {
    IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
        () -> KeyedGcraLimiter.builder().maxKeys(0));
    assertTrue(max.getMessage().contains("maxKeys"), max.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> KeyedGcraLimiter.builder().build());
    assertTrue(none.getMessage().contains("quota"), none.getMessage());
    KeyedGcraLimiter<String> l = limiter(10, Quota.of(Rate.perSecond(1), 1));
    assertThrows(NullPointerException.class, () -> l.tryConsume(null, 1));
    assertThrows(IllegalArgumentException.class, () -> l.tryConsume("a", -1));
    assertThrows(IllegalArgumentException.class, () -> l.tryAcquire("a", -1));
  }
}
