package dev.throttle.core.strategy;

/** The constants of Heroku's {@code rate_throttle_client} v0.1.2 ({@code lib/rate_throttle_client.rb}). */
final class HerokuDefaults {

  /** {@code max_limit}: the capacity of Heroku's API bucket, 4500 requests. */
  static final double MAX_LIMIT = 4500;
  /** {@code min_sleep = 3600 / max_limit} = 0.8 s: one request's share of an hour at 4500 per hour. */
  static final long MIN_SLEEP_NANOS = 800_000_000L;
  /** {@code multiplier}: the sleep grows by 20 % per 429. */
  static final double MULTIPLIER = 1.2;
  /** Jitter {@code v × rand(0.0..0.1)}, always added. */
  static final double JITTER_FRACTION = 0.1;

  private HerokuDefaults() {}
}
