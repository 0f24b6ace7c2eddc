package dev.throttle.spring;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.BlockingRunnerBuilder;
import dev.throttle.core.runner.BlockingThrottleRunner;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.runner.ThrottleInterruptedException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Objects;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A Spring {@link ClientHttpRequestInterceptor} for {@code RestClient} and {@code RestTemplate} that runs every
 * exchange under a {@link ThrottlePolicy}: before each attempt it waits, on the calling thread, as long as the
 * policy's strategy says (pacing from rate-limit headers, {@code Retry-After} after a 429 or 503) and executes
 * the request again when the policy says retry, closing the discarded response first.
 *
 * <pre>{@code
 * RestClient client = RestClient.builder()
 *     .requestInterceptor(ThrottlingClientHttpRequestInterceptor.builder(policy).build())
 *     .build();
 * }</pre>
 *
 * <p><b>Register it last.</b> Spring (6.x) runs interceptors through a one-shot iterator: a retry re-executes
 * only what comes after this interceptor, so interceptors registered after it are skipped on retries.
 * Waits go through a {@link BlockingThrottleRunner} with the builder's {@code clock} and {@code sleeper}.
 *
 * <p><b>Exceptions.</b> I/O failures propagate unchanged (Spring's clients wrap them in
 * {@code ResourceAccessException}); an interrupt during a wait throws {@link InterruptedIOException} with the
 * interrupt flag kept. On give-up the last response (the 429 or 503) is returned (default), or, with
 * {@code onGiveUp(GiveUpAction.THROW)}, closed and the unchecked
 * {@link dev.throttle.core.policy.ThrottleGiveUpException} thrown. Nothing checked is added to the
 * interceptor's {@code IOException} contract.
 *
 * <p>All exchanges share the policy (one strategy: use one interceptor per API or token). Immutable and
 * thread-safe.
 */
public final class ThrottlingClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

  private final BlockingThrottleRunner<ClientHttpResponse> runner;

  private ThrottlingClientHttpRequestInterceptor(Builder b) {
    Clock wallClock = b.wallClock;
    ResponseAdapter<ClientHttpResponse> adapter = ResponseAdapter.of(
        ThrottlingClientHttpRequestInterceptor::status,
        r -> RateLimitHeaderParser.parseAll(r.getHeaders()::get, wallClock.millis()),
        ClientHttpResponse::close);
    this.runner = BlockingThrottleRunner.builder(b.policy(), adapter).clock(b.clock()).sleeper(b.sleeper())
        .onGiveUp(b.onGiveUp()).build();
  }

  /**
   * Returns a builder for an interceptor that runs exchanges under {@code policy}.
   *
   * @param policy the policy
   * @return a builder
   * @throws NullPointerException if {@code policy} is null
   */
  public static Builder builder(ThrottlePolicy policy) {
    return new Builder(policy);
  }

  /**
   * Returns the policy every exchange runs under.
   *
   * @return the policy
   */
  public ThrottlePolicy policy() {
    return runner.policy();
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    try {
      return runner.call(() -> {
        try {
          return execution.execute(request, body);
        } catch (IOException e) {
          throw new Tunnel(e);
        }
      });
    } catch (Tunnel t) {
      throw (IOException) t.getCause();
    } catch (ThrottleInterruptedException e) {
      InterruptedIOException io = new InterruptedIOException(e.getMessage());
      io.initCause(e);
      throw io;
    }
  }

  private static int status(ClientHttpResponse response) {
    try {
      return response.getStatusCode().value();
    } catch (IOException e) {
      throw new Tunnel(e);
    }
  }

  /** Carries an {@link IOException} through the runner's {@code Supplier}. */
  private static final class Tunnel extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Tunnel(IOException cause) {
      super(null, cause, false, false);
    }
  }

  /**
   * Builds a {@link ThrottlingClientHttpRequestInterceptor}: the shared runner settings ({@code clock},
   * {@code sleeper}, {@code onGiveUp}) plus the {@link #wallClock wall clock} that turns HTTP dates into
   * delays. Not thread-safe.
   */
  public static final class Builder extends BlockingRunnerBuilder<Builder> {

    private Clock wallClock = Clock.systemUTC();

    private Builder(ThrottlePolicy policy) {
      super(policy);
    }

    /**
     * Sets the wall clock against which {@code Retry-After} dates and epoch resets are read; default UTC
     * system clock.
     *
     * @param wallClock the wall clock
     * @return this builder
     * @throws NullPointerException if {@code wallClock} is null
     */
    public Builder wallClock(Clock wallClock) {
      this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
      return this;
    }

    /**
     * Returns a new interceptor with these settings.
     *
     * @return a new interceptor
     */
    public ThrottlingClientHttpRequestInterceptor build() {
      return new ThrottlingClientHttpRequestInterceptor(this);
    }
  }
}
