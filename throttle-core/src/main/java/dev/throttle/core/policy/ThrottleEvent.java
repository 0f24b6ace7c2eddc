package dev.throttle.core.policy;

/**
 * Something a runner did on behalf of a throttling policy, reported to {@link ThrottleListener}s.
 *
 * @param type what happened
 * @param key the throttle key (host, token, ...) or the policy's name; never null
 * @param attempt the 1-based attempt the event concerns (for {@code THROTTLE} and {@code RETRY}: the attempt
 *     about to be sent)
 * @param status the HTTP status of the last response, or 0 before any response
 * @param delayNanos the wait in nanoseconds: about to be waited ({@code THROTTLE}, {@code RETRY}) or that would
 *     have been needed ({@code GIVE_UP})
 * @param reason why the call gave up, for {@code GIVE_UP}; null for the other types
 */
public record ThrottleEvent(Type type, String key, int attempt, int status, long delayNanos,
    ThrottleGiveUpException.Reason reason) {

  /**
   * Creates a {@code THROTTLE} or {@code RETRY} event, which has no reason.
   *
   * @param type what happened
   * @param key the throttle key
   * @param attempt the 1-based attempt about to be sent
   * @param status the status of the last response, or 0
   * @param delayNanos the wait about to be waited, in nanoseconds
   */
  public ThrottleEvent(Type type, String key, int attempt, int status, long delayNanos) {
    this(type, key, attempt, status, delayNanos, null);
  }

  /** Kinds of events. */
  public enum Type {
    /** A wait before an attempt because of pacing (no failed response yet). */
    THROTTLE,
    /** A response will be retried after a wait. */
    RETRY,
    /** A limit on waiting was reached; the call gives up. */
    GIVE_UP
  }
}
