package dev.throttle.core.policy;

/**
 * Thrown (or handed out by {@link ThrottledCall#giveUp()}) when a request that the strategy wanted to retry
 * is abandoned because a limit on waiting was reached. Carries the last response's status and the wait that
 * would have been needed, so callers can report or reschedule.
 *
 * <p>Unchecked; immutable.
 */
public final class ThrottleGiveUpException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Which limit ended the call. */
  public enum Reason {
    /** The maximum number of attempts (the policy's, or the strategy's own) was sent. */
    MAX_ATTEMPTS,
    /** The next wait would have been longer than the maximum single wait. */
    MAX_DELAY,
    /** The next wait would have taken the call past its maximum total wait. */
    MAX_TOTAL_WAIT,
    /** The next wait would have ended after the caller's deadline (e.g. the HTTP client's call timeout). */
    CALL_TIMEOUT,
    /**
     * The client's retry budget was exhausted: the policy's {@link RetryBudget}, or the strategy's own retry
     * quota (e.g. the AWS adaptive mode's).
     */
    RETRY_BUDGET
  }

  /** The limit that was reached. */
  private final Reason reason;
  /** The HTTP status of the last response. */
  private final int lastStatus;
  /** The attempts sent. */
  private final int attempts;
  /** The wait in nanoseconds the strategy asked for before the attempt that was not made. */
  private final long neededDelayNanos;

  /**
   * Creates the exception.
   *
   * @param reason the limit that was reached
   * @param lastStatus the HTTP status of the last response
   * @param attempts attempts sent
   * @param neededDelayNanos the wait the strategy asked for before the next attempt
   */
  public ThrottleGiveUpException(Reason reason, int lastStatus, int attempts, long neededDelayNanos) {
    super("gave up after " + attempts + " attempt(s), last status " + lastStatus + ": " + reason
        + " (next wait would have been " + neededDelayNanos / 1_000_000 + " ms)", null, false, false);
    this.reason = reason;
    this.lastStatus = lastStatus;
    this.attempts = attempts;
    this.neededDelayNanos = neededDelayNanos;
  }

  /**
   * Returns the limit that was reached.
   * @return the limit that was reached
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns the HTTP status of the last response.
   * @return the HTTP status of the last response
   */
  public int lastStatus() {
    return lastStatus;
  }

  /**
   * Returns the attempts sent.
   * @return the attempts sent
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns the wait in nanoseconds the strategy asked for before the attempt that was not made.
   * @return the wait in nanoseconds the strategy asked for before the attempt that was not made
   */
  public long neededDelayNanos() {
    return neededDelayNanos;
  }
}
