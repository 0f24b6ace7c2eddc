package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

/** The retry rule and the argument checks shared by the strategies in this package. */
final class Retries {

  /** HTTP 429 Too Many Requests. */
  static final int TOO_MANY_REQUESTS = 429;
  /** HTTP 503 Service Unavailable. */
  static final int SERVICE_UNAVAILABLE = 503;

  private Retries() {}

  /** Returns true for 429, and for 503 when the response carries Retry-After. */
  static boolean shouldRetry(int status, RateLimitHeaders headers) {
    return status == TOO_MANY_REQUESTS || (status == SERVICE_UNAVAILABLE && headers.hasRetryAfter());
  }

  /** Converts a non-negative double of nanoseconds to a long in {@code [0, capNanos]} (NaN becomes 0). */
  static long toNanos(double nanos, long capNanos) {
    if (!(nanos > 0)) {
      return 0;
    }
    return nanos >= capNanos ? capNanos : Math.min(capNanos, Math.round(nanos));
  }

  /** Returns {@code value} checked to be in {@code [0, 1]}, naming {@code field} otherwise. */
  static double zeroToOne(double value, String field) {
    return unitInterval(value, field, true, true);
  }

  /** Returns {@code value} checked to be in {@code (0, 1)}, naming {@code field} otherwise. */
  static double betweenZeroAndOne(double value, String field) {
    return unitInterval(value, field, false, false);
  }

  /** Returns {@code value} checked to be in {@code (0, 1]}, naming {@code field} otherwise. */
  static double aboveZeroUpToOne(double value, String field) {
    return unitInterval(value, field, false, true);
  }

  private static double unitInterval(double value, String field, boolean zeroIn, boolean oneIn) {
    if (!((zeroIn ? value >= 0 : value > 0) && (oneIn ? value <= 1 : value < 1))) {
      throw new IllegalArgumentException(
          field + " must be in " + (zeroIn ? "[0" : "(0") + ", 1" + (oneIn ? "]" : ")") + ": " + value);
    }
    return value;
  }

  /** Returns {@code value} checked to be finite and {@code > 0}, naming {@code field} otherwise. */
  static double positiveFinite(double value, String field) {
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(field + " must be positive: " + value);
    }
    return value;
  }

  /** Throws unless {@code value} is finite and {@code >= min}. */
  static double atLeast(double value, double min, String field) {
    if (!Double.isFinite(value) || value < min) {
      throw new IllegalArgumentException(field + " must be a finite number >= " + min + ": " + value);
    }
    return value;
  }
}
