package dev.throttle.core.policy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The token count of one {@link RetryBudget}, in thousandths of a token. Lock-free: each update is one CAS
 * loop on an {@link AtomicLong}; nothing blocks and nothing allocates. Thread-safe.
 */
final class RetryBudgetState {

  private final long maxMilli;
  private final long thresholdMilli;
  private final long ratioMilli;
  private final AtomicLong tokensMilli;

  RetryBudgetState(long maxMilli, long ratioMilli) {
    this.maxMilli = maxMilli;
    this.thresholdMilli = maxMilli / 2;
    this.ratioMilli = ratioMilli;
    this.tokensMilli = new AtomicLong(maxMilli);
  }

  /**
   * Records a retry-worthy failure (takes one token, not below 0) and returns whether a retry is allowed:
   * true only if more than half of the tokens remain after taking it.
   */
  boolean onFailure() {
    while (true) {
      long current = tokensMilli.get();
      long next = Math.max(0, current - 1000);
      if (next == current || tokensMilli.compareAndSet(current, next)) {
        return next > thresholdMilli;
      }
    }
  }

  /** Records a success: gives back {@code tokenRatio} tokens, not above the maximum. */
  void onSuccess() {
    while (true) {
      long current = tokensMilli.get();
      long next = Math.min(maxMilli, current + ratioMilli);
      if (next == current || tokensMilli.compareAndSet(current, next)) {
        return;
      }
    }
  }

  long tokensMilli() {
    return tokensMilli.get();
  }

  long maxMilli() {
    return maxMilli;
  }

  long thresholdMilli() {
    return thresholdMilli;
  }
}
