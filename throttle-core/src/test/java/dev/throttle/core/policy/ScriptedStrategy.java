package dev.throttle.core.policy;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.ThrottleStrategy;

import java.util.Arrays;

/**
 * Test-only strategy: a fixed pacing delay before the first attempt, then scripted retry delays (the last one
 * repeats), never earlier than the response's Retry-After. Retries 429, and 503 with Retry-After.
 */
public final class ScriptedStrategy implements ThrottleStrategy {

  private final long pacingNanos;
  private final long[] retryDelaysNanos;

  public ScriptedStrategy(long pacingNanos, long... retryDelaysNanos) {
    this.pacingNanos = pacingNanos;
    this.retryDelaysNanos = retryDelaysNanos.length == 0 ? new long[] {0} : retryDelaysNanos.clone();
  }

  public static ScriptedStrategy retryDelays(long... retryDelaysNanos) {
    return new ScriptedStrategy(0, retryDelaysNanos);
  }

  @Override
  public Call newCall(long nowNanos) {
    return new Call() {
      private int attempt;
      private long retryAfterNanos;

      @Override
      public long delayNanos(long now) {
        if (attempt++ == 0) {
          return pacingNanos;
        }
        long scripted = retryDelaysNanos[Math.min(attempt - 2, retryDelaysNanos.length - 1)];
        return Math.max(scripted, retryAfterNanos);
      }

      @Override
      public boolean onResponse(int status, RateLimitHeaders headers, long now) {
        retryAfterNanos = headers.hasRetryAfter() ? headers.retryAfterNanos() : 0;
        return status == 429 || status == 503 && headers.hasRetryAfter();
      }
    };
  }

  @Override
  public String toString() {
    return "ScriptedStrategy" + Arrays.toString(retryDelaysNanos);
  }
}
