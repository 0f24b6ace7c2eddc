package dev.throttle.core.headers;

/**
 * What a client learned from one response's rate-limit headers, whatever dialect the server spoke
 * ({@code Retry-After}, the IETF draft {@code RateLimit}/{@code RateLimit-Policy} fields, {@code X-RateLimit-*},
 * Heroku's {@code RateLimit-Remaining}).
 *
 * <p>Every figure is optional: check {@code hasX()} before reading {@code x()}; an absent figure reads as 0.
 * Durations are integer nanoseconds relative to the moment the response was received, already converted from
 * the header's seconds or dates, never negative and capped at {@link #MAX_DELAY_NANOS}. Produced by
 * {@code RateLimitHeaderParser}; {@link #EMPTY} stands for a response without any rate-limit header.
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimitHeaders {

  /** The largest delay a parsed header may express: 24 hours. Larger values are capped to this. */
  public static final long MAX_DELAY_NANOS = 24L * 3600 * 1_000_000_000L;
  /**
   * The longest policy window kept, 100 years in nanoseconds: a window is a description of the quota, not a wait, so
   * it is not cut to {@link #MAX_DELAY_NANOS} (that would turn 1 per year into 1 per day).
   */
  public static final long MAX_WINDOW_NANOS = 100L * 365 * 24 * 3600 * 1_000_000_000L;

  /** A response that carried no usable rate-limit header. */
  public static final RateLimitHeaders EMPTY = builder().build();

  private static final int RETRY_AFTER = 1;
  private static final int REMAINING = 2;
  private static final int LIMIT = 4;
  private static final int RESET = 8;
  private static final int WINDOW = 16;

  private final int present;
  private final long retryAfterNanos;
  private final long remaining;
  private final long limit;
  private final long resetNanos;
  private final long windowNanos;

  private RateLimitHeaders(int present, long retryAfterNanos, long remaining, long limit, long resetNanos,
      long windowNanos) {
    this.present = present;
    this.retryAfterNanos = retryAfterNanos;
    this.remaining = remaining;
    this.limit = limit;
    this.resetNanos = resetNanos;
    this.windowNanos = windowNanos;
  }

  /**
   * Returns the figures without a builder (the parser's path): a negative argument means absent; present
   * delays are capped at {@link #MAX_DELAY_NANOS} and the window at {@link #MAX_WINDOW_NANOS}, as the builder caps
   * them. {@link #EMPTY} if all are absent.
   */
  static RateLimitHeaders of(long retryAfterNanos, long remaining, long limit, long resetNanos, long windowNanos) {
    int present = (retryAfterNanos >= 0 ? RETRY_AFTER : 0) | (remaining >= 0 ? REMAINING : 0)
        | (limit >= 0 ? LIMIT : 0) | (resetNanos >= 0 ? RESET : 0) | (windowNanos >= 0 ? WINDOW : 0);
    if (present == 0) {
      return EMPTY;
    }
    return new RateLimitHeaders(present, Math.max(0, Builder.clampDelay(retryAfterNanos)), Math.max(0, remaining),
        Math.max(0, limit), Builder.clampDelay(resetNanos), Builder.clampWindow(windowNanos));
  }

  private RateLimitHeaders(Builder b) {
    this.present = b.present;
    this.retryAfterNanos = b.retryAfterNanos;
    this.remaining = b.remaining;
    this.limit = b.limit;
    this.resetNanos = b.resetNanos;
    this.windowNanos = b.windowNanos;
  }

  /**
   * Returns a builder with nothing set. Not thread-safe.
   * @return a builder with nothing set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns true if the response said when to retry ({@code Retry-After}).
   * @return {@code true} if the response said when to retry ({@code Retry-After})
   */
  public boolean hasRetryAfter() {
    return (present & RETRY_AFTER) != 0;
  }

  /**
   * Returns the server's {@code Retry-After} as a delay from receipt, in nanoseconds; 0 if absent.
   * @return the server's {@code Retry-After} as a delay from receipt, in nanoseconds; 0 if absent
   */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  /**
   * Returns true if the response said how many units remain.
   * @return {@code true} if the response said how many units remain
   */
  public boolean hasRemaining() {
    return (present & REMAINING) != 0;
  }

  /**
   * Returns the units the server would still admit at once ({@code r}, {@code X-RateLimit-Remaining}).
   * @return the units the server would still admit at once ({@code r}, {@code X-RateLimit-Remaining})
   */
  public long remaining() {
    return remaining;
  }

  /**
   * Returns true if the response said what the limit (quota) is.
   * @return {@code true} if the response said what the limit (quota) is
   */
  public boolean hasLimit() {
    return (present & LIMIT) != 0;
  }

  /**
   * Returns the limit: the policy quota {@code q} or {@code X-RateLimit-Limit}; 0 if absent.
   * @return the limit: the policy quota {@code q} or {@code X-RateLimit-Limit}; 0 if absent
   */
  public long limit() {
    return limit;
  }

  /**
   * Returns true if the response said when more quota becomes available.
   * @return {@code true} if the response said when more quota becomes available
   */
  public boolean hasReset() {
    return (present & RESET) != 0;
  }

  /**
   * Returns the nanoseconds until more quota becomes available: the draft {@code RateLimit} {@code t},
   * {@code X-RateLimit-Reset} or {@code RateLimit-Reset} (as a delay, whether sent as delay or epoch); 0 if absent.
   * @return the nanoseconds until more quota becomes available; 0 if absent
   */
  public long resetNanos() {
    return resetNanos;
  }

  /**
   * Returns true if the response said over what window the limit applies.
   * @return {@code true} if the response said over what window the limit applies
   */
  public boolean hasWindow() {
    return (present & WINDOW) != 0;
  }

  /**
   * Returns the policy window {@code w} in nanoseconds; 0 if absent.
   * @return the policy window {@code w} in nanoseconds; 0 if absent
   */
  public long windowNanos() {
    return windowNanos;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimitHeaders i && i.present == present && i.retryAfterNanos == retryAfterNanos
        && i.remaining == remaining && i.limit == limit && i.resetNanos == resetNanos
        && i.windowNanos == windowNanos;
  }

  @Override
  public int hashCode() {
    int h = present;
    h = 31 * h + Long.hashCode(retryAfterNanos);
    h = 31 * h + Long.hashCode(remaining);
    h = 31 * h + Long.hashCode(limit);
    h = 31 * h + Long.hashCode(resetNanos);
    return 31 * h + Long.hashCode(windowNanos);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RateLimitHeaders[");
    if (hasRetryAfter()) sb.append("retryAfterNanos=").append(retryAfterNanos).append(' ');
    if (hasRemaining()) sb.append("remaining=").append(remaining).append(' ');
    if (hasLimit()) sb.append("limit=").append(limit).append(' ');
    if (hasReset()) sb.append("resetNanos=").append(resetNanos).append(' ');
    if (hasWindow()) sb.append("windowNanos=").append(windowNanos).append(' ');
    if (sb.charAt(sb.length() - 1) == ' ') sb.setLength(sb.length() - 1);
    return sb.append(']').toString();
  }

  /**
   * Builds a {@link RateLimitHeaders}. Setters clamp instead of throwing, because they carry what a server sent:
   * negative values become 0 and delays above {@link #MAX_DELAY_NANOS} become that cap. Not thread-safe.
   */
  public static final class Builder {
    private int present;
    private long retryAfterNanos;
    private long remaining;
    private long limit;
    private long resetNanos;
    private long windowNanos;

    private Builder() {}

    /**
     * Sets the Retry-After delay in nanoseconds (clamped to {@code [0, MAX_DELAY_NANOS]}).
     * @param nanos the Retry-After delay in nanoseconds (clamped to {@code [0, MAX_DELAY_NANOS]})
     * @return this builder
     */
    public Builder retryAfterNanos(long nanos) {
      retryAfterNanos = clampDelay(nanos);
      present |= RETRY_AFTER;
      return this;
    }

    /**
     * Sets the remaining units (negative becomes 0).
     * @param units the remaining units (negative becomes 0)
     * @return this builder
     */
    public Builder remaining(long units) {
      remaining = Math.max(0, units);
      present |= REMAINING;
      return this;
    }

    /**
     * Sets the limit (negative becomes 0).
     * @param units the limit (negative becomes 0)
     * @return this builder
     */
    public Builder limit(long units) {
      limit = Math.max(0, units);
      present |= LIMIT;
      return this;
    }

    /**
     * Sets the delay until more quota is available (clamped to {@code [0, MAX_DELAY_NANOS]}).
     * @param nanos the delay until more quota is available (clamped to {@code [0, MAX_DELAY_NANOS]})
     * @return this builder
     */
    public Builder resetNanos(long nanos) {
      resetNanos = clampDelay(nanos);
      present |= RESET;
      return this;
    }

    /**
     * Sets the policy window (clamped to {@code [0, MAX_WINDOW_NANOS]}).
     * @param nanos the policy window (clamped to {@code [0, MAX_WINDOW_NANOS]})
     * @return this builder
     */
    public Builder windowNanos(long nanos) {
      windowNanos = clampWindow(nanos);
      present |= WINDOW;
      return this;
    }

    /**
     * Returns the info; the builder may be reused.
     * @return the info; the builder may be reused
     */
    public RateLimitHeaders build() {
      return present == 0 && EMPTY != null ? EMPTY : new RateLimitHeaders(this);
    }

    private static long clampDelay(long nanos) {
      return Math.max(0, Math.min(nanos, MAX_DELAY_NANOS));
    }

    private static long clampWindow(long nanos) {
      return Math.max(0, Math.min(nanos, MAX_WINDOW_NANOS));
    }
  }
}
