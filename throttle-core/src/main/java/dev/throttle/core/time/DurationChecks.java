package dev.throttle.core.time;

import java.time.Duration;
import java.util.Objects;

/**
 * The one rule every throttle-core builder applies to a {@link Duration} setting, so that all of them reject
 * bad input the same way, at configuration time, with a message naming the setting: null is a
 * {@link NullPointerException}; a negative duration (or zero, where a positive one is required) and one too
 * long to count in nanoseconds (about 292 years, {@code Long.MAX_VALUE} ns) are an
 * {@link IllegalArgumentException}. Figures met at run time (a server's {@code Retry-After}, computed waits)
 * are never checked this way: they are capped (saturated) where they are used, and never throw.
 *
 * <p>Stateless and thread-safe.
 */
public final class DurationChecks {

  private DurationChecks() {}

  /**
   * Returns {@code value} in nanoseconds, checked to be {@code >= 0}.
   *
   * @param value the configured duration
   * @param field the setting's name, used in the exception message
   * @return the duration in nanoseconds, {@code >= 0}
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is negative or longer than {@code Long.MAX_VALUE} ns
   */
  public static long nonNegativeNanos(Duration value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isNegative()) {
      throw new IllegalArgumentException(field + " must not be negative, was " + value);
    }
    try {
      return value.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          field + " must be at most 292 years (Long.MAX_VALUE ns), was " + value, e);
    }
  }

  /**
   * Returns {@code value} in nanoseconds, checked to be {@code > 0}.
   *
   * @param value the configured duration
   * @param field the setting's name, used in the exception message
   * @return the duration in nanoseconds, {@code > 0}
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is not positive or longer than {@code Long.MAX_VALUE} ns
   */
  public static long positiveNanos(Duration value, String field) {
    long nanos = nonNegativeNanos(value, field);
    if (nanos == 0) {
      throw new IllegalArgumentException(field + " must be positive, was " + value);
    }
    return nanos;
  }
}
