package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The arithmetic shared by the four strategies ported from Heroku's {@code rate_throttle_client} (v0.1.2):
 * a sleep {@code s} that grows on each 429 ({@code s += minSleep} for the stored-sleep variants, then sleep
 * {@code s + jitter(s)}, then {@code s *= multiplier}) and, for the stored variants, shrinks by a
 * strategy-specific rule after the final response. Jitter is {@code s × U[0, jitterFraction)}, always added.
 *
 * <p>Sleeps are doubles of nanoseconds internally (the Ruby arithmetic is fractional) and are clamped to
 * {@code [0, maxSleep]} after every step, so the delay handed out is a long in
 * {@code [0, maxSleep × (1 + jitterFraction)]}. The stored sleep of the shared variants lives in an
 * {@link AtomicLong} of nanoseconds, read when a call starts and written when it ends: last writer wins,
 * exactly like the Ruby instance variable, but without a data race.
 */
final class HerokuEngine {

  /** Recomputes the sleep after the final (non-retried) response of a call. */
  @FunctionalInterface
  interface Decrease {
    double apply(double sleepNanos, RateLimitHeaders finalHeaders);
  }

  private final long minSleepNanos;
  private final double multiplier;
  private final double jitterFraction;
  private final long maxSleepNanos;
  private final long maxDelayNanos;
  private final JitterSource random;
  private final Decrease decrease; // null: ExponentialBackoff, no state between calls
  private final AtomicLong storedSleepNanos;

  HerokuEngine(HerokuStrategy.Builder<?> b, Decrease decrease) {
    if (b.startingSleepNanos > b.maxSleepNanos) {
      throw new IllegalArgumentException("startingSleep (" + Duration.ofNanos(b.startingSleepNanos)
          + ") must not exceed maxSleep (" + Duration.ofNanos(b.maxSleepNanos) + ")");
    }
    if (b.minSleepNanos > b.maxSleepNanos) {
      throw new IllegalArgumentException("minSleep (" + Duration.ofNanos(b.minSleepNanos)
          + ") must not exceed maxSleep (" + Duration.ofNanos(b.maxSleepNanos) + ")");
    }
    this.minSleepNanos = b.minSleepNanos;
    this.multiplier = b.multiplier;
    this.jitterFraction = b.jitterFraction;
    this.maxSleepNanos = b.maxSleepNanos;
    double maxDelay = b.maxSleepNanos * (1 + b.jitterFraction);
    this.maxDelayNanos = maxDelay >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(maxDelay);
    this.random = b.jitterSource();
    this.decrease = decrease;
    this.storedSleepNanos = new AtomicLong(b.startingSleepNanos);
  }

  ThrottleStrategy.Call newCall() {
    return decrease == null ? new BackoffCall() : new StoredCall(storedSleepNanos.get());
  }

  long storedSleepNanos() {
    return storedSleepNanos.get();
  }

  long maxDelayNanos() {
    return maxDelayNanos;
  }

  private double clamp(double sleepNanos) {
    if (!(sleepNanos > 0)) {
      return 0;
    }
    return Math.min(sleepNanos, maxSleepNanos);
  }

  /** Returns {@code nominal + jitter(nominal)} as nanoseconds; draws randomness only for a positive sleep. */
  private long jittered(double nominalNanos) {
    if (!(nominalNanos > 0)) {
      return 0;
    }
    double withJitter = nominalNanos + nominalNanos * jitterFraction * random.nextDouble();
    return Retries.toNanos(withJitter, maxDelayNanos);
  }

  /** {@code ExponentialBackoff}: nothing before the first attempt; {@code s} starts at minSleep per call. */
  private final class BackoffCall implements ThrottleStrategy.Call {
    private double sleep = minSleepNanos;
    private double pending; // nominal sleep before the next attempt; 0 for the first

    @Override
    public long delayNanos(long nowNanos) {
      return jittered(pending);
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      if (!Retries.shouldRetry(status, headers)) {
        return false;
      }
      pending = sleep;
      sleep = clamp(sleep * multiplier);
      return true;
    }
  }

  /** The stored-sleep variants: sleep {@code S} before the first attempt, grow on 429, decrease at the end. */
  private final class StoredCall implements ThrottleStrategy.Call {
    private double sleep;
    private double pending;

    StoredCall(long storedNanos) {
      sleep = storedNanos;
      pending = storedNanos;
    }

    @Override
    public long delayNanos(long nowNanos) {
      return jittered(pending);
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      if (Retries.shouldRetry(status, headers)) {
        sleep = clamp(sleep + minSleepNanos);
        pending = sleep;
        sleep = clamp(sleep * multiplier);
        return true;
      }
      sleep = clamp(decrease.apply(sleep, headers));
      storedSleepNanos.set(Math.round(sleep));
      return false;
    }
  }
}
