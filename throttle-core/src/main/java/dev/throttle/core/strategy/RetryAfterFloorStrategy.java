package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps a strategy so that no attempt is sent before the server said it could succeed: every delay is
 * {@code max(inner delay, floor − now)}, where the floor is a shared "not before" instant learned from
 * responses.
 *
 * <p>How the floor is learned, from each response (any thread, any call of this instance):
 * <ul>
 *   <li>a 429 or 503 with {@code Retry-After}: not before receipt + Retry-After;
 *   <li>otherwise, a response whose rate-limit headers say nothing remains ({@code r = 0}) and when quota comes
 *       back ({@code t}): not before receipt + {@code t}, read as the time until the next unit (GCRA servers,
 *       this library's header writer) or until the window resets (fixed windows). Some servers send instead
 *       the time until the <em>whole</em> quota is back; when the policy ({@code q}, {@code w}) shows that
 *       {@code t ≥ (q − 1) × w / q}, only that reading is possible and the floor is when the first unit is
 *       back, {@code t − (q − 1) × w / q} (so {@code r = 0, t = 3600 s} under a 4500/h policy means 0.8 s,
 *       not an hour);
 *   <li>a success ({@code status < 400}) that does not say {@code r = 0}, received after the floor was
 *       learned, clears it: the limit evidently is not exhausted.
 * </ul>
 * The floor only moves later (a CAS loop keeps the latest instant), and applies to <em>every</em> attempt,
 * retries and the first attempt of later calls alike, so one 429 holds back the whole client instead of each
 * thread finding out with its own 429. Headers are already capped at 24 h by {@link RateLimitHeaders}; limits on
 * how long to wait belong to {@code ThrottlePolicy}. Optionally a spread (default 0) adds
 * {@code (floor − now) × U[0, spread)} above the floor so that clients told the same Retry-After do not return
 * in the same instant; the delay is never below the floor.
 *
 * <p>Instants are compared by subtraction ({@link dev.throttle.core.time.NanoClock} readings may wrap). Thread-safe: the floor is an
 * {@link AtomicReference} updated by CAS; calls are used by one thread at a time, as the inner ones are.
 */
public final class RetryAfterFloorStrategy implements ThrottleStrategy {

  private record Floor(long atNanos, long learnedAtNanos) {}

  private final ThrottleStrategy inner;
  private final double spread;
  private final boolean recheck;
  private final JitterSource random;
  private final AtomicReference<Floor> notBefore = new AtomicReference<>();

  private RetryAfterFloorStrategy(ThrottleStrategy inner, double spread, boolean recheck, JitterSource random) {
    this.inner = inner;
    this.spread = spread;
    this.recheck = recheck;
    this.random = random;
  }

  /**
   * Returns {@code inner} with the Retry-After floor and no spread.
   *
   * @param inner the strategy to wrap
   * @return {@code inner} with the Retry-After floor and no spread
   * @throws NullPointerException if {@code inner} is null
   */
  public static RetryAfterFloorStrategy wrap(ThrottleStrategy inner) {
    return builder(inner).build();
  }

  /**
   * Returns a builder wrapping {@code inner}.
   *
   * @param inner the strategy to wrap
   * @return a builder wrapping {@code inner}
   * @throws NullPointerException if {@code inner} is null
   */
  public static Builder builder(ThrottleStrategy inner) {
    return new Builder(inner);
  }

  /**
   * Returns the wrapped strategy.
   * @return the wrapped strategy
   */
  public ThrottleStrategy inner() {
    return inner;
  }

  /**
   * Returns how long from {@code nowNanos} until the shared floor, or 0 if there is none or it has passed.
   * @param nowNanos the runner's clock reading
   * @return how long from {@code nowNanos} until the shared floor, or 0 if there is none or it has passed
   */
  public long floorDelayNanos(long nowNanos) {
    Floor f = notBefore.get();
    return f == null ? 0 : Math.max(0, f.atNanos - nowNanos);
  }

  @Override
  public String toString() {
    return "RetryAfterFloor[" + inner + "]";
  }

  @Override
  public Call newCall(long nowNanos) {
    return new FloorCall(inner.newCall(nowNanos));
  }

  /**
   * Returns the delay from receipt before which {@code headers} say a request cannot succeed, or -1 if they
   * say nothing about it (see the class comment).
   */
  static long floorFromResponse(int status, RateLimitHeaders headers) {
    if (headers.hasRetryAfter()
        && (status == Retries.TOO_MANY_REQUESTS || status == Retries.SERVICE_UNAVAILABLE)) {
      return headers.retryAfterNanos();
    }
    if (headers.hasRemaining() && headers.remaining() == 0 && headers.hasReset()) {
      long t = headers.resetNanos();
      if (headers.hasLimit() && headers.limit() > 1 && headers.hasWindow() && headers.windowNanos() > 0) {
        double wholeQuotaButOne = (headers.limit() - 1) * ((double) headers.windowNanos() / headers.limit());
        if (t >= wholeQuotaButOne) {
          // t can only be the time until the whole quota is back; the first unit comes that much earlier
          return (long) Math.ceil(Math.min(t - wholeQuotaButOne, t));
        }
      }
      return t; // the time until the next unit (GCRA) or until the window resets (fixed window)
    }
    return -1;
  }

  private void raise(long atNanos, long nowNanos) {
    while (true) {
      Floor cur = notBefore.get();
      if (cur != null && cur.atNanos - atNanos >= 0) {
        return;
      }
      if (notBefore.compareAndSet(cur, new Floor(atNanos, nowNanos))) {
        return;
      }
    }
  }

  private void clearIfLearnedBefore(long nowNanos) {
    Floor cur = notBefore.get();
    if (cur != null && nowNanos - cur.learnedAtNanos > 0) {
      notBefore.compareAndSet(cur, null);
    }
  }

  private final class FloorCall implements Call {
    private final Call call;

    FloorCall(Call call) {
      this.call = call;
    }

    private long handedOutAtNanos;

    @Override
    public long delayNanos(long nowNanos) {
      handedOutAtNanos = nowNanos;
      long delay = Math.max(0, call.delayNanos(nowNanos));
      long floor = floorDelayNanos(nowNanos);
      if (floor > 0 && spread > 0) {
        floor = Retries.toNanos(floor + floor * spread * random.nextDouble(), Long.MAX_VALUE);
      }
      return Math.max(delay, floor);
    }

    @Override
    public long recheckNanos(long nowNanos) {
      long again = Math.max(0, call.recheckNanos(nowNanos));
      return recheck ? Math.max(again, recheckFloorNanos(nowNanos)) : again;
    }

    /**
     * A floor still ahead: if it was learned after this call's delay was handed out, the send moves back by the
     * whole floor ({@code at - learned}) rather than to the floor instant, so that calls deferred by the same
     * Retry-After keep their spacing instead of all going out at that instant; never earlier than the floor, since
     * the floor was learned before now.
     */
    private long recheckFloorNanos(long nowNanos) {
      Floor f = notBefore.get();
      if (f == null || f.atNanos - nowNanos <= 0) {
        return 0;
      }
      return f.learnedAtNanos - handedOutAtNanos > 0
          ? Math.max(f.atNanos - nowNanos, f.atNanos - f.learnedAtNanos)
          : f.atNanos - nowNanos;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      boolean retry = call.onResponse(status, headers, nowNanos);
      long floor = floorFromResponse(status, headers);
      if (floor > 0) {
        raise(nowNanos + floor, nowNanos);
      } else if (status < 400 && floor < 0) {
        clearIfLearnedBefore(nowNanos);
      }
      return retry;
    }

    @Override
    public GiveUp giveUpReason() {
      return call.giveUpReason();
    }
  }

  /** Builds a {@link RetryAfterFloorStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder extends SeededBuilder<Builder> {
    private final ThrottleStrategy inner;
    private double spread;
    private boolean recheck;

    private Builder(ThrottleStrategy inner) {
      this.inner = Objects.requireNonNull(inner, "inner");
    }

    /**
     * Sets the spread above the floor: a floor {@code f} away becomes {@code f × (1 + U[0, spread))}; default 0.
     *
     * @param spread the spread above the floor, in {@code [0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if it is outside {@code [0, 1]}
     */
    public Builder spread(double spread) {
      this.spread = Retries.zeroToOne(spread, "spread");
      return this;
    }

    /**
     * Whether {@code recheckNanos} also answers a floor learned after a call's delay was handed out (the call then
     * moves back by that whole floor, keeping its spacing to the other deferred calls); default false: only the
     * wrapped call's own re-check is forwarded. Off by default because, on the simulator's Heroku scenario with
     * five threads per instance, it lengthened the default's longest wait (docs/strategy.md).
     *
     * @param recheck true to re-check floors learned after the delay was handed out
     * @return this builder
     */
    public Builder recheck(boolean recheck) {
      this.recheck = recheck;
      return this;
    }

    /**
     * Returns a new strategy with these settings.
     * @return a new strategy with these settings
     */
    public RetryAfterFloorStrategy build() {
      return new RetryAfterFloorStrategy(inner, spread, recheck, jitterSource());
    }
  }

  /**
   * Returns the wrapped strategy's {@link ThrottleStrategy#pacingIntervalNanos()}: the floor holds attempts back
   * but is no schedule.
   *
   * @return the wrapped strategy's pacing interval in nanoseconds, or {@link ThrottleStrategy#NO_PACING}
   */
  @Override
  public long pacingIntervalNanos() {
    return inner.pacingIntervalNanos();
  }
}
