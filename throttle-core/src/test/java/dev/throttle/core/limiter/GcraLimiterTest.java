package dev.throttle.core.limiter;

import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GcraLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  private final ManualNanoClock clock = new ManualNanoClock(123_456_789L);

  private GcraLimiter limiter(Quota... quotas) {
    GcraLimiter.Builder b = GcraLimiter.builder().clock(clock);
    for (Quota q : quotas) {
      b.quota(q);
    }
    return b.build();
  }

  @Test
  void idleLimiterAdmitsExactlyCapacityAtOneInstantThenRefuses() {
    GcraLimiter l = limiter(Quota.of(Rate.perSecond(10), 5));
    for (int i = 1; i <= 5; i++) {
      RateLimitResult r = l.tryAcquire();
      assertTrue(r.allowed(), "request " + i);
      assertEquals(5 - i, r.remaining());
      assertEquals(i * SECOND / 10, r.resetAfterNanos());
      assertEquals(5, r.limit());
    }
    RateLimitResult refused = l.tryAcquire();
    assertEquals(Decision.LIMITED, refused.decision());
    assertEquals(0, refused.granted());
    assertEquals(0, refused.remaining());
    assertEquals(SECOND / 10, refused.retryAfterNanos());
    assertEquals(SECOND / 2, refused.resetAfterNanos());
  }

  @Test
  void oneUnitComesBackEveryEmissionInterval() {
    GcraLimiter l = limiter(Quota.of(Rate.perSecond(10), 1));
    assertTrue(l.tryConsume(1));
    assertFalse(l.tryConsume(1));
    clock.advance(SECOND / 10 - 1);
    assertFalse(l.tryConsume(1));
    clock.advance(1);
    assertTrue(l.tryConsume(1));
    assertFalse(l.tryConsume(1));
  }

  @Test
  void peekChangesNothing() {
    GcraLimiter l = limiter(Quota.of(Rate.perSecond(1), 3));
    l.tryAcquire(2);
    for (int i = 0; i < 3; i++) {
      RateLimitResult peek = l.tryAcquire(0);
      assertEquals(Decision.ALLOWED, peek.decision());
      assertEquals(0, peek.granted());
      assertEquals(1, peek.remaining());
      assertEquals(2 * SECOND, peek.resetAfterNanos());
      assertTrue(l.tryConsume(0));
    }
    assertTrue(l.tryAcquire(1).allowed());
    assertFalse(l.tryConsume(1));
  }

  @Test
  void allOrNothingRefusesWithoutCharging() {
    GcraLimiter l = limiter(Quota.of(Rate.perSecond(1), 10));
    assertTrue(l.tryAcquire(7).allowed());
    RateLimitResult r = l.tryAcquire(4);
    assertEquals(Decision.LIMITED, r.decision());
    assertEquals(3, r.remaining());
    assertEquals(SECOND, r.retryAfterNanos()); // one more unit needed
    assertTrue(l.tryAcquire(3).allowed());
  }

  @Test
  void partialGrantGivesWhatFitsThenWaitForOneUnit() {
    GcraLimiter l = limiter(Quota.of(Rate.perSecond(2), 5));
    RateLimitResult first = l.tryAcquireAtMost(3);
    assertEquals(3, first.granted());
    assertEquals(2, first.remaining());
    RateLimitResult second = l.tryAcquireAtMost(10);
    assertEquals(Decision.ALLOWED, second.decision());
    assertEquals(2, second.granted());
    assertEquals(0, second.remaining());
    RateLimitResult third = l.tryAcquireAtMost(10);
    assertEquals(Decision.LIMITED, third.decision());
    assertEquals(SECOND / 2, third.retryAfterNanos());
    RateLimitResult peek = l.tryAcquireAtMost(0);
    assertEquals(Decision.ALLOWED, peek.decision());
    assertEquals(0, peek.granted());
  }

  @Test
  void costAboveCapacityExceedsAndChargesNothing() {
    GcraLimiter l = limiter(Quota.of(Rate.perSecond(1), 5));
    RateLimitResult r = l.tryAcquire(6);
    assertEquals(Decision.EXCEEDS_CAPACITY, r.decision());
    assertEquals(RateLimitResult.NEVER, r.retryAfterNanos());
    assertNull(r.retryAfter());
    assertEquals(5, r.remaining());
    assertFalse(l.tryConsume(6));
    assertTrue(l.tryAcquire(5).allowed());
  }

  @Test
  void negativeCostIsRejected() {
    GcraLimiter l = limiter(Quota.of(Rate.perSecond(1), 5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.tryAcquire(-1));
    assertTrue(e.getMessage().contains("cost"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> l.tryConsume(-1));
    assertThrows(IllegalArgumentException.class, () -> l.tryAcquireAtMost(-1));
    assertThrows(IllegalArgumentException.class, () -> l.tryAcquire(-1, 0, new MutableRateLimitResult()));
    assertThrows(NullPointerException.class, () -> l.tryAcquire(1, 0, null));
  }

  @Test
  void resetRestoresFullCapacity() {
    GcraLimiter l = limiter(Quota.of(Rate.perHour(1), 3));
    assertTrue(l.tryConsume(3));
    assertFalse(l.tryConsume(1));
    l.reset();
    assertEquals(3, l.tryAcquire(0).remaining());
    assertTrue(l.tryConsume(3));
  }

  @Test
  void fractionalRateOnePerThreeMinutes() {
    GcraLimiter l = limiter(Quota.of(Rate.of(1, Duration.ofMinutes(3)), 2));
    assertTrue(l.tryConsume(2));
    RateLimitResult r = l.tryAcquire();
    assertEquals(Duration.ofMinutes(3), r.retryAfter());
    clock.advance(Duration.ofMinutes(3).minusNanos(1));
    assertFalse(l.tryConsume(1));
    clock.advance(1);
    assertTrue(l.tryConsume(1));
  }

  @Test
  void fractionalRateRoundsEmissionIntervalUp() {
    // 3 per 10 s: T = ceil(10e9 / 3) = 3_333_333_334 ns
    GcraLimiter l = limiter(Quota.of(Rate.of(3, Duration.ofSeconds(10)), 1));
    assertTrue(l.tryConsume(1));
    assertEquals(3_333_333_334L, l.tryAcquire().retryAfterNanos());
  }

  @Test
  void initialRemainingZeroStartsDrained() {
    GcraLimiter l = GcraLimiter.builder().clock(clock).quota(Quota.of(Rate.perHour(4500), 4500))
        .initialRemaining(0).build();
    RateLimitResult r = l.tryAcquire();
    assertEquals(Decision.LIMITED, r.decision());
    assertEquals(0, r.remaining());
    assertEquals(800_000_000L, r.retryAfterNanos()); // 3600 s / 4500
    assertEquals(Duration.ofHours(1).toNanos(), r.resetAfterNanos());
  }

  @Test
  void initialRemainingPartial() {
    GcraLimiter l = GcraLimiter.builder().clock(clock).quota(Quota.of(Rate.perSecond(1), 10))
        .initialRemaining(4).build();
    assertEquals(4, l.tryAcquire(0).remaining());
    assertTrue(l.tryConsume(4));
    assertFalse(l.tryConsume(1));
  }

  @Test
  void severalQuotasAreAtomic() {
    Quota burst = Quota.of("burst", Rate.perSecond(10), 5);
    Quota hourly = Quota.of("hourly", Rate.perHour(100), 8);
    GcraLimiter l = limiter(burst, hourly);
    assertTrue(l.tryAcquire(5).allowed());
    // burst is empty: the hourly quota must not be charged by the refused request
    assertFalse(l.tryConsume(3));
    clock.advance(SECOND);
    RateLimitResult r = l.tryAcquire(3);
    assertTrue(r.allowed());
    assertEquals(hourly, r.quota()); // 0 left hourly, 2 left burst
    assertEquals(0, r.remaining());
    RateLimitResult refused = l.tryAcquire(1);
    assertEquals(Decision.LIMITED, refused.decision());
    assertEquals(hourly, refused.quota());
    assertEquals(Duration.ofSeconds(36).minusSeconds(1).toNanos(), refused.retryAfterNanos());
  }

  @Test
  void severalQuotasReportFewestRemainingWhenAllowed() {
    Quota a = Quota.of("a", Rate.perSecond(1), 10);
    Quota b = Quota.of("b", Rate.perSecond(100), 4);
    GcraLimiter l = limiter(a, b);
    RateLimitResult r = l.tryAcquire(2);
    assertEquals(b, r.quota());
    assertEquals(2, r.remaining());
    assertEquals(4, r.limit());
  }

  @Test
  void severalQuotasReportLongestWaitWhenRefused() {
    Quota fast = Quota.of("fast", Rate.perSecond(10), 2);
    Quota slow = Quota.of("slow", Rate.perMinute(1), 2);
    GcraLimiter l = limiter(fast, slow);
    assertTrue(l.tryConsume(2));
    RateLimitResult r = l.tryAcquire();
    assertEquals(slow, r.quota());
    assertEquals(Duration.ofMinutes(1).toNanos(), r.retryAfterNanos());
    RateLimitResult exceeds = l.tryAcquire(3);
    assertEquals(Decision.EXCEEDS_CAPACITY, exceeds.decision());
  }

  @Test
  void exceedsReportsSmallestExceededCapacity() {
    Quota big = Quota.of("big", Rate.perSecond(1), 10);
    Quota small = Quota.of("small", Rate.perSecond(1), 3);
    GcraLimiter l = limiter(big, small);
    RateLimitResult r = l.tryAcquire(20);
    assertEquals(small, r.quota());
    assertEquals(Decision.EXCEEDS_CAPACITY, r.decision());
  }

  @Test
  void holderPathMatchesResultPath() {
    GcraLimiter a = limiter(Quota.of(Rate.perSecond(5), 3));
    GcraLimiter b = limiter(Quota.of(Rate.perSecond(5), 3));
    MutableRateLimitResult holder = new MutableRateLimitResult();
    assertThrows(IllegalStateException.class, holder::toResult);
    long now = clock.nanoTime();
    for (int i = 0; i < 6; i++) {
      boolean ok = a.tryAcquire(1, now, holder);
      RateLimitResult expected = b.tryAcquire(1, now);
      assertEquals(expected.allowed(), ok);
      assertEquals(expected, holder.toResult());
      assertEquals(expected.remaining(), holder.remaining());
      assertEquals(expected.retryAfterNanos(), holder.retryAfterNanos());
      assertEquals(expected.quota(), holder.quota());
      now += 50_000_000L;
    }
  }

  @Test
  void clockNearLongMaxWraps() {
    ManualNanoClock c = new ManualNanoClock(Long.MAX_VALUE - SECOND / 2);
    GcraLimiter l = GcraLimiter.builder().clock(c).quota(Quota.of(Rate.perSecond(1), 1)).build();
    assertTrue(l.tryConsume(1));
    c.advance(SECOND - 1); // wraps past Long.MAX_VALUE
    assertFalse(l.tryConsume(1));
    assertEquals(1, l.tryAcquire().retryAfterNanos());
    c.advance(1);
    assertTrue(l.tryConsume(1));
  }

  @Test
  void hugeDvtUsesCoarseUnitButStaysExactForCapacityAndRetry() {
    // 1 per year with capacity 2^31-1: DVT ~ 6.8e25 ns, far beyond Long.MAX_VALUE
    Quota q = Quota.of(Rate.of(1, Duration.ofDays(365)), Quota.MAX_CAPACITY);
    GcraLimiter l = limiter(q);
    RateLimitResult r = l.tryAcquire(Quota.MAX_CAPACITY);
    assertTrue(r.allowed());
    assertEquals(0, r.remaining());
    assertEquals(Long.MAX_VALUE, r.resetAfterNanos()); // saturated
    RateLimitResult refused = l.tryAcquire();
    assertEquals(Decision.LIMITED, refused.decision());
    long retry = refused.retryAfterNanos();
    assertTrue(retry >= Duration.ofDays(365).toNanos(), "retry " + retry);
    assertTrue(retry <= Duration.ofDays(366).toNanos(), "retry " + retry);
    clock.advance(retry - 1);
    assertFalse(l.tryConsume(1));
    clock.advance(1);
    assertTrue(l.tryConsume(1));
  }

  @Test
  void coarseQuotaRetryAfterStaysExactAcrossTheSupportedSpan() {
    // jqwik's shrunk sample (1 per 3.65 years, capacity 655361, drained, cost 2), clock wrapping past Long.MAX_VALUE;
    // retried at retryAfter until the clock is 2^62 ns past construction, the span GcraLimiter supports
    ManualNanoClock c = new ManualNanoClock(Long.MAX_VALUE - 5);
    Quota q = Quota.of(Rate.of(1, Duration.parse("PT32025H35M50.460645377S")), 655_361);
    GcraLimiter l = GcraLimiter.builder().quota(q).clock(c).initialRemaining(0).build();
    long elapsed = 0;
    int retries = 0;
    for (;;) {
      RateLimitResult refused = l.tryAcquire(2);
      assertEquals(Decision.LIMITED, refused.decision());
      long retry = refused.retryAfterNanos();
      if (elapsed + retry > 1L << 62) {
        break;
      }
      c.advance(retry - 1);
      assertFalse(l.tryConsume(2), "admitted 1 ns early after " + retries + " retries");
      c.advance(1);
      assertTrue(l.tryConsume(2), "refused at retryAfter after " + retries + " retries");
      elapsed += retry;
      retries++;
    }
    assertEquals(19, retries); // each retry is ~2.3e17 ns; a 20th would end 2^21 ns past 2^62
  }

  @Test
  void fastestRateOnePerNanosecond() {
    GcraLimiter l = limiter(Quota.of(Rate.perSecond(1_000_000_000L), Quota.MAX_CAPACITY));
    assertTrue(l.tryConsume(Quota.MAX_CAPACITY));
    assertFalse(l.tryConsume(1));
    clock.advance(1);
    assertTrue(l.tryConsume(1));
  }

  @Test
  void builderValidation() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> GcraLimiter.builder().build());
    assertTrue(none.getMessage().contains("at least one quota"), none.getMessage());
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
        () -> GcraLimiter.builder().quota(Quota.of(Rate.perSecond(1), 1)).quota(Quota.of(Rate.perHour(1), 1))
            .build());
    assertTrue(dup.getMessage().contains("unique"), dup.getMessage());
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
        () -> GcraLimiter.builder().initialRemaining(-1));
    assertTrue(neg.getMessage().contains("initialRemaining"), neg.getMessage());
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> GcraLimiter.builder().quota(Quota.of(Rate.perSecond(1), 5)).initialRemaining(6).build());
    assertTrue(tooMany.getMessage().contains("initialRemaining"), tooMany.getMessage());
    NullPointerException nullQuota = assertThrows(NullPointerException.class,
        () -> GcraLimiter.builder().quota(null));
    assertEquals("quota", nullQuota.getMessage());
    NullPointerException nullClock = assertThrows(NullPointerException.class,
        () -> GcraLimiter.builder().clock(null));
    assertEquals("clock", nullClock.getMessage());
  }

  @Test
  void builderIsNotAffectedByLaterChanges() {
    GcraLimiter.Builder b = GcraLimiter.builder().clock(clock).quota(Quota.of(Rate.perSecond(1), 1));
    GcraLimiter l = b.build();
    b.quota(Quota.of("other", Rate.perSecond(1), 1));
    assertEquals(1, l.quotas().size());
    assertThrows(UnsupportedOperationException.class, () -> l.quotas().add(Quota.of(Rate.perSecond(1), 1)));
    assertEquals(List.of(Quota.of(Rate.perSecond(1), 1)), l.quotas());
  }
}
