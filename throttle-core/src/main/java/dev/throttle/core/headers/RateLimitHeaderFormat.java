package dev.throttle.core.headers;

/**
 * A family of rate-limit response header fields that {@link RateLimitHeaderWriter} can write. Each constant's
 * documentation shows the fields it writes for a quota named {@code "api"} with capacity 100, emission interval
 * 0.6 s, 40 units remaining, the next unit free in 0.25 s and the bucket full again in 35.65 s.
 */
public enum RateLimitHeaderFormat {

  /**
   * The IETF draft fields (draft-ietf-httpapi-ratelimit-headers-10), RFC 9651 Lists with one Item each:
   * <pre>
   * RateLimit-Policy: "api";q=100;w=60
   * RateLimit: "api";r=40;t=1
   * </pre>
   */
  IETF_DRAFT,

  /**
   * The de facto fields, reset as delay seconds (like throttled) or as epoch seconds, see
   * {@link RateLimitHeaderWriter.ResetStyle}:
   * <pre>
   * X-RateLimit-Limit: 100
   * X-RateLimit-Remaining: 40
   * X-RateLimit-Reset: 36
   * </pre>
   */
  X_RATELIMIT,

  /** Heroku's single field (also the remaining field of drafts -00 to -06): {@code RateLimit-Remaining: 40}. */
  RATELIMIT_REMAINING,

  /**
   * {@code Retry-After} in delay seconds, rounded up, only on {@link dev.throttle.core.limiter.Decision#LIMITED} results:
   * {@code Retry-After: 1}.
   */
  RETRY_AFTER
}
