package dev.throttle.core.limiter;

/** The outcome of one limiter call. */
public enum Decision {
  /** The request was admitted (for a partial grant: at least one unit was granted). */
  ALLOWED,
  /** The request was refused now; it would fit after {@link RateLimitResult#retryAfterNanos()}. */
  LIMITED,
  /** The request can never be admitted: its cost exceeds the capacity of a quota. Nothing was charged. */
  EXCEEDS_CAPACITY
}
