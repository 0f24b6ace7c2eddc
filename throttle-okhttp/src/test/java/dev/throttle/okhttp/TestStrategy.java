package dev.throttle.okhttp;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.ThrottleStrategy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately simple strategy for interceptor tests (the real ones live in throttle-core): waits
 * Retry-After (or a fixed backoff) after a 429 / 503+Retry-After, and paces every call of the instance until
 * the reset when a response said {@code remaining == 0}. Thread-safe.
 */
final class TestStrategy implements ThrottleStrategy {

  private final long backoffNanos;
  private final AtomicLong pausedUntil = new AtomicLong(Long.MIN_VALUE);
  private volatile boolean paused;

  TestStrategy(long backoffNanos) {
    this.backoffNanos = backoffNanos;
  }

  @Override
  public Call newCall(long nowNanos) {
    return new Call() {
      long retryDelay = -1;

      @Override
      public long delayNanos(long now) {
        long pace = paused ? Math.max(0, pausedUntil.get() - now) : 0;
        long d = retryDelay >= 0 ? Math.max(retryDelay, pace) : pace;
        retryDelay = -1;
        return d;
      }

      @Override
      public boolean onResponse(int status, RateLimitHeaders h, long now) {
        if (h.hasRemaining() && h.remaining() == 0 && h.hasReset()) {
          pausedUntil.set(now + h.resetNanos());
          paused = true;
        } else if (h.hasRemaining() && h.remaining() > 0) {
          paused = false;
        }
        boolean retry = status == 429 || (status == 503 && h.hasRetryAfter());
        if (retry) {
          retryDelay = h.hasRetryAfter() ? h.retryAfterNanos() : backoffNanos;
        }
        return retry;
      }
    };
  }
}
