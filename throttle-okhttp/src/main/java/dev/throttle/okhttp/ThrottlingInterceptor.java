package dev.throttle.okhttp;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.runner.AsyncThrottleRunner;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OkHttp <b>application</b> interceptor that throttles calls with a throttle-core {@link ThrottlePolicy}:
 * before each attempt it waits as long as the policy's strategy says (pacing from rate-limit headers, backoff
 * after a 429), and when the server answers 429 (or 503 with {@code Retry-After}) it sends the request again if
 * the policy says {@link AttemptVerdict#RETRY}. Install it with {@code addInterceptor}, never
 * {@code addNetworkInterceptor}: it calls {@code chain.proceed} more than once.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(ThrottlingInterceptor.builder(() -> Strategies.defaultStrategy()).build())
 *     .build();
 * }</pre>
 *
 * <p>Calls are grouped by a throttle key ({@code host:port} by default, see {@link Builder#keyFunction}); with a
 * {@linkplain Builder#strategyPerKey strategy factory} each key gets its own strategy, at most
 * {@link Builder#maxKeys maxKeys} of them (least recently used forgotten first). Waits run on the calling thread
 * in slices of at most 20 ms (nanoseconds from the builder's {@code clock}), end early on
 * {@link Call#cancel()} or an interrupt, and never pass the call's {@code callTimeout}. On give-up it returns the
 * last response, or with {@link GiveUpAction#THROW} throws a {@link ThrottleGiveUpIOException} (an
 * {@code IOException}, as OkHttp requires; its cause carries the {@link ThrottleGiveUpException.Reason}).
 * One-shot and duplex bodies are never replayed; discarded responses are closed before waiting. For asynchronous calls use
 * {@link #executeAsync(OkHttpClient, Request)}: its waits are {@linkplain ScheduledExecutorService scheduled},
 * so no Dispatcher thread sleeps. Behaviour case by case, options and costs: {@code docs/okhttp.md}.
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
  private final Function<Request, String> keyFunction; // null: host:port
  private final ScheduledExecutorService scheduler;
  /** The last default key made, reused while requests go to the same host and port (no per-call string). */
  private volatile HostKey lastHostKey;
  /** The last client given to {@link #executeAsync} and the same client without this interceptor. */
  private volatile ClientPair lastClients;
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
      Supplier<? extends ThrottleStrategy> factory = b.strategyFactory;
      ThrottlePolicy template = b.policy();
      this.sharedPolicy = null;
      this.keyedPolicies = new KeyedPolicies(key -> keyPolicy(template, factory, key), b.maxKeys);
    }
    this.keyFunction = b.keyFunction;
    this.scheduler = b.scheduler;
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
   * @throws NullPointerException if {@code strategyFactory} is null
   * @throws IllegalArgumentException if {@code strategyFactory} returns null (see {@link Builder#build()} for
   *     the other checks)
   */
  public static Builder builder(Supplier<? extends ThrottleStrategy> strategyFactory) {
    Objects.requireNonNull(strategyFactory, "strategyFactory");
    ThrottleStrategy first = strategyFactory.get();
    if (first == null) {
      throw new IllegalArgumentException(
          "strategyPerKey: the strategy factory returned null; it must return a new strategy on every call");
    }
    return new Builder(ThrottlePolicy.of(first)).strategyPerKey(strategyFactory);
  }

  /** The default throttle key: the request's {@code host:port}. */
  static String hostKey(Request request) {
    HttpUrl url = request.url();
    return url.host() + ":" + url.port();
  }

  /**
   * A new key's policy: the template with a fresh strategy. A factory that fails at run time (it passed the
   * build-time check) must not lose the request: the key then shares the template's strategy, with a warning.
   */
  private static ThrottlePolicy keyPolicy(ThrottlePolicy template, Supplier<? extends ThrottleStrategy> factory,
      String key) {
    ThrottleStrategy strategy;
    try {
      strategy = factory.get();
    } catch (RuntimeException e) {
      LOG.warn("{}: strategy factory failed; this key shares the template policy's strategy", key, e);
      return template.withStrategy(template.strategy(), key);
    }
    if (strategy == null) {
      LOG.warn("{}: strategy factory returned null; this key shares the template policy's strategy", key);
      return template.withStrategy(template.strategy(), key);
    }
    return template.withStrategy(strategy, key);
  }

  /** A default key and the host and port it was made from. */
  private record HostKey(String host, int port, String key) {}

  /** A client and the same client without this interceptor. */
  private record ClientPair(OkHttpClient given, OkHttpClient withoutThis) {}

  /** The policy that runs calls of {@code key}, marked used at {@code nowNanos}. */
  private ThrottlePolicy policyFor(String key, long nowNanos) {
    return sharedPolicy != null ? sharedPolicy : keyedPolicies.get(key, nowNanos);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Call call = chain.call();
    long start = clock.nanoTime();
    // With one shared policy the key only names the call in messages: made only when one is written.
    String key = sharedPolicy != null ? null : keyOf(request);
    ThrottlePolicy policy = policyFor(key, start);
    long timeoutNanos = call.timeout().timeoutNanos(); // the callTimeout (0 = none); it started about now
    ThrottledCall throttled = timeoutNanos > 0
        ? policy.newCallWithDeadline(start, start + timeoutNanos)
        : policy.newCall(start);
    Response response = null;
    long now = start; // then each response's arrival: the policy asks the strategy for the retry wait then
    while (true) {
      long delay = Math.max(0, throttled.delayNanos(now));
      if (delay > 0 && timeoutNanos > 0 && delay >= timeoutNanos - (clock.nanoTime() - start)) {
        key = key != null ? key : keyOf(request);
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
        RateLimitHeaders info = RateLimitFields.parse(response.headers(), wallClock);
        now = clock.nanoTime();
        verdict = throttled.onResponse(status, info, now);
      } catch (RuntimeException | Error e) { // a broken strategy or listener: do not leak the connection
        response.close();
        throw e;
      }
      if (verdict == AttemptVerdict.DONE) {
        return response;
      }
      if (verdict == AttemptVerdict.GIVE_UP) {
        key = key != null ? key : keyOf(request);
        return onGiveUp.apply(response, Response::close, new ThrottleGiveUpIOException(key, throttled.giveUp()));
      }
      String refusal = retryRefusal(request, status);
      if (refusal != null) {
        logRefusal(key != null ? key : keyOf(request), request, status, refusal);
        return response;
      }
    }
  }

  private static void logRefusal(String key, Request request, int status, String refusal) {
    LOG.debug("{}: not retrying {} {} after status {}: {}", key, request.method(), request.url().redact(),
        status, refusal);
  }

  private String keyOf(Request request) {
    if (keyFunction != null) {
      String key = keyFunction.apply(request);
      if (key != null && !key.isEmpty()) {
        return key;
      }
    }
    HttpUrl url = request.url();
    HostKey last = lastHostKey;
    if (last != null && last.port == url.port() && last.host.equals(url.host())) {
      return last.key;
    }
    String key = hostKey(request);
    lastHostKey = new HostKey(url.host(), url.port(), key);
    return key;
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
   * Sends {@code request} with {@code client} asynchronously under this interceptor's keys, policies and rules
   * (retries, refusals, call timeout, give-up action), never sleeping on a thread: each attempt is
   * {@linkplain Call#enqueue enqueued} on the client's Dispatcher and each wait is scheduled on the
   * {@linkplain Builder#scheduler scheduler}. The client may have this interceptor installed (it is left out
   * of these calls, which are throttled here instead) but should not have another throttling interceptor.
   *
   * <p>The future completes with the response to hand to the caller (close it), exceptionally with the
   * attempt's {@link IOException}, or with a {@link ThrottleGiveUpIOException} on give-up with
   * {@link GiveUpAction#THROW} or when a pacing wait before the first attempt would pass the client's
   * {@code callTimeout} (which here bounds the whole throttled call, waits included). Cancelling the future
   * cancels a pending wait (dropped from the scheduler's queue at once with a remove-on-cancel scheduler) or
   * the attempt in flight; a response that arrives after cancellation is closed.
   *
   * @param client the client to send with
   * @param request the request, sent once per attempt
   * @return the response's future
   * @throws NullPointerException if an argument is null
   */
  public CompletableFuture<Response> executeAsync(OkHttpClient client, Request request) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(request, "request");
    long start = clock.nanoTime();
    String key = keyOf(request);
    ThrottlePolicy policy = policyFor(sharedPolicy != null ? null : key, start);
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(client.callTimeoutMillis());
    ThrottledCall throttled = timeoutNanos > 0
        ? policy.newCallWithDeadline(start, start + timeoutNanos)
        : policy.newCall(start);
    AsyncCall async = new AsyncCall(withoutThis(client), request, key, throttled, start, timeoutNanos);
    async.next(null);
    return async.result;
  }

  /** Returns {@code client} without this interceptor (remembered for the last client given). */
  private OkHttpClient withoutThis(OkHttpClient client) {
    ClientPair last = lastClients;
    if (last != null && last.given == client) {
      return last.withoutThis;
    }
    OkHttpClient plain = client;
    if (client.interceptors().contains(this)) {
      OkHttpClient.Builder b = client.newBuilder();
      b.interceptors().removeIf(i -> i == this);
      plain = b.build();
    }
    lastClients = new ClientPair(client, plain);
    return plain;
  }

  /** One asynchronous throttled call; its steps run one at a time (each step starts the next). */
  private final class AsyncCall implements Callback, Runnable {
    final CompletableFuture<Response> result = new CompletableFuture<>();
    private final OkHttpClient client;
    private final Request request;
    private final String key;
    private final ThrottledCall throttled;
    private final long start;
    private final long timeoutNanos;
    private volatile Future<?> pendingWait;
    private volatile Call inFlight;

    AsyncCall(OkHttpClient client, Request request, String key, ThrottledCall throttled, long start,
        long timeoutNanos) {
      this.client = client;
      this.request = request;
      this.key = key;
      this.throttled = throttled;
      this.start = start;
      this.timeoutNanos = timeoutNanos;
      result.whenComplete((r, e) -> {
        if (result.isCancelled()) {
          cancelPending();
        }
      });
    }

    private void cancelPending() {
      Future<?> wait = pendingWait;
      if (wait != null) {
        wait.cancel(false);
      }
      Call call = inFlight;
      if (call != null) {
        call.cancel();
      }
    }

    /** Asks for the next wait and sends now or schedules the attempt; {@code last} is the retried response. */
    void next(Response last) {
      try {
        long delay = Math.max(0, throttled.delayNanos(clock.nanoTime()));
        if (delay > 0 && timeoutNanos > 0 && delay >= timeoutNanos - (clock.nanoTime() - start)) {
          LOG.debug("{}: the next wait ({} ms) would pass the call timeout", key, delay / 1_000_000);
          ThrottleGiveUpException giveUp = throttled.abandon(ThrottleGiveUpException.Reason.CALL_TIMEOUT, delay);
          complete(onGiveUp.apply(last, Response::close, new ThrottleGiveUpIOException(key, giveUp)));
          return;
        }
        if (last != null) {
          last.close(); // before waiting: the connection goes back to the pool meanwhile
        }
        if (delay == 0) {
          run();
          return;
        }
        ScheduledExecutorService waits = scheduler != null ? scheduler : AsyncThrottleRunner.sharedScheduler();
        pendingWait = waits.schedule(this, delay, TimeUnit.NANOSECONDS);
        if (result.isCancelled()) {
          cancelPending(); // cancelled between the check in whenComplete and the assignment
        }
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    /** Sends one attempt (on the caller's thread for an unpaced first attempt, else on the scheduler). */
    @Override
    public void run() {
      if (result.isDone()) {
        return;
      }
      Call call = client.newCall(request);
      inFlight = call;
      if (result.isCancelled()) {
        call.cancel();
      }
      call.enqueue(this);
    }

    @Override
    public void onFailure(Call call, IOException e) {
      result.completeExceptionally(e);
    }

    @Override
    public void onResponse(Call call, Response response) {
      inFlight = null;
      try {
        if (result.isDone()) {
          response.close(); // cancelled while the attempt was in flight
          return;
        }
        int status = response.code();
        AttemptVerdict verdict =
            throttled.onResponse(status, RateLimitFields.parse(response.headers(), wallClock), clock.nanoTime());
        if (verdict == AttemptVerdict.DONE) {
          complete(response);
        } else if (verdict == AttemptVerdict.GIVE_UP) {
          complete(onGiveUp.apply(response, Response::close,
              new ThrottleGiveUpIOException(key, throttled.giveUp())));
        } else {
          String refusal = retryRefusal(request, status);
          if (refusal != null) {
            logRefusal(key, request, status, refusal);
            complete(response);
          } else {
            next(response);
          }
        }
      } catch (IOException | RuntimeException | Error e) { // give-up with THROW, or a broken strategy/listener
        response.close();
        result.completeExceptionally(e);
      }
    }

    private void complete(Response response) {
      if (!result.complete(response)) {
        response.close(); // the caller cancelled meanwhile
      }
    }
  }

  /**
   * Builds a {@link ThrottlingInterceptor}. Each setter checks its argument at once; {@link #build()} may be
   * called more than once and does not change the builder. Not thread-safe.
   */
  public static final class Builder extends BlockingRunnerBuilder<Builder> {
    private Supplier<? extends ThrottleStrategy> strategyFactory;
    private Function<Request, String> keyFunction; // null: host:port
    private int maxKeys = DEFAULT_MAX_KEYS;
    private ScheduledExecutorService scheduler; // null: AsyncThrottleRunner.sharedScheduler(), made on first use
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
     * {@link #build()} calls the factory twice to check it (and discards what it returns): a factory that
     * returns null, throws, or returns the same instance twice is refused there rather than failing on a
     * call.
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
     * Sets how many keys keep their own strategy at once (with {@link #strategyPerKey}). When a new key
     * finds the table full, the least recently used eighth of the keys is forgotten (such a key starts afresh
     * if it comes back), so a key in steady use is kept however many new keys arrive. Default
     * {@value ThrottlingInterceptor#DEFAULT_MAX_KEYS}.
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
     * Sets where {@link ThrottlingInterceptor#executeAsync} schedules its waits; default
     * {@link AsyncThrottleRunner#sharedScheduler()} (one daemon thread, remove-on-cancel). A
     * {@link ScheduledThreadPoolExecutor} of your own should have {@code setRemoveOnCancelPolicy(true)}, or
     * every cancelled wait stays queued until it would have fallen due. Not shut down by the interceptor.
     *
     * @param scheduler where waits are scheduled and later attempts enqueued from
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
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
     * @throws IllegalArgumentException if the {@link #strategyPerKey} factory returns null, throws, or returns
     *     the same instance on two calls
     */
    public ThrottlingInterceptor build() {
      if (strategyFactory != null) {
        checkFactory(strategyFactory);
      }
      return new ThrottlingInterceptor(this);
    }

    /** Calls the per-key factory twice, as {@link #strategyPerKey} documents. */
    private static void checkFactory(Supplier<? extends ThrottleStrategy> factory) {
      ThrottleStrategy first;
      ThrottleStrategy second;
      try {
        first = factory.get();
        second = factory.get();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("strategyPerKey: the strategy factory threw " + e, e);
      }
      if (first == null || second == null) {
        throw new IllegalArgumentException(
            "strategyPerKey: the strategy factory returned null; it must return a new strategy on every call");
      }
      if (first == second) {
        throw new IllegalArgumentException("strategyPerKey: the strategy factory returned the same instance "
            + first + " twice; it must return a new strategy on every call (to share one strategy, use "
            + "builder(policy) without strategyPerKey)");
      }
    }
  }
}
