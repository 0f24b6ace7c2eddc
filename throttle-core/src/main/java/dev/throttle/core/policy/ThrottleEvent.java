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
 */
public record ThrottleEvent(Type type, String key, int attempt, int status, long delayNanos) {

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
