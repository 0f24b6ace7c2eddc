package dev.throttle.redis;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every Redis-backed component of this module shares: the key prefix, the most time one call to
 * Redis may take, how often a failing Redis is tried again, and who hears of outages. Extended by
 * {@link RedisGcraLimiter.Builder} and {@link RedisSharedThrottleState.Builder}, so both spell these settings
 * the same way and check them the same way (durations must be positive; a prefix must not contain a brace,
 * which would break the hash tag that keeps one decision's keys in one Redis Cluster slot).
 *
 * <p>Not thread-safe; configure on one thread, then build.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RedisClientBuilder<B extends RedisClientBuilder<B>> {

  final RedisScriptingAsyncCommands<String, String> redis;
  String prefix;
  Duration timeout;
  Duration probeInterval = Duration.ofMillis(250);
  RedisHealthListener listener = RedisHealthListener.NONE;

  RedisClientBuilder(RedisScriptingAsyncCommands<String, String> redis, String prefix, Duration timeout) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.prefix = prefix;
    this.timeout = timeout;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Sets the prefix of every Redis key; components with different settings on the same keys need different
   * prefixes.
   *
   * @param prefix the prefix
   * @return this builder
   * @throws IllegalArgumentException if the prefix contains a brace (it would break the hash tag)
   */
  public B keyPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("keyPrefix must not contain braces: " + prefix);
    }
    this.prefix = prefix;
    return self();
  }

  /**
   * Sets the most time one call to Redis may take; then the component's failure behaviour answers.
   *
   * @param timeout the timeout, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public B timeout(Duration timeout) {
    this.timeout = positive(timeout, "timeout");
    return self();
  }

  /**
   * Sets how often a failing Redis is tried again (default 250 ms); calls in between do not wait for it.
   *
   * @param interval the interval, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public B probeInterval(Duration interval) {
    this.probeInterval = positive(interval, "probeInterval");
    return self();
  }

  /**
   * Sets the listener told of outages and recoveries (default none).
   *
   * @param listener the listener
   * @return this builder
   */
  public B listener(RedisHealthListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }
}
