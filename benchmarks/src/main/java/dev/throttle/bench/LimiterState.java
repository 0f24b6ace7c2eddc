package dev.throttle.bench;

import dev.throttle.core.limiter.GcraLimiter;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;

import com.google.common.util.concurrent.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Every limiter under test, configured for one path and shared by all benchmark threads (so two threads
 * contend on the same limiter, as requests of one client would).
 *
 * <ul>
 *   <li>{@code allowing}: a rate so high that every call is admitted (1e9/s with a capacity no run can drain;
 *       Bucket4j 1e9/s greedy with capacity 1e15; Resilience4j 2^31-1 per second; Guava {@code Long.MAX_VALUE/2}
 *       per second).
 *   <li>{@code rejecting}: 1 per year, drained at setup, so every call is refused.
 * </ul>
 */
@State(Scope.Benchmark)
public class LimiterState {

  /** Whether the limiters admit ({@code allowing}) or refuse ({@code rejecting}) every call. */
  @Param({"allowing", "rejecting"})
  public String path;

  GcraLimiter gcra;
  KeyedGcraLimiter<String> keyed;
  MinimalGcra minimal;
  Bucket bucket4jLockFree;
  Bucket bucket4jSynchronized;
  AtomicRateLimiter resilience4j;
  RateLimiter guava;

  /** Builds every limiter for the trial's path. */
  @Setup(Level.Trial)
  public void setUp() {
    boolean allowing = path.equals("allowing");
    Duration year = Duration.ofDays(365);
    Quota quota = allowing ? Quota.of(Rate.perSecond(1_000_000_000L), Quota.MAX_CAPACITY) : Quota.of(Rate.of(1, year), 1);
    gcra = GcraLimiter.builder().quota(quota).initialRemaining(allowing ? quota.capacity() : 0).build();
    keyed = KeyedGcraLimiter.<String>builder().quota(quota).build();
    minimal = allowing ? new MinimalGcra(1, Quota.MAX_CAPACITY) : new MinimalGcra(year.toNanos(), 1);
    bucket4jLockFree = bucket(allowing, SynchronizationStrategy.LOCK_FREE);
    bucket4jSynchronized = bucket(allowing, SynchronizationStrategy.SYNCHRONIZED);
    resilience4j = new AtomicRateLimiter("bench", RateLimiterConfig.custom()
        .limitForPeriod(allowing ? Integer.MAX_VALUE : 1)
        .limitRefreshPeriod(allowing ? Duration.ofSeconds(1) : year)
        .timeoutDuration(Duration.ZERO)
        .build());
    guava = RateLimiter.create(allowing ? Long.MAX_VALUE / 2.0 : 1.0 / year.toSeconds());
    if (!allowing) {
      // drain everything that starts with a permit
      keyed.tryConsume("k", 1);
      minimal.tryAcquire();
      resilience4j.acquirePermission();
      guava.tryAcquire();
      check(!gcra.tryConsume(1) && !keyed.tryConsume("k", 1) && !minimal.tryAcquire()
          && !bucket4jLockFree.tryConsume(1) && !bucket4jSynchronized.tryConsume(1)
          && !resilience4j.acquirePermission() && !guava.tryAcquire(), "rejecting path admits");
    } else {
      check(gcra.tryConsume(1) && keyed.tryConsume("k", 1) && minimal.tryAcquire()
          && bucket4jLockFree.tryConsume(1) && bucket4jSynchronized.tryConsume(1)
          && resilience4j.acquirePermission() && guava.tryAcquire(), "allowing path refuses");
    }
  }

  private static Bucket bucket(boolean allowing, SynchronizationStrategy sync) {
    return Bucket.builder()
        .addLimit(limit -> allowing
            ? limit.capacity(1_000_000_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofSeconds(1))
            : limit.capacity(1).refillGreedy(1, Duration.ofDays(365)).initialTokens(0))
        .withNanosecondPrecision()
        .withSynchronizationStrategy(sync)
        .build();
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
