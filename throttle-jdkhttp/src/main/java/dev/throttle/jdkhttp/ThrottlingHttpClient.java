package dev.throttle.jdkhttp;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.AsyncThrottleRunner;
import dev.throttle.core.runner.BlockingRunnerBuilder;
import dev.throttle.core.runner.BlockingThrottleRunner;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.runner.ThrottleInterruptedException;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} that throttles every exchange of the client it wraps with a {@link ThrottlePolicy}:
 * before each attempt it waits as long as the policy's strategy says (pacing from rate-limit headers,
 * {@code Retry-After} after a 429 or 503) and sends the request again when the policy says retry. Being a
 * {@code HttpClient}, it drops in wherever one is passed around.
 *
 * <pre>{@code
 * HttpClient client = ThrottlingHttpClient
 *     .builder(HttpClient.newHttpClient(), ThrottlePolicy.of(Strategies.defaultStrategy(seed)))
 *     .build();
 * HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p><b>{@code send}</b> waits on the calling thread (through a {@link BlockingThrottleRunner}, with the
 * builder's {@code sleeper}); <b>{@code sendAsync}</b> never blocks a thread: waits are scheduled on the
 * builder's {@link Builder#scheduler(ScheduledExecutorService) scheduler} (through an {@link AsyncThrottleRunner}), so one scheduler
 * thread serves any number of waiting calls. All calls share the policy (one strategy: use one client per
 * API or token). Rate-limit headers are read with {@link RateLimitHeaderParser}.
 *
 * <p><b>Exceptions.</b> {@code send} keeps {@code HttpClient}'s contract: the wrapped client's
 * {@link IOException} and {@link InterruptedException} pass through unchanged, and an interrupt during a
 * throttling wait throws {@link InterruptedException} (flag cleared, as {@code send} does). The adapter adds
 * no checked exception: when the policy gives up it returns the last response (default) or, with
 * {@code onGiveUp(GiveUpAction.THROW)}, throws the unchecked
 * {@link dev.throttle.core.policy.ThrottleGiveUpException} ({@code sendAsync}: completes with it).
 *
 * <p><b>Retries</b> resend the same {@link HttpRequest}: its body publisher must be repeatable (those of
 * {@code BodyPublishers.ofString} and {@code ofByteArray} are; {@code ofInputStream} is not). A discarded
 * response whose body is {@link AutoCloseable} (e.g. {@code ofInputStream}) is closed. Push promises are
 * passed through unthrottled. Immutable and thread-safe.
 */
public final class ThrottlingHttpClient extends HttpClient {

  private final HttpClient delegate;
  private final ThrottlePolicy policy;
  private final BlockingThrottleRunner<HttpResponse<?>> blocking;
  private final AsyncThrottleRunner<HttpResponse<?>> async;

  private ThrottlingHttpClient(Builder b) {
    this.delegate = b.delegate;
    this.policy = b.policy();
    Clock wallClock = b.wallClock;
    ResponseAdapter<HttpResponse<?>> adapter = ResponseAdapter.of(HttpResponse::statusCode,
        r -> RateLimitHeaderParser.parseAll(r.headers()::allValues, wallClock.millis()),
        ThrottlingHttpClient::discard);
    this.blocking = BlockingThrottleRunner.builder(b.policy(), adapter).clock(b.clock()).sleeper(b.sleeper())
        .onGiveUp(b.onGiveUp()).build();
    this.async = AsyncThrottleRunner.builder(b.policy(), adapter, b.scheduler()).clock(b.clock())
        .onGiveUp(b.onGiveUp()).build();
  }

  /**
   * Returns a builder for a client that throttles {@code delegate} with {@code policy}.
   *
   * @param delegate the client that sends the requests
   * @param policy the policy every exchange runs under
   * @return a builder
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(HttpClient delegate, ThrottlePolicy policy) {
    return new Builder(delegate, policy);
  }

  /**
   * Returns the policy every exchange runs under.
   *
   * @return the policy
   */
  public ThrottlePolicy policy() {
    return policy;
  }

  /**
   * Returns the wrapped client.
   *
   * @return the client that sends the requests
   */
  public HttpClient delegate() {
    return delegate;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    try {
      return (HttpResponse<T>) blocking.call(() -> {
        try {
          return delegate.send(request, handler);
        } catch (IOException | InterruptedException e) {
          throw new Tunnel(e);
        }
      });
    } catch (Tunnel t) {
      if (t.getCause() instanceof IOException io) {
        throw io;
      }
      throw (InterruptedException) t.getCause();
    } catch (ThrottleInterruptedException e) {
      Thread.interrupted(); // HttpClient.send reports an interrupt by the exception alone
      InterruptedException ie = new InterruptedException(e.getMessage());
      ie.initCause(e);
      throw ie;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> handler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    CompletableFuture<?> f = async.call(() -> delegate.sendAsync(request, handler));
    return (CompletableFuture<HttpResponse<T>>) f;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    CompletableFuture<?> f = async.call(() -> delegate.sendAsync(request, handler, pushPromiseHandler));
    return (CompletableFuture<HttpResponse<T>>) f;
  }

  private static void discard(HttpResponse<?> response) {
    if (response.body() instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // a response being thrown away; nothing to do
      }
    }
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public String toString() {
    return "ThrottlingHttpClient[" + policy.name() + ", " + delegate + "]";
  }

  /** Carries a checked exception of the wrapped client through the runner's {@code Supplier}. */
  private static final class Tunnel extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Tunnel(Exception cause) {
      super(null, cause, false, false);
    }
  }

  /**
   * Builds a {@link ThrottlingHttpClient}: the shared runner settings ({@code clock}, {@code sleeper} for
   * {@code send}, {@code onGiveUp}) plus the {@link #scheduler(ScheduledExecutorService) scheduler} of {@code sendAsync}'s waits and the
   * {@link #wallClock wall clock} that turns HTTP dates into delays. Not thread-safe.
   */
  public static final class Builder extends BlockingRunnerBuilder<Builder> {

    private final HttpClient delegate;
    private ScheduledExecutorService scheduler;
    private Clock wallClock = Clock.systemUTC();

    private Builder(HttpClient delegate, ThrottlePolicy policy) {
      super(policy);
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Sets where {@code sendAsync} schedules its waits and sends retries from (a scheduled task only sends
     * the request, it never blocks); default one shared daemon thread. Not shut down by the client.
     *
     * @param scheduler the scheduler
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
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
     * Returns the scheduler {@code sendAsync} uses.
     *
     * @return the scheduler
     */
    public ScheduledExecutorService scheduler() {
      return scheduler != null ? scheduler : AsyncThrottleRunner.sharedScheduler();
    }

    /**
     * Returns a new client with these settings.
     *
     * @return a new client
     */
    public ThrottlingHttpClient build() {
      return new ThrottlingHttpClient(this);
    }
  }
}
