package dev.throttle.okhttp;

/**
 * What {@link ThrottlingInterceptor} does when a call gives up: a limit on waiting was reached (attempts, single
 * or total wait, retry budget) or the next wait would pass the call's {@code callTimeout}.
 */
public enum GiveUpBehavior {
  /**
   * Hand the last response (typically the 429) to the caller, as if no interceptor were installed. The default:
   * the caller's ordinary status handling sees the throttle, and nothing is thrown.
   */
  RETURN_LAST_RESPONSE,
  /**
   * Close the last response and throw a {@link ThrottleGiveUpIOException}, an {@link java.io.IOException} as
   * OkHttp's contract requires for call failures; its cause is the core
   * {@link dev.throttle.core.ThrottleGiveUpException} with the reason, last status, attempts and needed wait.
   */
  THROW
}
