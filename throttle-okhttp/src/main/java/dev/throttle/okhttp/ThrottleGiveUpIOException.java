package dev.throttle.okhttp;

import dev.throttle.core.policy.ThrottleGiveUpException;

import java.io.IOException;
import java.util.Objects;

/**
 * Thrown by {@link ThrottlingInterceptor} (so by {@code Call.execute()} or passed to
 * {@code Callback.onFailure}) when a throttled call gives up and the interceptor was built with
 * {@link dev.throttle.core.policy.GiveUpAction#THROW}. An {@link IOException} because OkHttp's interceptor contract reports call
 * failures that way (any other exception type would be treated as a bug and cancel the call); the core
 * {@link ThrottleGiveUpException} with the reason, last status, attempts and the wait that would have been needed
 * is the {@linkplain #getCause() cause} and {@link #giveUp()}.
 *
 * <p>Immutable.
 */
public final class ThrottleGiveUpIOException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The throttle key. */
  private final String key;

  /**
   * Creates the exception.
   *
   * @param key the throttle key of the call (host, token, ...)
   * @param giveUp why the call gave up
   * @throws NullPointerException if an argument is null
   */
  public ThrottleGiveUpIOException(String key, ThrottleGiveUpException giveUp) {
    super("throttled call to '" + Objects.requireNonNull(key, "key") + "' "
        + Objects.requireNonNull(giveUp, "giveUp").getMessage(), giveUp);
    this.key = key;
  }

  /**
   * Returns why the call gave up.
   *
   * @return the core exception: reason, last status, attempts, needed wait
   */
  public ThrottleGiveUpException giveUp() {
    return (ThrottleGiveUpException) getCause();
  }

  /**
   * Returns the throttle key of the call.
   *
   * @return the key (by default the request's {@code host:port})
   */
  public String key() {
    return key;
  }
}
