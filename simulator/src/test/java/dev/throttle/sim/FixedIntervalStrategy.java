package dev.throttle.sim;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.ThrottleStrategy;


/**
 * Test-only strategy: waits a fixed interval before every attempt (the first included) and retries 429s. Its
 * behaviour is simple enough to compute a run's outcome by hand.
 */
public final class FixedIntervalStrategy implements ThrottleStrategy {

  private final long intervalNanos;

  public FixedIntervalStrategy(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  @Override
  public Call newCall(long nowNanos) {
    return new Call() {
      @Override
      public long delayNanos(long now) {
        return intervalNanos;
      }

      @Override
      public boolean onResponse(int status, RateLimitHeaders headers, long now) {
        return status == 429;
      }
    };
  }
}
