package dev.throttle.core.policy;

/** What a runner should do with a response, as decided by a {@link ThrottledCall}. */
public enum AttemptVerdict {
  /** Hand this response to the caller. */
  DONE,
  /** Discard this response (close it) and send the request again after {@link ThrottledCall#delayNanos}. */
  RETRY,
  /**
   * The strategy wanted to retry but a limit on waiting was reached; {@link ThrottledCall#giveUp()} says which.
   * Runners either hand this last response to the caller or throw that exception, as configured.
   */
  GIVE_UP
}
