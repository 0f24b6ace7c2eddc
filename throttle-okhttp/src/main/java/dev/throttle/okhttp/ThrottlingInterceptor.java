package dev.throttle.okhttp;

import dev.throttle.core.NanoClock;
import dev.throttle.core.RateLimitInfo;
import dev.throttle.core.ThrottleGiveUpException;
import dev.throttle.core.ThrottledCall;
import dev.throttle.core.Verdict;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OkHttp <b>application</b> interceptor that throttles calls with a throttle-core policy: it waits before each
 * attempt as long as the policy's strategy says (proactive pacing from {@code RateLimit} headers, backoff after
 * a 429), and sends the request again when the server answers 429 (or 503 with {@code Retry-After}) and the
 * policy decides to retry. Install it with {@link okhttp3.OkHttpClient.Builder#addInterceptor}, <em>not</em>
 * {@code addNetworkInterceptor}: it calls {@code chain.proceed} several times, which only application
 * interceptors may do.
 *
 * <p><b>Shared state.</b> Calls are grouped by a throttle key, by default the request's {@code host:port}, or
 * whatever {@code keyFunction} returns (for example the API token). All calls of one key share one strategy
 * instance, so they pace each other; the map of keys is bounded ({@code maxKeys}).
 *
 * <p><b>Waiting.</b> Waits are done on the calling thread, in short slices: a wait ends early with an
 * {@link IOException} ("Canceled") when the call is {@linkplain Call#cancel() cancelled}, with an
 * {@link InterruptedIOException} when the thread is interrupted, and is never started if it would pass the call's
 * {@code callTimeout} (the call gives up instead, see {@link GiveUpBehavior}). With {@code Call.enqueue} the wait
 * happens on a Dispatcher thread and <b>holds one of the Dispatcher's slots</b> ({@code maxRequests}, default
 * 64, and {@code maxRequestsPerHost}, default 5) for its whole length: five calls waiting on one host block every
 * other queued call to that host. Raise {@code maxRequestsPerHost}, or keep long waits out of the interceptor
 * (a small {@code maxDelay} in the policy with {@link GiveUpBehavior#THROW}, rescheduling yourself), if that
 * matters.
 *
 * <p><b>What is retried.</b> Only what the policy returns {@link Verdict#RETRY} for, and never a request whose
 * body is {@linkplain RequestBody#isOneShot() one-shot} or {@linkplain RequestBody#isDuplex() duplex}; for
 * non-idempotent methods see {@link NonIdempotentRetry}. Every discarded response is closed before the next
 * attempt, so no connection leaks. I/O failures from the network are not handled here (OkHttp's own
 * {@code retryOnConnectionFailure} covers them): they propagate unchanged.
 *
 * <p>Logs through SLF4J (logger {@code dev.throttle.okhttp.ThrottlingInterceptor}): debug for each wait and
 * retry, warn for give-ups. Events go to the policy's {@code ThrottleListener}.
 *
 * <p>Immutable and thread-safe; share one instance across clients built from one {@code OkHttpClient}.
 */
public final class ThrottlingInterceptor implements Interceptor {

  private static final Logger LOG = LoggerFactory.getLogger(ThrottlingInterceptor.class);

  /** Longest single sleep between checks for cancellation. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private static final Set<String> IDEMPOTENT_METHODS =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  private final KeyedCallSources sources;
  private final Function<Request, String> keyFunction;
  private final GiveUpBehavior giveUpBehavior;
  private final NonIdempotentRetry nonIdempotentRetry;
  private final NanoClock nanoClock;
  private final Clock wallClock;
  private final HeaderParser headerParser;
  private final Sleeper sleeper;

  private ThrottlingInterceptor(Builder b) {
    this.sources = new KeyedCallSources(b.sources, b.maxKeys);
    this.keyFunction = b.keyFunction;
    this.giveUpBehavior = b.giveUpBehavior;
    this.nonIdempotentRetry = b.nonIdempotentRetry;
    this.nanoClock = b.nanoClock;
    this.wallClock = b.wallClock;
    this.headerParser = b.headerParser;
    this.sleeper = b.sleeper;
  }

  /** Returns a builder that starts each call from the call source of its key. */
  static Builder builder(Function<String, CallSource> sources) {
    return new Builder(Objects.requireNonNull(sources, "sources"));
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
    long start = nanoClock.nanoTime();
    long timeoutNanos = call.timeout().timeoutNanos(); // callTimeout, 0 = none; runs from about now
    ThrottledCall throttled = sources.get(key).newCall(start);
    Response response = null;
    while (true) {
      long delay = Math.max(0, throttled.delayNanos(nanoClock.nanoTime()));
      if (delay > 0 && timeoutNanos > 0) {
        long elapsed = nanoClock.nanoTime() - start;
        if (delay >= timeoutNanos - elapsed) {
          int lastStatus = response == null ? 0 : response.code();
          return giveUp(key, response, new ThrottleGiveUpException(ThrottleGiveUpException.Reason.MAX_TOTAL_WAIT,
              lastStatus, throttled.attempts(), delay), "the wait would pass the call timeout");
        }
      }
      if (response != null) {
        response.close(); // before waiting: the connection goes back to the pool meanwhile
        response = null;
      }
      if (delay > 0) {
        LOG.debug("throttle {}: waiting {} ms before attempt {}", key, delay / 1_000_000,
            throttled.attempts() + 1);
        await(call, delay);
      } else if (call.isCanceled()) {
        throw new IOException("Canceled");
      }
      response = chain.proceed(request);
      int status = response.code();
      RateLimitInfo info = headerParser.parse(response, wallClock.millis());
      Verdict verdict = throttled.onResponse(status, info, nanoClock.nanoTime());
      switch (verdict) {
        case DONE:
          return response;
        case GIVE_UP:
          ThrottleGiveUpException reason = throttled.giveUp();
          if (reason == null) { // a policy that broke its contract: report what we know
            reason = new ThrottleGiveUpException(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, status,
                throttled.attempts(), 0);
          }
          return giveUp(key, response, reason, "a limit on waiting was reached");
        case RETRY:
        default:
          String refusal = retryRefusal(request, status);
          if (refusal != null) {
            LOG.debug("throttle {}: not retrying {} {} after {}: {}", key, request.method(), request.url(),
                status, refusal);
            return response;
          }
          LOG.debug("throttle {}: {} after attempt {}, will retry", key, status, throttled.attempts());
      }
    }
  }

  private String keyOf(Request request) {
    String key = keyFunction.apply(request);
    return key != null ? key : hostKey(request);
  }

  /** Returns why this response must not be retried, or null if it may be. */
  private String retryRefusal(Request request, int status) {
    RequestBody body = request.body();
    if (body != null && body.isOneShot()) {
      return "one-shot request body";
    }
    if (body != null && body.isDuplex()) {
      return "duplex request body";
    }
    if (isIdempotent(request)) {
      return null;
    }
    switch (nonIdempotentRetry) {
      case ALWAYS:
        return null;
      case ON_429:
        return status == 429 ? null : "non-idempotent method on " + status;
      case NEVER:
      default:
        return "non-idempotent method";
    }
  }

  private static boolean isIdempotent(Request request) {
    return IDEMPOTENT_METHODS.contains(request.method()) || request.header("Idempotency-Key") != null;
  }

  private Response giveUp(String key, Response last, ThrottleGiveUpException reason, String why)
      throws IOException {
    LOG.warn("throttle {}: giving up, {}: {}", key, why, reason.getMessage());
    if (giveUpBehavior == GiveUpBehavior.RETURN_LAST_RESPONSE && last != null) {
      return last;
    }
    if (last != null) {
      last.close();
    }
    throw new ThrottleGiveUpIOException(key, reason);
  }

  /** Waits {@code nanos} in slices, ending early if the call is cancelled or the thread interrupted. */
  private void await(Call call, long nanos) throws IOException {
    long start = nanoClock.nanoTime();
    while (true) {
      if (call.isCanceled()) {
        throw new IOException("Canceled");
      }
      long left = nanos - (nanoClock.nanoTime() - start);
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
   * Builds a {@link ThrottlingInterceptor}. Each setter validates its argument; {@link #build()} may be called
   * more than once. Not thread-safe.
   */
  public static final class Builder {
    private final Function<String, CallSource> sources;
    private Function<Request, String> keyFunction = ThrottlingInterceptor::hostKey;
    private int maxKeys = 10_000;
    private GiveUpBehavior giveUpBehavior = GiveUpBehavior.RETURN_LAST_RESPONSE;
    private NonIdempotentRetry nonIdempotentRetry = NonIdempotentRetry.ON_429;
    private NanoClock nanoClock = NanoClock.system();
    private Clock wallClock = Clock.systemUTC();
    private HeaderParser headerParser;
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder(Function<String, CallSource> sources) {
      this.sources = sources;
    }

    /**
     * Sets how requests are grouped into throttle keys that share one strategy instance. Default: the
     * request's {@code host:port}. A function returning null falls back to the default for that request.
     *
     * @throws NullPointerException if {@code keyFunction} is null
     */
    public Builder keyFunction(Function<Request, String> keyFunction) {
      this.keyFunction = Objects.requireNonNull(keyFunction, "keyFunction");
      return this;
    }

    /**
     * Sets how many keys keep their throttle state at once; beyond it an arbitrary key is forgotten. Default
     * 10 000.
     *
     * @throws IllegalArgumentException if {@code maxKeys < 1}
     */
    public Builder maxKeys(int maxKeys) {
      if (maxKeys < 1) {
        throw new IllegalArgumentException("maxKeys must be >= 1: " + maxKeys);
      }
      this.maxKeys = maxKeys;
      return this;
    }

    /**
     * Sets what a call that gives up does. Default {@link GiveUpBehavior#RETURN_LAST_RESPONSE}.
     *
     * @throws NullPointerException if {@code giveUpBehavior} is null
     */
    public Builder giveUpBehavior(GiveUpBehavior giveUpBehavior) {
      this.giveUpBehavior = Objects.requireNonNull(giveUpBehavior, "giveUpBehavior");
      return this;
    }

    /**
     * Sets which responses non-idempotent requests are retried on. Default {@link NonIdempotentRetry#ON_429}.
     *
     * @throws NullPointerException if {@code nonIdempotentRetry} is null
     */
    public Builder nonIdempotentRetry(NonIdempotentRetry nonIdempotentRetry) {
      this.nonIdempotentRetry = Objects.requireNonNull(nonIdempotentRetry, "nonIdempotentRetry");
      return this;
    }

    /**
     * Sets the monotonic clock the policy and the waits run on. Default {@link NanoClock#system()}.
     *
     * @throws NullPointerException if {@code nanoClock} is null
     */
    public Builder nanoClock(NanoClock nanoClock) {
      this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
      return this;
    }

    /**
     * Sets the wall clock used to turn {@code Retry-After} HTTP-dates and epoch resets into delays. Default
     * {@link Clock#systemUTC()}.
     *
     * @throws NullPointerException if {@code wallClock} is null
     */
    public Builder wallClock(Clock wallClock) {
      this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
      return this;
    }

    Builder headerParser(HeaderParser headerParser) {
      this.headerParser = Objects.requireNonNull(headerParser, "headerParser");
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Returns a new interceptor with this configuration. */
    public ThrottlingInterceptor build() {
      Objects.requireNonNull(headerParser, "headerParser");
      return new ThrottlingInterceptor(this);
    }
  }
}
