package dev.throttle.redis;

/**
 * Hears when a Redis-backed component ({@link RedisGcraLimiter}, {@link RedisSharedThrottleState}) stops
 * getting answers from Redis and when it gets them again. Called on the thread that noticed (a caller's or
 * a Lettuce I/O thread): keep it short and non-blocking, never throw.
 */
public interface RedisHealthListener {

  /** A listener that ignores everything. */
  RedisHealthListener NONE = new RedisHealthListener() {};

  /**
   * Redis failed to answer (error or per-decision timeout) after having answered, or at the first call.
   * Called once per outage, not for every failing call.
   *
   * @param component a short name of the component ({@code toString()} of the limiter or state)
   * @param cause the first failure of this outage
   */
  default void onRedisDown(String component, Throwable cause) {}

  /**
   * Redis answered again after an outage.
   *
   * @param component as for {@link #onRedisDown}
   * @param downNanos how long the outage lasted, from the first failure to this answer
   * @param failedCalls calls answered by the failure mode during the outage
   */
  default void onRedisUp(String component, long downNanos, long failedCalls) {}
}
