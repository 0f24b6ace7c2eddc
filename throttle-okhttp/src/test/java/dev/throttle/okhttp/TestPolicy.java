package dev.throttle.okhttp;

import dev.throttle.core.RateLimitInfo;
import dev.throttle.core.ThrottleGiveUpException;
import dev.throttle.core.ThrottleStrategy;
import dev.throttle.core.ThrottledCall;
import dev.throttle.core.Verdict;

/** Test stand-in for ThrottlePolicy: max attempts and max single delay around a strategy. */
final class TestPolicy implements CallSource {

  private final ThrottleStrategy strategy;
  private final int maxAttempts;
  private final long maxDelayNanos;

  TestPolicy(ThrottleStrategy strategy, int maxAttempts, long maxDelayNanos) {
    this.strategy = strategy;
    this.maxAttempts = maxAttempts;
    this.maxDelayNanos = maxDelayNanos;
  }

  @Override
  public ThrottledCall newCall(long nowNanos) {
    ThrottleStrategy.Call c = strategy.newCall(nowNanos);
    return new ThrottledCall() {
      int attempts;
      long total;
      long pending = -1;
      ThrottleGiveUpException giveUp;

      @Override
      public long delayNanos(long now) {
        long d = pending >= 0 ? pending : c.delayNanos(now);
        pending = -1;
        total += d;
        return d;
      }

      @Override
      public Verdict onResponse(int status, RateLimitInfo headers, long now) {
        attempts++;
        if (!c.onResponse(status, headers, now)) {
          return Verdict.DONE;
        }
        if (attempts >= maxAttempts) {
          giveUp = new ThrottleGiveUpException(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, status, attempts, 0);
          return Verdict.GIVE_UP;
        }
        pending = c.delayNanos(now);
        if (pending > maxDelayNanos) {
          giveUp = new ThrottleGiveUpException(ThrottleGiveUpException.Reason.MAX_DELAY, status, attempts, pending);
          return Verdict.GIVE_UP;
        }
        return Verdict.RETRY;
      }

      @Override
      public ThrottleGiveUpException giveUp() {
        return giveUp;
      }

      @Override
      public int attempts() {
        return attempts;
      }

      @Override
      public long totalDelayNanos() {
        return total;
      }
    };
  }
}
