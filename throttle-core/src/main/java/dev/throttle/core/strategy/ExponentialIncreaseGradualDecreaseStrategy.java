package dev.throttle.core.strategy;

import dev.throttle.core.time.DurationChecks;
import java.time.Duration;

/**
 * Heroku's {@code ExponentialIncreaseGradualDecrease}: a stored sleep {@code S} (starting at 0) is waited,
 * plus jitter, before every call; on each 429 {@code s += minSleep} (0.8 s), sleep {@code s + jitter(s)},
 * then {@code s *= 1.2}; after the final response {@code S = max(s − decrease, 0)} with decrease 0.8 s by
 * default (it follows minSleep unless set). Jitter is {@code s × U[0, 0.1)}, always added.
 *
 * <p>One instance is shared by all threads of a client, as in the Ruby gem. The stored sleep is an atomic
 * long of nanoseconds, read when a call starts and overwritten when it ends: <b>last writer wins</b>, the
 * gem's deliberate race (fast threads write more often) kept without a data race. The nominal sleep is
 * clamped to {@code [0, maxSleep]} (default 24 h) so every delay is in {@code [0, maxSleep × 1.1]}.
 * Retries 429, and 503 with Retry-After.
 *
 * <p>Thread-safe.
 */
public final class ExponentialIncreaseGradualDecreaseStrategy extends HerokuStrategy.StoredSleep {

  private ExponentialIncreaseGradualDecreaseStrategy(Builder b) {
    super(b, gradual(b.decreaseNanos >= 0 ? b.decreaseNanos : b.minSleepNanos));
  }

  private static HerokuEngine.Decrease gradual(long decreaseNanos) {
    return (s, headers) -> Math.max(s - decreaseNanos, 0);
  }

  /**
   * Returns a builder with Heroku's defaults.
   * @return a builder with Heroku's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a strategy with Heroku's defaults and {@link Strategies#DEFAULT_SEED}.
   * @return a strategy with Heroku's defaults and {@link Strategies#DEFAULT_SEED}
   */
  public static ExponentialIncreaseGradualDecreaseStrategy create() {
    return builder().build();
  }

  /** Builds a {@link ExponentialIncreaseGradualDecreaseStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder extends HerokuStrategy.StoredBuilder<Builder> {
    private long decreaseNanos = -1; // -1: follow minSleep

    private Builder() {}

    /**
     * Sets the amount subtracted from the sleep after each call; default: minSleep (0.8 s).
     *
     * @param decrease the amount subtracted from the sleep after each call
     * @return this builder
     * @throws NullPointerException if {@code decrease} is null
     * @throws IllegalArgumentException if it is negative
     */
    public Builder decrease(Duration decrease) {
      this.decreaseNanos = DurationChecks.nonNegativeNanos(decrease, "decrease");
      return this;
    }

    /**
     * Returns a new strategy with these settings.
     *
     * @return a new strategy with these settings
     * @throws IllegalArgumentException if minSleep or startingSleep exceeds maxSleep
     */
    public ExponentialIncreaseGradualDecreaseStrategy build() {
      return new ExponentialIncreaseGradualDecreaseStrategy(this);
    }
  }
}
