package dev.throttle.spring;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.ThrottleStrategy;

final class TestStrategies {

  private TestStrategies() {}

  /** Sends at once; retries a 429 or 503 after its Retry-After (0 without one). */
  static final ThrottleStrategy RETRY_AFTER = now -> new ThrottleStrategy.Call() {
    long next;

    @Override
    public long delayNanos(long nowNanos) {
      return next;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      next = headers.hasRetryAfter() ? headers.retryAfterNanos() : 0;
      return status == 429 || status == 503;
    }
  };
}
