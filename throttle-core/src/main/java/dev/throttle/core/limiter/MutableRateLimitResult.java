package dev.throttle.core.limiter;

import java.time.Duration;

/**
 * A caller-owned, reusable holder for the figures of one limiter call: the allocation-free alternative to
 * {@link RateLimitResult}. Pass it to {@link GcraLimiter#tryAcquire(long, long, MutableRateLimitResult)}; the
 * limiter overwrites every field. The getters mean exactly what {@link RateLimitResult}'s do.
 *
 * <p>Not thread-safe: use one holder per thread (or per request), e.g. in a {@link ThreadLocal} or a field of
 * a per-connection object.
 */
public final class MutableRateLimitResult {

  private Decision decision;
  private long granted;
  private Quota quota;
  private long remaining;
  private long retryAfterNanos;
  private long resetAfterNanos;

  /** Creates an empty holder; its getters are meaningless until a limiter has filled it. */
  public MutableRateLimitResult() {}

  void set(Decision decision, long granted, Quota quota, long remaining, long retryAfterNanos,
      long resetAfterNanos) {
    this.decision = decision;
    this.granted = granted;
    this.quota = quota;
    this.remaining = remaining;
    this.retryAfterNanos = retryAfterNanos;
    this.resetAfterNanos = resetAfterNanos;
  }

  /**
   * Returns the decision, or {@code null} if no limiter has filled this holder yet.
   * @return the decision, or {@code null} if no limiter has filled this holder yet
   */
  public Decision decision() {
    return decision;
  }

  /**
   * Returns true if the request was admitted.
   * @return {@code true} if the request was admitted
   */
  public boolean allowed() {
    return decision == Decision.ALLOWED;
  }

  /**
   * Returns the units granted: the cost when admitted whole, fewer for a partial grant, 0 when refused.
   * @return the units granted: the cost when admitted whole, fewer for a partial grant, 0 when refused
   */
  public long granted() {
    return granted;
  }

  /**
   * Returns the most restrictive quota, the one the other figures describe.
   * @return the most restrictive quota, the one the other figures describe
   */
  public Quota quota() {
    return quota;
  }

  /**
   * Returns the limit: the capacity of {@link #quota()}.
   * @return the limit: the capacity of {@link #quota()}
   */
  public long limit() {
    return quota == null ? 0 : quota.capacity();
  }

  /**
   * Returns how many units could be admitted at once right after the call.
   * @return how many units could be admitted at once right after the call
   */
  public long remaining() {
    return remaining;
  }

  /**
   * Returns the wait in nanoseconds after which the same request would be admitted: 0 when allowed,
   * {@link RateLimitResult#NEVER} for {@link Decision#EXCEEDS_CAPACITY}.
   * @return the wait in nanoseconds before the same request would be admitted; 0 when allowed, {@link
   *     RateLimitResult#NEVER} when it exceeds the capacity
   */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  /**
   * Returns {@link #retryAfterNanos()} as a duration; {@code null} for {@link Decision#EXCEEDS_CAPACITY}.
   * @return {@link #retryAfterNanos()} as a duration; {@code null} for {@link Decision#EXCEEDS_CAPACITY}
   */
  public Duration retryAfter() {
    return decision == Decision.EXCEEDS_CAPACITY ? null : Duration.ofNanos(retryAfterNanos);
  }

  /**
   * Returns the nanoseconds until the quota is back to full capacity if nothing more is consumed.
   * @return the nanoseconds until the quota is back to full capacity if nothing more is consumed
   */
  public long resetAfterNanos() {
    return resetAfterNanos;
  }

  /**
   * Returns an immutable copy.
   *
   * @return an immutable copy
   * @throws IllegalStateException if no limiter has filled this holder yet
   */
  public RateLimitResult toResult() {
    if (decision == null) {
      throw new IllegalStateException("no limiter has filled this holder yet");
    }
    return RateLimitResult.of(decision, granted, quota, remaining, retryAfterNanos, resetAfterNanos);
  }

  @Override
  public String toString() {
    return decision == null ? "MutableRateLimitResult[empty]" : toResult().toString();
  }
}
