package dev.throttle.core.limiter;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A rate limiter per key, whatever keeps the state: {@link KeyedGcraLimiter} keeps it in this process,
 * {@code dev.throttle.redis.RedisGcraLimiter} (module {@code throttle-redis}) in Redis, shared by a fleet of
 * servers. A server written against this interface switches between them by configuration.
 *
 * <p>Semantics are those of {@link GcraLimiter}, per key: every key gets the same {@link #quotas()}, decided
 * atomically; {@code cost} 0 is a peek; a cost above a quota's capacity is {@link Decision#EXCEEDS_CAPACITY};
 * {@link #tryAcquireAtMost} grants as many units as fit. The {@link RateLimitResult} figures are the same for
 * every implementation, so {@code RateLimitHeaderWriter} works unchanged.
 *
 * <p>Blocking calls return within a bounded time: the local limiter never waits, a remote one within its
 * configured per-decision timeout (then it answers as its failure mode says). The asynchronous variants
 * default to the blocking call completed at once; a remote implementation overrides them to send without
 * blocking the caller.
 *
 * <p>Implementations are thread-safe.
 *
 * @param <K> the key type
 */
public interface KeyedRateLimiter<K> {

  /**
   * Tries to admit {@code cost} units for {@code key}, all or nothing.
   *
   * @throws IllegalArgumentException if {@code cost < 0}
   * @throws NullPointerException if {@code key} is null
   * @param key the key; never null
   * @param cost units to admit, {@code >= 0}
   * @return the decision and figures
   */
  RateLimitResult tryAcquire(K key, long cost);

  /**
   * Tries to admit one unit for {@code key}.
   *
   * @throws NullPointerException if {@code key} is null
   * @param key the key; never null
   * @return the decision and figures
   */
  default RateLimitResult tryAcquire(K key) {
    return tryAcquire(key, 1);
  }

  /**
   * Grants {@code min(maxUnits, units that fit now)} units for {@code key}; {@link Decision#LIMITED} with the
   * wait for one unit when nothing fits. {@code maxUnits = 0} is a peek.
   *
   * @throws IllegalArgumentException if {@code maxUnits < 0}
   * @throws NullPointerException if {@code key} is null
   * @param key the key; never null
   * @param maxUnits the most units to grant, {@code >= 0}
   * @return the decision and figures
   */
  RateLimitResult tryAcquireAtMost(K key, long maxUnits);

  /**
   * Asynchronous {@link #tryAcquire(Object, long)}. The stage never completes exceptionally for a remote
   * failure: the failure mode answers instead. Argument errors are thrown at once.
   * @param key the key; never null
   * @param cost units to admit, {@code >= 0}
   * @return a stage that completes with the decision and figures
   */
  default CompletionStage<RateLimitResult> tryAcquireAsync(K key, long cost) {
    return CompletableFuture.completedFuture(tryAcquire(key, cost));
  }

  /**
   * Asynchronous {@link #tryAcquireAtMost(Object, long)}; see {@link #tryAcquireAsync(Object, long)}.
   * @param key the key; never null
   * @param maxUnits the most units to grant, {@code >= 0}
   * @return a stage that completes with the decision and figures
   */
  default CompletionStage<RateLimitResult> tryAcquireAtMostAsync(K key, long maxUnits) {
    return CompletableFuture.completedFuture(tryAcquireAtMost(key, maxUnits));
  }

  /**
   * Forgets {@code key}: its next request finds full capacity.
   *
   * @throws NullPointerException if {@code key} is null
   * @param key the key; never null
   */
  void reset(K key);

  /**
   * Returns the quotas every key gets, in configuration order (unmodifiable).
   * @return the quotas every key gets, in configuration order (unmodifiable)
   */
  List<Quota> quotas();
}
