package dev.throttle.core.policy;

/** What a runner does when a call's verdict is {@link AttemptVerdict#GIVE_UP}. */
public enum GiveUpAction {
  /** Hand the last response (e.g. the final 429) to the caller, as if no runner were there. The default. */
  RETURN_LAST_RESPONSE,
  /** Discard the last response and throw the call's {@link ThrottleGiveUpException}. */
  THROW
}
