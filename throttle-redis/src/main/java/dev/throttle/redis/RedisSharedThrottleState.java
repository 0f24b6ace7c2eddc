package dev.throttle.redis;

import dev.throttle.core.strategy.InProcessSharedThrottleState;
import dev.throttle.core.strategy.SharedThrottleState;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@link SharedThrottleState} of a client fleet kept in Redis: every process that uses the same API token
 * names the same key, wraps its strategy in {@link dev.throttle.core.strategy.SharedStateStrategy}, and the
 * fleet gets one schedule of send slots, one not-before instant and one learned rate.
 *
 * <pre>{@code
 * RedisConnection redis = RedisConnection.open("redis://127.0.0.1:6379", Duration.ofMillis(50));
 * SharedThrottleState state = RedisSharedThrottleState.builder(redis.commands(), "token-42").build();
 * ThrottleStrategy strategy = SharedStateStrategy.wrap(Strategies.defaultStrategy(seed), state);
 * }</pre>
 *
 * <p>One Lua script call per reservation (one round trip, Redis's {@code TIME} as the clock, integer
 * microseconds); learning costs a call only when a response holds the fleet off or changes the rate. The key
 * ({@code prefix + "{" + name + "}"}) is kept for the idle lifetime (default 1 h) after its last use, because the
 * learned rate stays useful after the slots have passed.
 *
 * <p><b>Failures.</b> Each call has a timeout (default 50 ms). When Redis errs or is late, this process falls
 * back to a local {@link InProcessSharedThrottleState} (it then throttles as a client on its own: the wrapped
 * strategy's own pacing still applies), logs a warning once per outage, tells the {@link RedisHealthListener},
 * and probes Redis again every probe interval. Never throws, never blocks longer than the timeout.
 *
 * <p>Thread-safe.
 */
public final class RedisSharedThrottleState implements SharedThrottleState {

  private static final LuaScript SCRIPT = LuaScript.resource("shared.lua");

  private final RedisScriptingAsyncCommands<String, String> redis;
  private final String[] key;
  private final long timeoutNanos;
  private final String idleMillis;
  private final RedisHealth health;
  private final InProcessSharedThrottleState local = InProcessSharedThrottleState.create();
  private volatile long interval;

  private RedisSharedThrottleState(Builder b) {
    this.redis = b.redis;
    this.key = new String[] {b.prefix + "{" + b.name + "}"};
    this.timeoutNanos = b.timeout.toNanos();
    this.idleMillis = Long.toString(Math.max(1, b.idleLifetime.toMillis()));
    this.health = new RedisHealth(toString(), b.listener, b.probeInterval.toNanos());
  }

  /**
   * Returns a builder for the state named {@code name} (e.g. the API token's id; not the secret itself).
   *
   * @throws NullPointerException if an argument is null
   * @param redis the redis
   * @param name the name
   * @return a builder for the state named {@code name} (e.g
   */
  public static Builder builder(RedisScriptingAsyncCommands<String, String> redis, String name) {
    return new Builder(Objects.requireNonNull(redis, "redis"), Objects.requireNonNull(name, "name"));
  }

  @Override
  public long reserveSlot(long nowNanos, long minDelayNanos) {
    long min = Math.max(0, minDelayNanos);
    List<Object> r = call("slot", Long.toString(min / 1000 + (min % 1000 == 0 ? 0 : 1)), "-1");
    if (r == null) {
      return local.reserveSlot(nowNanos, min);
    }
    interval = micros(r.get(1)) * 1000;
    return Math.max(min, micros(r.get(0)) * 1000);
  }

  @Override
  public void learn(long nowNanos, long holdOffNanos, long intervalNanos) {
    local.learn(nowNanos, holdOffNanos, intervalNanos);
    long h = Math.max(0, holdOffNanos);
    List<Object> r = call("learn", Long.toString(h / 1000 + (h % 1000 == 0 ? 0 : 1)),
        Long.toString(intervalNanos < 0 ? -1 : (intervalNanos + 999) / 1000));
    if (r != null) {
      interval = micros(r.get(1)) * 1000;
    }
  }

  @Override
  public long intervalNanos() {
    return health.failing() ? local.intervalNanos() : interval;
  }

  @Override
  public String toString() {
    return "RedisSharedThrottleState[" + key[0] + "]";
  }

  private static long micros(Object o) {
    return (Long) o;
  }

  /** One script call; null when Redis did not answer in time (the failure is recorded). */
  private List<Object> call(String op, String a, String b) {
    if (!health.shouldTry()) {
      health.skipped();
      return null;
    }
    try {
      List<Object> r = SCRIPT.call(redis, key, new String[] {op, a, b, idleMillis}, timeoutNanos);
      health.success();
      return r;
    } catch (RuntimeException e) {
      health.failure(e, FailureMode.LOCAL);
      return null;
    }
  }

  /**
   * Configures a {@link RedisSharedThrottleState}: the idle lifetime here; key prefix (default
   * {@code "throttle-fleet:"}), call timeout (default 50 ms), probe interval and listener in
   * {@link RedisClientBuilder}. Not thread-safe.
   */
  public static final class Builder extends RedisClientBuilder<Builder> {

    private final String name;
    private Duration idleLifetime = Duration.ofHours(1);

    private Builder(RedisScriptingAsyncCommands<String, String> redis, String name) {
      super(redis, "throttle-fleet:", Duration.ofMillis(50)); // key prefix, call timeout
      this.name = name;
    }

    /**
     * Sets how long the key lives after its last use (default 1 h).
     *
     * @throws IllegalArgumentException if not positive
     * @param lifetime the lifetime
     * @return this builder
     */
    public Builder idleLifetime(Duration lifetime) {
      this.idleLifetime = positive(lifetime, "idleLifetime");
      return this;
    }

    /**
     * Builds the state; connects nothing.
     * @return a new shared state
     */
    public RedisSharedThrottleState build() {
      return new RedisSharedThrottleState(this);
    }
  }
}
