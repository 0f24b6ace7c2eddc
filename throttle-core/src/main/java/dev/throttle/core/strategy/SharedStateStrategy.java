package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

import java.util.Objects;

/**
 * Wraps any strategy so that the processes of a fleet sharing one API token behave as one client, through a
 * {@link SharedThrottleState}: the wrapped strategy still decides each process's own waits and retries; this
 * layer adds, for every attempt, a slot in the fleet's one schedule ({@code delay = the fleet's slot, never
 * earlier than the wrapped strategy's delay}) and feeds the fleet what responses teach.
 *
 * <pre>{@code
 * ThrottleStrategy strategy = SharedStateStrategy.wrap(Strategies.defaultStrategy(seed), sharedState);
 * }</pre>
 *
 * <p>Rules, from each response (any process):
 * <ul>
 *   <li><b>not-before</b>: a 429 or 503 with {@code Retry-After} holds the fleet off for that long; a response
 *       saying nothing remains ({@code r = 0}) with a reset {@code t} holds it off for {@code t}, or, when the
 *       policy ({@code q}, {@code w}) shows {@code t} counts the whole quota ({@code t >= (q-1)w/q}), until the
 *       first unit is back, {@code t - (q-1)w/q} (the reading of {@link RetryAfterFloorStrategy});
 *   <li><b>rate</b>: a policy {@code q} per {@code w} sets the fleet's interval to {@code w/q}: the fleet together
 *       sends at the announced rate. Published only when it changes, so most responses cost no round trip.
 * </ul>
 * Before every attempt: one {@link SharedThrottleState#reserveSlot} (one round trip for a remote state). The
 * wrapped strategy sees every response of its own process as before, so its learning (e.g. the default
 * pacing's AIMD) still runs; the fleet's schedule keeps the sum of the processes at the announced rate.
 *
 * <p>Thread-safe if the wrapped strategy and the state are; calls are used by one thread at a time.
 */
public final class SharedStateStrategy implements ThrottleStrategy {

  private final ThrottleStrategy inner;
  private final SharedThrottleState state;
  private volatile long publishedInterval = -1;

  private SharedStateStrategy(ThrottleStrategy inner, SharedThrottleState state) {
    this.inner = inner;
    this.state = state;
  }

  /**
   * Returns {@code inner} coordinated through {@code state}.
   *
   * @throws NullPointerException if an argument is null
   * @param inner the strategy to wrap
   * @param state the shared state
   * @return {@code inner} coordinated through {@code state}
   */
  public static SharedStateStrategy wrap(ThrottleStrategy inner, SharedThrottleState state) {
    return new SharedStateStrategy(Objects.requireNonNull(inner, "inner"), Objects.requireNonNull(state, "state"));
  }

  /**
   * Returns the shared state.
   * @return the shared state
   */
  public SharedThrottleState state() {
    return state;
  }

  @Override
  public Call newCall(long nowNanos) {
    Call call = inner.newCall(nowNanos);
    return new Call() {
      @Override
      public long delayNanos(long now) {
        return state.reserveSlot(now, Math.max(0, call.delayNanos(now)));
      }

      /**
       * The wrapped call's re-check: its own not-before instants (e.g. the Retry-After floor). The fleet's slot was
       * reserved once and is not asked again (that would cost a round trip to a remote state per attempt).
       */
      @Override
      public long recheckNanos(long now) {
        return Math.max(0, call.recheckNanos(now));
      }

      @Override
      public boolean onResponse(int status, RateLimitHeaders headers, long now) {
        learnFrom(status, headers, now);
        return call.onResponse(status, headers, now);
      }

      @Override
      public GiveUp giveUpReason() {
        return call.giveUpReason();
      }
    };
  }

  private void learnFrom(int status, RateLimitHeaders h, long now) {
    long holdOff = 0;
    if ((status == 429 || status == 503) && h.hasRetryAfter()) {
      holdOff = h.retryAfterNanos();
    } else if (h.hasRemaining() && h.remaining() == 0 && h.hasReset()) {
      holdOff = h.resetNanos();
      if (h.hasLimit() && h.hasWindow() && h.limit() > 1) {
        long whole = (long) ((double) (h.limit() - 1) / h.limit() * h.windowNanos());
        if (holdOff >= whole) {
          holdOff -= whole;
        }
      }
    }
    long interval = -1;
    if (h.hasLimit() && h.hasWindow() && h.limit() > 0) {
      long w = h.windowNanos();
      interval = Math.min(RateLimitHeaders.MAX_DELAY_NANOS, w / h.limit() + (w % h.limit() == 0 ? 0 : 1));
      if (interval == publishedInterval) {
        interval = -1;
      }
    }
    if (holdOff > 0 || interval >= 0) {
      state.learn(now, holdOff, interval);
      if (interval >= 0) {
        publishedInterval = interval;
      }
    }
  }

  @Override
  public String toString() {
    return "SharedStateStrategy[" + inner + " via " + state + "]";
  }

  /**
   * Returns the longer of the wrapped strategy's {@link ThrottleStrategy#pacingIntervalNanos()} and the fleet's
   * interval ({@link SharedThrottleState#intervalNanos()}; {@link InProcessSharedThrottleState} and the Redis state
   * answer it from memory, without a round trip): this process's
   * attempts are spaced by both. At least 0, since the fleet's schedule is a pacing schedule even while it has
   * learned no interval. No side effect.
   *
   * @return the current pacing interval in nanoseconds, {@code >= 0}
   */
  @Override
  public long pacingIntervalNanos() {
    return Math.max(Math.max(0, inner.pacingIntervalNanos()), state.intervalNanos());
  }
}
