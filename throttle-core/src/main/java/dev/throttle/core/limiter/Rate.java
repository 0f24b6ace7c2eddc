package dev.throttle.core.limiter;

import dev.throttle.core.time.DurationChecks;

import java.time.Duration;

/**
 * A sustained rate: {@code count} units per {@code period}, e.g. 10 per second or 1 per 3 minutes.
 *
 * <p>The rate is held as the <em>emission interval</em> {@code T = period / count} in whole nanoseconds,
 * rounded up, so a limiter never admits faster than configured (the rounding error is below 1 ns per unit).
 * Representable rates run from one unit per 292 years up to 10<sup>9</sup> per second
 * (T = 1 ns); a faster rate is rejected rather than silently slowed.
 *
 * <p>Immutable and thread-safe.
 */
public final class Rate {

  private final long count;
  private final Duration period;
  private final long emissionIntervalNanos;

  private Rate(long count, Duration period) {
    long periodNanos = DurationChecks.positiveNanos(period, "period");
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    if (count > periodNanos) {
      throw new IllegalArgumentException(
          "rate " + count + " per " + period + " is faster than 1 per nanosecond (10^9 per second)");
    }
    this.count = count;
    this.period = period;
    // ceil(periodNanos / count) without overflow
    this.emissionIntervalNanos = periodNanos / count + (periodNanos % count == 0 ? 0 : 1);
  }

  /**
   * Returns the rate of {@code count} units per {@code period}.
   *
   * @param count units per period, {@code > 0}
   * @param period the period, positive
   * @return the rate of {@code count} units per {@code period}
   * @throws IllegalArgumentException if {@code count <= 0}, {@code period} is not positive, longer than
   *     {@link Long#MAX_VALUE} nanoseconds, or the rate is faster than one unit per nanosecond
   * @throws NullPointerException if {@code period} is null
   */
  public static Rate of(long count, Duration period) {
    return new Rate(count, period);
  }

  /**
   * Returns {@code count} units per second.
   * @param count units per second, {@code > 0}
   * @return {@code count} units per second
   */
  public static Rate perSecond(long count) {
    return new Rate(count, Duration.ofSeconds(1));
  }

  /**
   * Returns {@code count} units per minute.
   * @param count units per minute, {@code > 0}
   * @return {@code count} units per minute
   */
  public static Rate perMinute(long count) {
    return new Rate(count, Duration.ofMinutes(1));
  }

  /**
   * Returns {@code count} units per hour.
   * @param count units per hour, {@code > 0}
   * @return {@code count} units per hour
   */
  public static Rate perHour(long count) {
    return new Rate(count, Duration.ofHours(1));
  }

  /**
   * Returns the count this rate was configured with.
   * @return the count this rate was configured with
   */
  public long count() {
    return count;
  }

  /**
   * Returns the period this rate was configured with.
   * @return the period this rate was configured with
   */
  public Duration period() {
    return period;
  }

  /**
   * Returns the emission interval {@code T}: nanoseconds per unit, {@code ceil(period / count)}, at least 1.
   * @return the emission interval {@code T}: nanoseconds per unit, {@code ceil(period / count)}, at least 1
   */
  public long emissionIntervalNanos() {
    return emissionIntervalNanos;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rate r && r.count == count && r.period.equals(period);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + period.hashCode();
  }

  @Override
  public String toString() {
    return count + " per " + period;
  }
}
