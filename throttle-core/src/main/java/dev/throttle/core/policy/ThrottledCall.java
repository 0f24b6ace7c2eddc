package dev.throttle.core.policy;

import dev.throttle.core.headers.RateLimitHeaders;

/**
 * One logical request as run under a {@code ThrottlePolicy}: a {@link dev.throttle.core.strategy.ThrottleStrategy.Call} plus the
 * policy's limits on waiting and its events. This is the whole protocol every runner follows (blocking and
 * async runners, the OkHttp interceptor, the Resilience4j adapter, the simulator):
 *
 * <pre>{@code
 * ThrottledCall call = policy.newCall(clock.nanoTime());
 * while (true) {
 *   wait(call.delayNanos(clock.nanoTime()));          // the runner waits; 0 means go now
 *   Response r = send();
 *   AttemptVerdict v = call.onResponse(r.status(), parse(r.headers()), clock.nanoTime());
 *   if (v == AttemptVerdict.DONE) return r;
 *   if (v == AttemptVerdict.GIVE_UP) return onGiveUp.apply(r, this::close, call.giveUp());
 *   close(r);                                          // RETRY
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread at a time, as one request is.
 */
public interface ThrottledCall {

  /**
   * Returns the wait before the next attempt in nanoseconds, {@code >= 0}; called once before each attempt.
   * @param nowNanos the runner's clock reading
   * @return the wait before the next attempt in nanoseconds, {@code >= 0}
   */
  long delayNanos(long nowNanos);

  /**
   * Returns the wait still due before sending the attempt {@link #delayNanos} was asked for, {@code >= 0}: ask right
   * before sending and wait again while it is positive (a later Retry-After may have arrived meanwhile). The
   * default returns 0.
   *
   * @param nowNanos the runner's clock reading, in nanoseconds
   * @return nanoseconds still to wait before sending, {@code >= 0}
   */
  default long recheckNanos(long nowNanos) {
    return 0;
  }

  /**
   * Records the attempt's response and decides what to do with it.
   * @param status the HTTP status code of the response
   * @param headers what the response's rate-limit headers say
   * @param nowNanos the runner's clock reading when the response arrived
   * @return whether to hand the response over, retry or give up
   */
  AttemptVerdict onResponse(int status, RateLimitHeaders headers, long nowNanos);

  /**
   * Returns why the call gave up, with the last status and the wait that would have been needed, or
   * {@code null} unless the last verdict was {@link AttemptVerdict#GIVE_UP}.
   * @return why the call gave up, or {@code null} unless the last verdict was {@link AttemptVerdict#GIVE_UP}
   */
  ThrottleGiveUpException giveUp();

  /**
   * Ends the call as a give-up decided by the runner, for a limit the policy cannot see (for example a wait
   * that would pass the HTTP client's call timeout, {@link ThrottleGiveUpException.Reason#CALL_TIMEOUT}). The
   * give-up is logged and reported to the policy's listeners exactly like the policy's own, with the last
   * recorded status (0 before any response), and is returned by {@link #giveUp()} from now on.
   *
   * @param reason why the call ends
   * @param neededDelayNanos the wait that would have been needed, in nanoseconds
   * @return the give-up, for the runner to apply its {@link GiveUpAction}
   * @throws NullPointerException if {@code reason} is null
   * @throws IllegalStateException if the call has already finished
   */
  ThrottleGiveUpException abandon(ThrottleGiveUpException.Reason reason, long neededDelayNanos);

  /**
   * Returns the number of attempts sent so far (responses recorded).
   * @return the number of attempts sent so far (responses recorded)
   */
  int attempts();

  /**
   * Returns the total nanoseconds of waiting this call has been told to do so far.
   * @return the total nanoseconds of waiting this call has been told to do so far
   */
  long totalDelayNanos();
}
