package dev.throttle.core.policy;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a runner does when a call gives up (verdict {@link AttemptVerdict#GIVE_UP}, or
 * {@link ThrottledCall#abandon}). {@link #apply} is the one implementation of that rule every runner and
 * adapter uses. Immutable.
 */
public enum GiveUpAction {
  /** Hand the last response (e.g. the final 429) to the caller, as if no runner were there. The default. */
  RETURN_LAST_RESPONSE,
  /** Discard the last response and throw the call's {@link ThrottleGiveUpException}. */
  THROW;

  /**
   * Applies this action to a call that gave up: with {@link #RETURN_LAST_RESPONSE} returns {@code last};
   * otherwise, or when there is no last response (a give-up before the first attempt), discards
   * {@code last} (if any) and throws {@code failure}.
   *
   * @param last the last response, or null if none was received
   * @param discard releases a response that is not handed to the caller (closes its body)
   * @param failure what to throw: the call's {@link ThrottleGiveUpException}, or an adapter's wrapper of it
   * @param <R> the response type
   * @param <X> the exception type
   * @return {@code last}, with {@link #RETURN_LAST_RESPONSE}
   * @throws X with {@link #THROW} or without a last response
   * @throws NullPointerException if {@code discard} or {@code failure} is null
   */
  public <R, X extends Exception> R apply(R last, Consumer<? super R> discard, X failure) throws X {
    Objects.requireNonNull(discard, "discard");
    Objects.requireNonNull(failure, "failure");
    if (this == RETURN_LAST_RESPONSE && last != null) {
      return last;
    }
    if (last != null) {
      discard.accept(last);
    }
    throw failure;
  }
}
