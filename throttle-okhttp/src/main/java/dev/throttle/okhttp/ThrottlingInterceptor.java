package dev.throttle.okhttp;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.runner.BlockingRunnerBuilder;
import dev.throttle.core.policy.AttemptVerdict;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.core.time.NanoClock;
import dev.throttle.core.time.Sleeper;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OkHttp <b>application</b> interceptor that throttles calls with a throttle-core {@link ThrottlePolicy}:
 * before each attempt it waits as long as the policy's strategy says (proactive pacing from {@code RateLimit}
 * headers, backoff after a 429), and when the server answers 429 (or 503 with {@code Retry-After}) it sends the
 * request again if the policy says {@link AttemptVerdict#RETRY}. Install it with
 * {@link okhttp3.OkHttpClient.Builder#addInterceptor}, <em>not</em> {@code addNetworkInterceptor}: it calls
 * {@code chain.proceed} more than once, which only application interceptors may do.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(ThrottlingInterceptor.builder(() -> Strategies.defaultStrategy(seed)).build())
 *     .build();
 * }</pre>
 *
 * <p><b>Shared state.</b> Calls are grouped by a throttle key: by default the request's {@code host:port}, or
 * whatever {@link Builder#keyFunction keyFunction} returns (for example a label for the API token). With a
 * {@linkplain Builder#strategyPerKey strategy factory} each key gets its own strategy instance (and policy named
 * after the key, so events and log lines carry it); the calls of one key cooperate through it. Without one, all
 * calls share the given policy. At most {@link Builder#maxKeys maxKeys} keys are kept. Keys appear in logs and
 * events: do not use a raw secret as a key.
 *
 * <p><b>Waiting.</b> Waits happen on the calling thread in slices of at most 20 ms. A wait ends early with an
 * {@link IOException} "Canceled" when the call is {@linkplain Call#cancel() cancelled}, and with an
 * {@link InterruptedIOException} (interrupt flag kept) when the thread is interrupted. A wait that would pass
 * the call's {@code callTimeout} is not started: the call gives up at once (see below). With
 * {@code Call.enqueue} the wait runs on a Dispatcher thread and <b>holds one of the Dispatcher's slots</b>
 * ({@code maxRequests}, default 64, and {@code maxRequestsPerHost}, default 5) for its whole length: five calls
 * waiting on one host hold back every other queued call to that host. Raise {@code maxRequestsPerHost}, or keep
 * long waits out of the interceptor (a small {@code maxDelay} in the policy plus {@link GiveUpAction#THROW}, and
 * reschedule yourself) if that matters.
 *
 * <p><b>Giving up.</b> When the policy gives up (attempts, single wait, total wait, retry budget) or the next
 * wait would pass the call timeout, the interceptor by default returns the last response (the 429 or 503) as if
 * it were not there; with {@link GiveUpAction#THROW} (see {@code onGiveUp}) it closes it and throws a
 * {@link ThrottleGiveUpIOException}. A pacing wait before the <em>first</em> attempt that would pass the call
 * timeout always throws {@link ThrottleGiveUpIOException}: there is no response to return.
 *
 * <p><b>What is retried.</b> Only what the policy answers {@link AttemptVerdict#RETRY} for, and never a request whose
 * body is {@linkplain RequestBody#isOneShot() one-shot} or {@linkplain RequestBody#isDuplex() duplex} (the
 * response is returned instead). Non-idempotent methods follow {@link NonIdempotentRetry} (default: retried on
 * 429 only). The policy has already recorded such a refused retry (its strategy saw the response, its listener
 * got a {@code RETRY} event, a retry-budget token was spent); only the resending is skipped. Every discarded
 * response is closed before the next attempt (and before waiting), so no connection leaks. I/O failures propagate unchanged: OkHttp's own {@code retryOnConnectionFailure} handles those.
 *
 * <p>Logs and events come from the policy: waits at debug, give-ups at warn, and every event (a give-up for the
 * call timeout included, as {@link dev.throttle.core.policy.ThrottleEvent.Type#GIVE_UP} with reason
 * {@link ThrottleGiveUpException.Reason#CALL_TIMEOUT}) to its listeners. This class only logs refused retries
 * (debug). The builder shares its setter names ({@code clock}, {@code sleeper}, {@code onGiveUp}) with every
 * other runner, through {@link BlockingRunnerBuilder}.
 *
 * <p>Immutable and thread-safe; one instance may serve any number of clients and calls.
 */
public final class ThrottlingInterceptor implements Interceptor {

  private static final Logger LOG = LoggerFactory.getLogger(ThrottlingInterceptor.class);

  /** Longest single sleep between checks for cancellation. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Default {@link Builder#maxKeys}. */
  public static final int DEFAULT_MAX_KEYS = 10_000;

  private static final Set<String> IDEMPOTENT_METHODS =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  private final ThrottlePolicy sharedPolicy;
  private final KeyedPolicies keyedPolicies;
  private final Function<Request, String> keyFunction;
  private final GiveUpAction onGiveUp;
  private final NonIdempotentRetry nonIdempotentRetry;
  private final NanoClock clock;
  private final Clock wallClock;
  private final Sleeper sleeper;

  private ThrottlingInterceptor(Builder b) {
    if (b.strategyFactory == null) {
      this.sharedPolicy = b.policy();
      this.keyedPolicies = null;
    } else {
      ThrottlePolicy template = b.policy();
      Supplier<? extends ThrottleStrategy> factory = b.strategyFactory;
      this.sharedPolicy = null;
      this.keyedPolicies = new KeyedPolicies(key -> template.withStrategy(
          Objects.requireNonNull(factory.get(), "strategy factory returned null"), key), b.maxKeys);
    }
    this.keyFunction = b.keyFunction;
    this.onGiveUp = b.onGiveUp();
    this.nonIdempotentRetry = b.nonIdempotentRetry;
    this.clock = b.clock();
    this.wallClock = b.wallClock;
    this.sleeper = b.sleeper();
  }

  /**
   * Returns a builder for an interceptor that runs every call under {@code policy}: its limits, listener and
   * strategy. Unless {@link Builder#strategyPerKey} is set, all calls through the interceptor share the
   * policy's one strategy instance, which suits a client that talks to one API.
   *
   * @param policy the policy (limits, listener, and the shared strategy or the per-key template)
   * @return a new builder
   * @throws NullPointerException if {@code policy} is null
   */
  public static Builder builder(ThrottlePolicy policy) {
    return new Builder(Objects.requireNonNull(policy, "policy"));
  }

  /**
   * Returns a builder for an interceptor that gives each throttle key (by default each {@code host:port}) its
   * own strategy from {@code strategyFactory}, under the default policy limits
   * ({@link ThrottlePolicy#of}); set other limits with {@link Builder#policy}. Same as
   * {@code builder(ThrottlePolicy.of(strategyFactory.get())).strategyPerKey(strategyFactory)}.
   *
   * @param strategyFactory makes a new strategy instance per key
   * @return a new builder
   * @throws NullPointerException if {@code strategyFactory} is null or returns null
   */
  public static Builder builder(Supplier<? extends ThrottleStrategy> strategyFactory) {
    Objects.requireNonNull(strategyFactory, "strategyFactory");
    ThrottleStrategy first = Objects.requireNonNull(strategyFactory.get(), "strategyFactory returned null");
    return new Builder(ThrottlePolicy.of(first)).strategyPerKey(strategyFactory);
  }

  /** The default throttle key: the request's {@code host:port}. */
  static String hostKey(Request request) {
    HttpUrl url = request.url();
    return url.host() + ":" + url.port();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Call call = chain.call();
    String key = keyOf(request);
    ThrottlePolicy policy = sharedPolicy != null ? sharedPolicy : keyedPolicies.get(key);
    long start = clock.nanoTime();
    long timeoutNanos = call.timeout().timeoutNanos(); // the callTimeout (0 = none); it started about now
    ThrottledCall throttled = timeoutNanos > 0
        ? policy.newCallWithDeadline(start, start + timeoutNanos)
        : policy.newCall(start);
    Response response = null;
    while (true) {
      long delay = Math.max(0, throttled.delayNanos(clock.nanoTime()));
      if (delay > 0 && timeoutNanos > 0 && delay >= timeoutNanos - (clock.nanoTime() - start)) {
        LOG.debug("{}: the next wait ({} ms) would pass the call timeout", key, delay / 1_000_000);
        ThrottleGiveUpException giveUp = throttled.abandon(ThrottleGiveUpException.Reason.CALL_TIMEOUT, delay);
        return onGiveUp.apply(response, Response::close, new ThrottleGiveUpIOException(key, giveUp));
      }
      if (response != null) {
        response.close(); // before waiting: the connection goes back to the pool meanwhile
        response = null;
      }
      if (delay > 0) {
        await(call, delay);
        // right before sending: a not-before instant learned meanwhile (another thread's Retry-After) still holds
        for (long again = throttled.recheckNanos(clock.nanoTime()); again > 0;
            again = throttled.recheckNanos(clock.nanoTime())) {
          if (timeoutNanos > 0 && again >= timeoutNanos - (clock.nanoTime() - start)) {
            LOG.debug("{}: the re-checked wait ({} ms) would pass the call timeout", key, again / 1_000_000);
            ThrottleGiveUpException giveUp = throttled.abandon(ThrottleGiveUpException.Reason.CALL_TIMEOUT, again);
            return onGiveUp.apply(null, Response::close, new ThrottleGiveUpIOException(key, giveUp));
          }
          await(call, again);
        }
      } else if (call.isCanceled()) {
        throw new IOException("Canceled");
      }
      response = chain.proceed(request);
      int status = response.code();
      AttemptVerdict verdict;
      try {
        RateLimitHeaders info = RateLimitHeaderParser.parseAll(response.headers()::values, wallClock.millis());
        verdict = throttled.onResponse(status, info, clock.nanoTime());
      } catch (RuntimeException | Error e) { // a broken strategy or listener: do not leak the connection
        response.close();
        throw e;
      }
      if (verdict == AttemptVerdict.DONE) {
        return response;
      }
      if (verdict == AttemptVerdict.GIVE_UP) {
        return onGiveUp.apply(response, Response::close, new ThrottleGiveUpIOException(key, throttled.giveUp()));
      }
      String refusal = retryRefusal(request, status);
      if (refusal != null) {
        LOG.debug("{}: not retrying {} {} after status {}: {}", key, request.method(), request.url().redact(),
            status, refusal);
        return response;
      }
    }
  }

  private String keyOf(Request request) {
    String key = keyFunction.apply(request);
    return key == null || key.isEmpty() ? hostKey(request) : key;
  }

  /** Returns why a response to {@code request} with {@code status} must not be retried, or null if it may. */
  private String retryRefusal(Request request, int status) {
    RequestBody body = request.body();
    if (body != null && body.isOneShot()) {
      return "one-shot request body";
    }
    if (body != null && body.isDuplex()) {
      return "duplex request body";
    }
    if (IDEMPOTENT_METHODS.contains(request.method()) || request.header("Idempotency-Key") != null) {
      return null;
    }
    switch (nonIdempotentRetry) {
      case ALWAYS:
        return null;
      case ON_429:
        return status == 429 ? null : "non-idempotent method (retried on 429 only)";
      case NEVER:
      default:
        return "non-idempotent method";
    }
  }

  /** Waits {@code nanos} in slices, ending early if the call is cancelled or the thread interrupted. */
  private void await(Call call, long nanos) throws IOException {
    long start = clock.nanoTime();
    while (true) {
      if (call.isCanceled()) {
        throw new IOException("Canceled");
      }
      long left = nanos - (clock.nanoTime() - start);
      if (left <= 0) {
        return;
      }
      try {
        sleeper.sleep(Math.min(left, SLICE_NANOS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException io = new InterruptedIOException("interrupted while throttling");
        io.initCause(e);
        throw io;
      }
    }
  }

  /**
   * Builds a {@link ThrottlingInterceptor}. Each setter checks its argument at once; {@link #build()} may be
   * called more than once and does not change the builder. Not thread-safe.
   */
  public static final class Builder extends BlockingRunnerBuilder<Builder> {
    private Supplier<? extends ThrottleStrategy> strategyFactory;
    private Function<Request, String> keyFunction = ThrottlingInterceptor::hostKey;
    private int maxKeys = DEFAULT_MAX_KEYS;
    private NonIdempotentRetry nonIdempotentRetry = NonIdempotentRetry.ON_429;
    private Clock wallClock = Clock.systemUTC();

    private Builder(ThrottlePolicy policy) {
      super(policy);
    }

    /**
     * Sets the policy: its limits and listener, and, unless {@link #strategyPerKey} is set, the strategy all
     * calls share. With {@code strategyPerKey} it is the template each key's policy is copied from
     * ({@link ThrottlePolicy#withStrategy(ThrottleStrategy, String)}: same limits and listener, the key as name,
     * a fresh retry budget per key).
     *
     * @param policy the policy (limits, listener, and the shared strategy or the per-key template)
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public Builder policy(ThrottlePolicy policy) {
      replacePolicy(policy);
      return this;
    }

    /**
     * Gives each throttle key its own strategy instance from {@code strategyFactory} (called once per new
     * key; must return a new instance each time). Default: none, all calls share the policy's strategy.
     *
     * @param strategyFactory makes a new strategy instance per key
     * @return this builder
     * @throws NullPointerException if {@code strategyFactory} is null
     */
    public Builder strategyPerKey(Supplier<? extends ThrottleStrategy> strategyFactory) {
      this.strategyFactory = Objects.requireNonNull(strategyFactory, "strategyFactory");
      return this;
    }

    /**
     * Sets how requests are grouped into throttle keys. Default: the request's {@code host:port}. A function
     * returning null or an empty string falls back to the default for that request. Keys are used as policy
     * names in logs and events, so return a label, not a raw secret.
     *
     * @param keyFunction maps a request to its throttle key
     * @return this builder
     * @throws NullPointerException if {@code keyFunction} is null
     */
    public Builder keyFunction(Function<Request, String> keyFunction) {
      this.keyFunction = Objects.requireNonNull(keyFunction, "keyFunction");
      return this;
    }

    /**
     * Sets how many keys keep their own strategy at once (with {@link #strategyPerKey}); beyond it an
     * arbitrary key's state is forgotten. Default {@value ThrottlingInterceptor#DEFAULT_MAX_KEYS}.
     *
     * @param maxKeys the most keys kept at once, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxKeys < 1}
     */
    public Builder maxKeys(int maxKeys) {
      if (maxKeys < 1) {
        throw new IllegalArgumentException("maxKeys must be >= 1, was " + maxKeys);
      }
      this.maxKeys = maxKeys;
      return this;
    }

    /**
     * Sets which responses a non-idempotent request (POST, PATCH, ... without {@code Idempotency-Key}) is
     * retried on. Default {@link NonIdempotentRetry#ON_429}.
     *
     * @param nonIdempotentRetry which responses non-idempotent requests are retried on
     * @return this builder
     * @throws NullPointerException if {@code nonIdempotentRetry} is null
     */
    public Builder nonIdempotentRetry(NonIdempotentRetry nonIdempotentRetry) {
      this.nonIdempotentRetry = Objects.requireNonNull(nonIdempotentRetry, "nonIdempotentRetry");
      return this;
    }

    /**
     * Sets the wall clock that turns {@code Retry-After} HTTP-dates and epoch resets into delays. Default
     * {@link Clock#systemUTC()}.
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
     * Returns a new interceptor with this configuration.
     *
     * @return a new interceptor
     */
    public ThrottlingInterceptor build() {
      return new ThrottlingInterceptor(this);
    }
  }
}
