package dev.throttle.core.limiter;

import java.time.Duration;
import java.util.Objects;

/**
 * What one limiter call decided and what the limiter looks like afterwards: everything a server needs to
 * answer and to write rate-limit headers.
 *
 * <p>When several quotas are enforced together, the figures describe the <em>most restrictive</em> one, named
 * by {@link #quota()}: for an admitted request the quota with the fewest remaining units, for a refused one
 * the quota that needs the longest wait.
 *
 * <p>Times are integer nanoseconds relative to the instant of the call. Immutable and thread-safe.
 */
public final class RateLimitResult {

  /** Reported as {@link #retryAfterNanos()} when the request can never be admitted. */
  public static final long NEVER = Long.MAX_VALUE;

  private final Decision decision;
  private final long granted;
  private final Quota quota;
  private final long remaining;
  private final long retryAfterNanos;
  private final long resetAfterNanos;

  private RateLimitResult(Decision decision, long granted, Quota quota, long remaining, long retryAfterNanos,
      long resetAfterNanos) {
    this.decision = Objects.requireNonNull(decision, "decision");
    this.quota = Objects.requireNonNull(quota, "quota");
    if (granted < 0 || remaining < 0 || remaining > quota.capacity() || retryAfterNanos < 0
        || resetAfterNanos < 0) {
      throw new IllegalArgumentException("inconsistent result: granted=" + granted + " remaining=" + remaining
          + " retryAfterNanos=" + retryAfterNanos + " resetAfterNanos=" + resetAfterNanos + " for " + quota);
    }
    if ((decision == Decision.ALLOWED) != (granted > 0 || retryAfterNanos == 0)
        || (decision == Decision.EXCEEDS_CAPACITY && retryAfterNanos != NEVER)) {
      throw new IllegalArgumentException("inconsistent result: " + decision + " with granted=" + granted
          + " retryAfterNanos=" + retryAfterNanos);
    }
    this.granted = granted;
    this.remaining = remaining;
    this.retryAfterNanos = retryAfterNanos;
    this.resetAfterNanos = resetAfterNanos;
  }

  /**
   * Creates a result; limiters and tests use this, applications normally only read results.
   *
   * @param decision the outcome
   * @param granted units granted (0 unless allowed; a cost-0 peek is allowed with 0 granted)
   * @param quota the most restrictive quota
   * @param remaining units that could be admitted at once after this call, in {@code [0, capacity]}
   * @param retryAfterNanos 0 when allowed; the wait before the same request would be admitted when limited;
   *     {@link #NEVER} when it exceeds the capacity
   * @param resetAfterNanos time until the quota is back to full capacity (remaining = capacity)
   * @return a new result
   * @throws IllegalArgumentException if the figures contradict each other or the decision
   */
  public static RateLimitResult of(Decision decision, long granted, Quota quota, long remaining,
      long retryAfterNanos, long resetAfterNanos) {
    return new RateLimitResult(decision, granted, quota, remaining, retryAfterNanos, resetAfterNanos);
  }

  /**
   * Returns the decision.
   * @return the decision
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
    return quota.capacity();
  }

  /**
   * Returns how many units could be admitted at once right after this call.
   * @return how many units could be admitted at once right after this call
   */
  public long remaining() {
    return remaining;
  }

  /**
   * Returns the wait in nanoseconds after which the same request would be admitted, assuming nobody else
   * consumes meanwhile: 0 when allowed, {@link #NEVER} when the decision is {@link Decision#EXCEEDS_CAPACITY}.
   * @return the wait in nanoseconds before the same request would be admitted; 0 when allowed, {@link #NEVER} when it
   *     exceeds the capacity
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

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimitResult r && r.decision == decision && r.granted == granted
        && r.quota.equals(quota) && r.remaining == remaining && r.retryAfterNanos == retryAfterNanos
        && r.resetAfterNanos == resetAfterNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(decision, granted, quota, remaining, retryAfterNanos, resetAfterNanos);
  }

  @Override
  public String toString() {
    return "RateLimitResult[" + decision + ", granted=" + granted + ", limit=" + limit() + ", remaining="
        + remaining + ", retryAfterNanos=" + retryAfterNanos + ", resetAfterNanos=" + resetAfterNanos + ", "
        + quota.name() + "]";
  }
}
