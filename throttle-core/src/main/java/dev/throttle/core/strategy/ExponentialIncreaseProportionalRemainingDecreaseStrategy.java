package dev.throttle.core.strategy;

/**
 * Heroku's {@code ExponentialIncreaseProportionalRemainingDecrease}, the strategy the {@code platform-api} gem
 * ships: a stored sleep {@code S} (starting at 0) is waited, plus jitter, before every call; on each 429
 * {@code s += minSleep} (0.8 s), sleep {@code s + jitter(s)}, then {@code s *= 1.2}; after the final response
 * {@code S = max(s − s × remaining / 4500, 0)}, where remaining is the final response's
 * {@code RateLimit-Remaining} (0 when absent, as Ruby's {@code to_i}: the sleep then never shrinks).
 * Jitter is {@code s × U[0, 0.1)}, always added. A full bucket (remaining 4500) resets the sleep to 0.
 *
 * <p>One instance is shared by all threads of a client, as in the Ruby gem. The stored sleep is an atomic
 * long of nanoseconds, read when a call starts and overwritten when it ends: <b>last writer wins</b>, the
 * gem's deliberate race (fast threads write more often) kept without a data race. The nominal sleep is
 * clamped to {@code [0, maxSleep]} (default 24 h) so every delay is in {@code [0, maxSleep × 1.1]}.
 * Retries 429, and 503 with Retry-After.
 *
 * <p>Thread-safe.
 */
public final class ExponentialIncreaseProportionalRemainingDecreaseStrategy extends HerokuStrategy.StoredSleep {

  private ExponentialIncreaseProportionalRemainingDecreaseStrategy(Builder b) {
    super(b, proportionalToRemaining(b.decreaseDivisor));
  }

  private static HerokuEngine.Decrease proportionalToRemaining(double divisor) {
    return (s, headers) -> {
      long remaining = headers.hasRemaining() ? headers.remaining() : 0;
      return Math.max(s - s * remaining / divisor, 0);
    };
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
  public static ExponentialIncreaseProportionalRemainingDecreaseStrategy create() {
    return builder().build();
  }

  /** Builds a {@link ExponentialIncreaseProportionalRemainingDecreaseStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder extends HerokuStrategy.ProportionalBuilder<Builder> {
    private Builder() {}

    /**
     * Returns a new strategy with these settings.
     *
     * @return a new strategy with these settings
     * @throws IllegalArgumentException if minSleep or startingSleep exceeds maxSleep
     */
    public ExponentialIncreaseProportionalRemainingDecreaseStrategy build() {
      return new ExponentialIncreaseProportionalRemainingDecreaseStrategy(this);
    }
  }
}
