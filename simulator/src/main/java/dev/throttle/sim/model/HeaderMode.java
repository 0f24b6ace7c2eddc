package dev.throttle.sim.model;

/** Which rate-limit headers the simulated server's responses carry. */
public enum HeaderMode {
  /** Everything {@code RateLimitHeaderWriter.defaults()} writes: IETF RateLimit fields, X-RateLimit-*, Retry-After. */
  FULL,
  /**
   * Only {@code RateLimit-Remaining}, as Heroku's demo server sent: the client view of the full headers
   * with every other figure dropped.
   */
  REMAINING_ONLY,
  /** No rate-limit header at all: strategies only see the status code. */
  NONE
}
