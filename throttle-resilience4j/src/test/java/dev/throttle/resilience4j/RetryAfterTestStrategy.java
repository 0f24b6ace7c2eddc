package dev.throttle.resilience4j;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.ThrottleStrategy;


/**
 * Test-only strategy: an optional pacing wait before the first attempt, then a fixed retry wait, never less
 * than the response's Retry-After. Retries 429, and 503 with Retry-After.
 */
final class RetryAfterTestStrategy implements ThrottleStrategy {

  private final long pacingNanos;
  private final long retryNanos;

  RetryAfterTestStrategy(long pacingNanos, long retryNanos) {
    this.pacingNanos = pacingNanos;
    this.retryNanos = retryNanos;
  }

  @Override
  public Call newCall(long nowNanos) {
    return new Call() {
      private boolean first = true;
      private long retryAfterNanos;

      @Override
      public long delayNanos(long now) {
        if (first) {
          first = false;
          return pacingNanos;
        }
        return Math.max(retryNanos, retryAfterNanos);
      }

      @Override
      public boolean onResponse(int status, RateLimitHeaders headers, long now) {
        retryAfterNanos = headers.hasRetryAfter() ? headers.retryAfterNanos() : 0;
        return status == 429 || status == 503 && headers.hasRetryAfter();
      }
    };
  }
}
