package dev.throttle.core.runner;

import dev.throttle.core.headers.RateLimitHeaders;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Reads what a throttling runner needs from the caller's response type {@code R} (an HTTP client's response,
 * a test double, ...): the status code and the rate-limit headers, and closes responses the runner discards
 * because it retries. Keeps the core free of any HTTP client dependency.
 *
 * <p>Implementations must be thread-safe and must not throw for a well-formed response.
 *
 * @param <R> the response type
 */
public interface ResponseAdapter<R> {

  /**
   * Returns the HTTP status code of {@code response}.
   * @param response the response
   * @return the HTTP status code of {@code response}
   */
  int status(R response);

  /**
   * Returns what {@code response}'s rate-limit headers say, e.g. via {@code RateLimitHeaderParser}, or
   * {@link RateLimitHeaders#EMPTY}.
   * @param response the response
   * @return what {@code response}'s rate-limit headers say, or {@link RateLimitHeaders#EMPTY}
   */
  RateLimitHeaders headers(R response);

  /**
   * Releases a response the runner will not hand to the caller (it is retried, or the runner throws on
   * give-up), e.g. closes its body. The default does nothing. Must not throw.
   * @param response the response
   */
  default void discard(R response) {
  }

  /**
   * Returns an adapter from two functions; {@link #discard} does nothing.
   *
   * @param <R> the response type
   * @param status reads the status code
   * @param headers reads the rate-limit headers
   * @return an adapter from two functions; {@link #discard} does nothing
   * @throws NullPointerException if an argument is null
   */
  static <R> ResponseAdapter<R> of(ToIntFunction<? super R> status,
      Function<? super R, RateLimitHeaders> headers) {
    return of(status, headers, r -> { });
  }

  /**
   * Returns an adapter from three functions.
   *
   * @param <R> the response type
   * @param status reads the status code
   * @param headers reads the rate-limit headers
   * @param discard releases a discarded response (e.g. {@code Response::close})
   * @return an adapter from three functions
   * @throws NullPointerException if an argument is null
   */
  static <R> ResponseAdapter<R> of(ToIntFunction<? super R> status, Function<? super R, RateLimitHeaders> headers,
      Consumer<? super R> discard) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(discard, "discard");
    return new ResponseAdapter<>() {
      @Override
      public int status(R response) {
        return status.applyAsInt(response);
      }

      @Override
      public RateLimitHeaders headers(R response) {
        RateLimitHeaders info = headers.apply(response);
        return info == null ? RateLimitHeaders.EMPTY : info;
      }

      @Override
      public void discard(R response) {
        discard.accept(response);
      }
    };
  }
}
