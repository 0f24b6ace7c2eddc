package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

/**
 * A client throttling algorithm as a pure state machine: it says how long to wait before each attempt and
 * whether a response should be retried. <b>A strategy never sleeps</b>, never reads a clock (every method is
 * given {@code nowNanos} from the runner's {@link dev.throttle.core.time.NanoClock}) and never starts threads; randomness comes from a
 * seeded source given at build time. Whoever runs it does the waiting: a blocking runner sleeps, an async
 * runner schedules, the OkHttp interceptor waits within the call's timeout, the simulator advances a virtual
 * clock.
 *
 * <p>One instance serves one client (one API, host or token): every call of that client goes through it and
 * they cooperate through its shared state. <b>Implementations must be thread-safe</b>: many threads start
 * calls concurrently. The {@link Call} objects they return are used by one thread at a time.
 *
 * <p>Runners normally go through {@code ThrottlePolicy}, which adds limits on waiting (attempts, single and
 * total wait, retry budget) around a strategy.
 */
public interface ThrottleStrategy {

  /**
   * Starts one logical request (one user call, possibly sent several times).
   *
   * @param nowNanos the runner's clock reading
   * @return the call's state machine
   */
  Call newCall(long nowNanos);

  /** What {@link #pacingIntervalNanos()} returns for a strategy that has no pacing schedule: {@value}. */
  long NO_PACING = -1;

  /**
   * Returns the interval by which this strategy currently spaces the attempts of its client, in nanoseconds,
   * before jitter, Retry-After floors and retry backoff ({@code 1e9 / interval} is the pacing rate per second):
   * <ul>
   *   <li>{@code > 0}: attempts are paced, one per interval;
   *   <li>{@code 0}: the strategy has a pacing schedule but lets attempts go at once now (nothing learned yet, or
   *       banked quota being spent);
   *   <li>{@link #NO_PACING} ({@code -1}): the strategy has no pacing schedule at all (the default, e.g. pure
   *       backoff strategies). A strategy answers it either always or never.
   * </ul>
   * A snapshot for metrics and logs, for example a gauge read by a metrics scrape: it has no side effect (it
   * reserves nothing and changes no state), never throws and never waits for long; implementations must be safe to
   * call from any thread at any time.
   *
   * @return the current pacing interval in nanoseconds, {@code >= 0}, or {@link #NO_PACING}
   */
  default long pacingIntervalNanos() {
    return NO_PACING;
  }

  /**
   * Why a strategy itself stopped retrying a response it would otherwise retry (a 429, or a 503 with
   * Retry-After), for strategies that carry their own limits, such as the AWS adaptive retry mode's attempt limit
   * and retry quota ({@link AdaptiveRateStrategy}). {@code ThrottlePolicy} reports it as a give-up with the
   * matching {@code ThrottleGiveUpException.Reason}.
   */
  enum GiveUp {
    /** The strategy's own maximum number of attempts was sent. */
    MAX_ATTEMPTS,
    /** The strategy's own retry budget (a retry quota) could not pay for another attempt. */
    RETRY_BUDGET
  }

  /**
   * The state of one logical request. Protocol: {@code delayNanos} before every attempt (the first included),
   * then {@code onResponse} with the attempt's outcome; repeat while it returns true. Not thread-safe.
   */
  interface Call {

    /**
     * Returns how long to wait before sending the next attempt, in nanoseconds, {@code >= 0}: for the first
     * attempt the proactive pacing delay, afterwards the retry delay. Called exactly once per attempt.
     * @param nowNanos the runner's clock reading
     * @return how long to wait before sending the next attempt, in nanoseconds, {@code >= 0}
     */
    long delayNanos(long nowNanos);

    /**
     * Returns the wait still due, in nanoseconds {@code >= 0}, before sending the attempt whose delay
     * {@link #delayNanos} last handed out: a runner asks right before it sends, and waits again if the answer is
     * positive, because a response to another call may since have said not before a later instant (a Retry-After,
     * or {@code r = 0} with its reset). It never reserves anything. The default returns 0.
     * @param nowNanos the caller's clock reading, in nanoseconds
     * @return the wait still due, in nanoseconds {@code >= 0}, before sending the attempt whose delay {@link
     *     #delayNanos} last handed out: a runner asks right before it sends, and waits again if the answer is positive,
     *     because a response to another call may since have said not before a later instant (a Retry-After, or {@code r
     *     = 0} with its reset)
     */
    default long recheckNanos(long nowNanos) {
      return 0;
    }

    /**
     * Records the response to the attempt just sent.
     *
     * @param status the HTTP status code
     * @param headers what the response's rate-limit headers said ({@link RateLimitHeaders#EMPTY} if nothing)
     * @param nowNanos the runner's clock reading when the response arrived
     * @return true if the request should be sent again (after {@link #delayNanos}), false if this response is
     *     the answer to hand to the caller
     */
    boolean onResponse(int status, RateLimitHeaders headers, long nowNanos);

    /**
     * Returns why the last {@link #onResponse} returned false for a response the strategy would otherwise have
     * retried (a 429, or a 503 with Retry-After), or null when the response is simply the answer. A non-null value
     * is a give-up decided by the strategy's own limits; runners going through {@code ThrottlePolicy} see it as
     * a give-up verdict. The default returns null (the strategy never gives up by itself).
     * @return why the strategy gave up on the last response, or null if it did not
     */
    default GiveUp giveUpReason() {
      return null;
    }
  }
}
