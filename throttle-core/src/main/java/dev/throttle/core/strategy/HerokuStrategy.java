package dev.throttle.core.strategy;

import dev.throttle.core.time.DurationChecks;
import dev.throttle.core.headers.RateLimitHeaders;

import java.time.Duration;

/**
 * The common base of the four strategies ported from Heroku's {@code rate_throttle_client} v0.1.2:
 * {@link ExponentialBackoffStrategy} and, through {@link StoredSleep}, the three variants that keep a stored
 * sleep between calls. It exists so the four share one implementation and one set of builder setters
 * ({@link Builder}, {@link StoredBuilder}, {@link ProportionalBuilder}); it is sealed, so no other subclass
 * can exist, and users normally name the concrete classes only.
 *
 * <p>Times are nanoseconds (or {@link Duration}s in the builders). Thread-safe: the only shared mutable state is
 * the stored sleep (an atomic long) and the lock-free jitter stream.
 */
public abstract sealed class HerokuStrategy implements ThrottleStrategy
    permits ExponentialBackoffStrategy, HerokuStrategy.StoredSleep {

  final HerokuEngine engine;

  /** @param decrease the stored variants' rule applied after a call's final response; null for none */
  HerokuStrategy(Builder<?> b, HerokuEngine.Decrease decrease) {
    this.engine = new HerokuEngine(b, decrease);
  }

  @Override
  public final Call newCall(long nowNanos) {
    return engine.newCall();
  }

  /**
   * Returns the largest delay this strategy can hand out.
   *
   * @return the largest delay, in nanoseconds
   */
  public final long maxDelayNanos() {
    return engine.maxDelayNanos();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }

  /**
   * A variant with a stored sleep {@code S}, waited (plus jitter) before every call and updated after each
   * call's final response, last writer wins. Thread-safe.
   */
  public abstract static sealed class StoredSleep extends HerokuStrategy
      permits ExponentialIncreaseGradualDecreaseStrategy, ExponentialIncreaseProportionalDecreaseStrategy,
          ExponentialIncreaseProportionalRemainingDecreaseStrategy {

    StoredSleep(StoredBuilder<?> b, HerokuEngine.Decrease decrease) {
      super(b, decrease);
    }

    /**
     * Returns the stored sleep {@code S} every call currently starts with.
     *
     * @return the stored sleep, in nanoseconds
     */
    public final long storedSleepNanos() {
      return engine.storedSleepNanos();
    }

    /**
     * Returns the stored sleep ({@link #storedSleepNanos()}): each call waits it before its first attempt, so a
     * single thread's attempts are spaced by at least it (concurrent calls are not queued behind each other).
     * No side effect.
     *
     * @return the stored sleep, in nanoseconds, {@code >= 0}
     */
    @Override
    public final long pacingIntervalNanos() {
      return storedSleepNanos();
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + "[sleep=" + Duration.ofNanos(storedSleepNanos()) + "]";
    }
  }

  /**
   * Settings shared by the Heroku-family builders. Defaults are {@code rate_throttle_client}'s: minSleep
   * 0.8 s (3600 s / 4500), multiplier 1.2, jitter fraction 0.1, starting sleep 0; maxSleep (not in the Ruby
   * gem, which never caps) defaults to 24 h, {@link RateLimitHeaders#MAX_DELAY_NANOS}. Not thread-safe.
   *
   * @param <B> the concrete builder type
   */
  public abstract static class Builder<B extends Builder<B>> extends SeededBuilder<B> {
    long minSleepNanos = HerokuDefaults.MIN_SLEEP_NANOS;
    double multiplier = HerokuDefaults.MULTIPLIER;
    double jitterFraction = HerokuDefaults.JITTER_FRACTION;
    long maxSleepNanos = RateLimitHeaders.MAX_DELAY_NANOS;
    long startingSleepNanos;

    Builder() {}

    /**
     * Sets the base sleep added on each 429 (and the first backoff of {@code ExponentialBackoff}); default
     * 0.8 s.
     *
     * @param minSleep the new value
     * @return this builder
     * @throws NullPointerException if {@code minSleep} is null
     * @throws IllegalArgumentException if it is not positive (a zero base sleep would retry 429s in a tight
     *     loop: every backoff {@code 0 × 1.2^n} is zero)
     */
    public B minSleep(Duration minSleep) {
      minSleepNanos = DurationChecks.positiveNanos(minSleep, "minSleep");
      return self();
    }

    /**
     * Sets the factor applied to the sleep after each 429; default 1.2.
     *
     * @param multiplier the new value
     * @return this builder
     * @throws IllegalArgumentException if it is below 1 or not finite
     */
    public B multiplier(double multiplier) {
      this.multiplier = Retries.atLeast(multiplier, 1, "multiplier");
      return self();
    }

    /**
     * Sets the jitter: each sleep {@code s} becomes {@code s + s × U[0, fraction)}; default 0.1.
     *
     * @param fraction the new value
     * @return this builder
     * @throws IllegalArgumentException if it is outside {@code [0, 1]}
     */
    public B jitterFraction(double fraction) {
      this.jitterFraction = Retries.zeroToOne(fraction, "jitterFraction");
      return self();
    }

    /**
     * Sets the cap on the nominal sleep (jitter comes on top); default 24 h.
     *
     * @param maxSleep the new value
     * @return this builder
     * @throws NullPointerException if {@code maxSleep} is null
     * @throws IllegalArgumentException if it is not positive
     */
    public B maxSleep(Duration maxSleep) {
      maxSleepNanos = DurationChecks.positiveNanos(maxSleep, "maxSleep");
      return self();
    }

  }

  /**
   * Settings of the stored-sleep variants: the sleep the first calls start with. Not thread-safe.
   *
   * @param <B> the concrete builder type
   */
  public abstract static class StoredBuilder<B extends StoredBuilder<B>> extends Builder<B> {

    StoredBuilder() {}

    /**
     * Sets the stored sleep the first calls start with; default 0.
     *
     * @param startingSleep the new value
     * @return this builder
     * @throws NullPointerException if {@code startingSleep} is null
     * @throws IllegalArgumentException if it is negative
     */
    public B startingSleep(Duration startingSleep) {
      startingSleepNanos = DurationChecks.nonNegativeNanos(startingSleep, "startingSleep");
      return self();
    }
  }

  /**
   * Settings of the two proportional-decrease variants: the divisor of the decrease. Not thread-safe.
   *
   * @param <B> the concrete builder type
   */
  public abstract static class ProportionalBuilder<B extends ProportionalBuilder<B>> extends StoredBuilder<B> {
    double decreaseDivisor = HerokuDefaults.MAX_LIMIT;

    ProportionalBuilder() {}

    /**
     * Sets the divisor of the decrease; default 4500 ({@code max_limit}, the size of Heroku's bucket).
     *
     * @param divisor the new value
     * @return this builder
     * @throws IllegalArgumentException if it is below 1 or not finite
     */
    public B decreaseDivisor(double divisor) {
      this.decreaseDivisor = Retries.atLeast(divisor, 1, "decreaseDivisor");
      return self();
    }
  }
}
