package dev.throttle.core.policy;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.ThrottleStrategy;

/**
 * The {@link ThrottledCall} of a {@link ThrottlePolicy}: drives one {@link ThrottleStrategy.Call} and checks
 * the policy's limits against the wait before the next attempt. Not thread-safe (one request).
 *
 * <p>When a response is to be retried, the strategy's {@code delayNanos} for the next attempt is asked at once
 * (with the response's clock reading) so the limits can be checked before anything is discarded; the answer
 * is kept and handed out by the next {@link #delayNanos} call. So the strategy still sees exactly one
 * {@code delayNanos} per attempt.
 */
final class DefaultThrottledCall implements ThrottledCall {

  private static final int AWAITING_DELAY = 0;
  private static final int AWAITING_RESPONSE = 1;
  private static final int FINISHED = 2;

  private final ThrottlePolicy policy;
  private final ThrottleStrategy.Call call;
  private final boolean hasDeadline;
  private final long deadlineNanos;

  private int state = AWAITING_DELAY;
  private int attempts;
  private int lastStatus;
  private long totalDelayNanos;
  private long nextDelayNanos;
  private ThrottleGiveUpException giveUp;

  DefaultThrottledCall(ThrottlePolicy policy, ThrottleStrategy.Call call, boolean hasDeadline, long deadlineNanos) {
    this.policy = policy;
    this.call = call;
    this.hasDeadline = hasDeadline;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public long delayNanos(long nowNanos) {
    if (state != AWAITING_DELAY) {
      throw new IllegalStateException(state == FINISHED
          ? "delayNanos called after the call finished (verdict DONE or GIVE_UP)"
          : "delayNanos called twice without onResponse");
    }
    state = AWAITING_RESPONSE;
    if (attempts > 0) {
      return nextDelayNanos; // asked, checked and reported when the retry was decided
    }
    // Pacing before the first attempt: clamped, never a give-up.
    long delay = Math.max(0, call.delayNanos(nowNanos));
    long cap = Math.min(policy.maxDelayNanos(), policy.maxTotalWaitNanos());
    if (hasDeadline) {
      cap = Math.min(cap, Math.max(0, deadlineNanos - nowNanos));
    }
    delay = Math.min(delay, cap);
    totalDelayNanos = delay;
    if (delay > 0) {
      policy.onThrottle(1, delay);
    }
    return delay;
  }

  @Override
  public long recheckNanos(long nowNanos) {
    return state == AWAITING_RESPONSE ? Math.max(0, call.recheckNanos(nowNanos)) : 0;
  }

  @Override
  public AttemptVerdict onResponse(int status, RateLimitHeaders headers, long nowNanos) {
    if (state != AWAITING_RESPONSE) {
      throw new IllegalStateException(state == FINISHED
          ? "onResponse called after the call finished (verdict DONE or GIVE_UP)"
          : "onResponse called without delayNanos before the attempt");
    }
    attempts++;
    lastStatus = status;
    boolean retry = call.onResponse(status, headers == null ? RateLimitHeaders.EMPTY : headers, nowNanos);
    RetryBudgetState budget = policy.budgetState();
    if (!retry) {
      state = FINISHED;
      ThrottleStrategy.GiveUp own = call.giveUpReason();
      if (own != null) { // the strategy's own limit (e.g. AWS adaptive's max attempts or retry quota)
        giveUp = new ThrottleGiveUpException(own == ThrottleStrategy.GiveUp.MAX_ATTEMPTS
            ? ThrottleGiveUpException.Reason.MAX_ATTEMPTS : ThrottleGiveUpException.Reason.RETRY_BUDGET,
            status, attempts, 0);
        policy.onGiveUp(giveUp);
        return AttemptVerdict.GIVE_UP;
      }
      if (budget != null && status < 400) {
        budget.onSuccess();
      }
      return AttemptVerdict.DONE;
    }
    boolean budgetAllows = budget == null || budget.onFailure();
    long next = Math.max(0, call.delayNanos(nowNanos));
    ThrottleGiveUpException.Reason reason = null;
    if (attempts >= policy.maxAttempts()) {
      reason = ThrottleGiveUpException.Reason.MAX_ATTEMPTS;
    } else if (!budgetAllows) {
      reason = ThrottleGiveUpException.Reason.RETRY_BUDGET;
    } else if (next > policy.maxDelayNanos()) {
      reason = ThrottleGiveUpException.Reason.MAX_DELAY;
    } else if (next > policy.maxTotalWaitNanos() - totalDelayNanos) {
      reason = ThrottleGiveUpException.Reason.MAX_TOTAL_WAIT;
    } else if (hasDeadline && next > deadlineNanos - nowNanos) {
      reason = ThrottleGiveUpException.Reason.CALL_TIMEOUT;
    }
    if (reason != null) {
      state = FINISHED;
      giveUp = new ThrottleGiveUpException(reason, status, attempts, next);
      policy.onGiveUp(giveUp);
      return AttemptVerdict.GIVE_UP;
    }
    state = AWAITING_DELAY;
    nextDelayNanos = next;
    totalDelayNanos += next;
    policy.onRetry(attempts + 1, status, next);
    return AttemptVerdict.RETRY;
  }

  @Override
  public ThrottleGiveUpException giveUp() {
    return giveUp;
  }

  @Override
  public ThrottleGiveUpException abandon(ThrottleGiveUpException.Reason reason, long neededDelayNanos) {
    java.util.Objects.requireNonNull(reason, "reason");
    if (state == FINISHED) {
      throw new IllegalStateException("abandon called after the call finished (verdict DONE or GIVE_UP)");
    }
    state = FINISHED;
    giveUp = new ThrottleGiveUpException(reason, lastStatus, attempts, Math.max(0, neededDelayNanos));
    policy.onGiveUp(giveUp);
    return giveUp;
  }

  @Override
  public int attempts() {
    return attempts;
  }

  @Override
  public long totalDelayNanos() {
    return totalDelayNanos;
  }

  @Override
  public String toString() {
    return "ThrottledCall[" + policy.name() + ", attempts=" + attempts + ", totalDelayNanos=" + totalDelayNanos
        + "]";
  }
}
