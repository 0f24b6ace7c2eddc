package dev.throttle.core.strategy;

/**
 * Heroku's {@code ExponentialBackoff}: each call waits nothing before its first attempt; on each 429 it
 * sleeps {@code s + jitter(s)} with {@code s} starting at minSleep (0.8 s) and then growing by
 * {@code s *= 1.2}. Jitter is {@code s × U[0, 0.1)}, always added. Nothing is kept between calls.
 *
 * <p>A faithful port of {@code rate_throttle_client} v0.1.2 for comparison (its published 30-minute bench:
 * about 80 % of attempts are 429s); retries 429, and 503 with Retry-After. The nominal sleep is capped at
 * maxSleep (default 24 h), so every delay is in {@code [0, maxSleep × 1.1]}.
 *
 * <p>Thread-safe: no shared mutable state besides the lock-free jitter stream.
 */
public final class ExponentialBackoffStrategy extends HerokuStrategy {

  private ExponentialBackoffStrategy(Builder b) {
    super(b, null);
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
  public static ExponentialBackoffStrategy create() {
    return builder().build();
  }

  /** Builds an {@link ExponentialBackoffStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder extends HerokuStrategy.Builder<Builder> {
    private Builder() {}

    /**
     * Returns a new strategy with these settings.
     *
     * @return a new strategy with these settings
     * @throws IllegalArgumentException if minSleep exceeds maxSleep
     */
    public ExponentialBackoffStrategy build() {
      return new ExponentialBackoffStrategy(this);
    }
  }
}
