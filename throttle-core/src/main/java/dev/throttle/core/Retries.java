package dev.throttle.core;

/** The retry rule shared by every strategy in this package. */
final class Retries {

  /** HTTP 429 Too Many Requests. */
  static final int TOO_MANY_REQUESTS = 429;
  /** HTTP 503 Service Unavailable. */
  static final int SERVICE_UNAVAILABLE = 503;

  private Retries() {}

  /** Returns true for 429, and for 503 when the response carries Retry-After. */
  static boolean shouldRetry(int status, RateLimitInfo headers) {
    return status == TOO_MANY_REQUESTS || (status == SERVICE_UNAVAILABLE && headers.hasRetryAfter());
  }

  /** Converts a non-negative double of nanoseconds to a long in {@code [0, capNanos]} (NaN becomes 0). */
  static long toNanos(double nanos, long capNanos) {
    if (!(nanos > 0)) {
      return 0;
    }
    return nanos >= capNanos ? capNanos : Math.min(capNanos, Math.round(nanos));
  }

  /** Returns {@code d.toNanos()} checked to be {@code >= 0}, naming {@code field} otherwise. */
  static long nonNegativeNanos(java.time.Duration d, String field) {
    java.util.Objects.requireNonNull(d, field);
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + " must not be negative: " + d);
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(field + " is too large: " + d, e);
    }
  }

  /** Returns {@code d.toNanos()} checked to be {@code > 0}. */
  static long positiveNanos(java.time.Duration d, String field) {
    long n = nonNegativeNanos(d, field);
    if (n == 0) {
      throw new IllegalArgumentException(field + " must be positive: " + d);
    }
    return n;
  }

  /** Throws unless {@code value} is finite and {@code >= min}. */
  static double atLeast(double value, double min, String field) {
    if (!Double.isFinite(value) || value < min) {
      throw new IllegalArgumentException(field + " must be a finite number >= " + min + ": " + value);
    }
    return value;
  }
}
