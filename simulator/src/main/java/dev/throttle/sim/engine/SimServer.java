package dev.throttle.sim.engine;

import dev.throttle.core.headers.RateLimitHeaderWriter;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.GcraLimiter;
import dev.throttle.core.limiter.MutableRateLimitResult;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.testing.ManualNanoClock;

import dev.throttle.sim.model.HeaderMode;
import dev.throttle.sim.model.ServerChange;
import dev.throttle.sim.model.ServerSpec;

/**
 * The simulated server: the core {@link GcraLimiter} on the virtual clock answering 200 or 429, and the
 * rate-limit headers a client would parse from that answer, taken from
 * {@link RateLimitHeaderWriter#clientView(RateLimitResult)}. Nothing here decides admission itself.
 *
 * <p>A limit change ({@link ServerChange}) rebuilds the limiter at the change time with the new quota,
 * starting with the units still available then (a cost-0 peek), capped at the new capacity.
 *
 * <p>Not thread-safe.
 */
final class SimServer {

  static final int OK = 200;
  static final int TOO_MANY_REQUESTS = 429;

  private final ServerSpec spec;
  private final RateLimitHeaderWriter writer = RateLimitHeaderWriter.defaults();
  private final ManualNanoClock clock = new ManualNanoClock(0);
  private final MutableRateLimitResult holder = new MutableRateLimitResult();
  private GcraLimiter limiter;

  // Outcome of the last decision.
  private int status;
  private long remaining;
  private RateLimitHeaders info;

  SimServer(ServerSpec spec) {
    this.spec = spec;
    this.limiter = build(spec.rate(), spec.capacity(), spec.initialRemaining(), 0);
  }

  private GcraLimiter build(Rate rate, long capacity, long initialRemaining, long nowNanos) {
    clock.set(nowNanos);
    return GcraLimiter.builder()
        .quota(Quota.of("sim", rate, capacity))
        .clock(clock)
        .initialRemaining(initialRemaining)
        .build();
  }

  /** Applies a limit change at {@code nowNanos}. */
  void change(ServerChange change, long nowNanos) {
    long left = limiter.tryAcquire(0, nowNanos).remaining();
    limiter = build(change.rate(), change.capacity(), Math.min(left, change.capacity()), nowNanos);
  }

  /**
   * Decides one request of cost 1 at {@code nowNanos} through the limiter's allocation-free holder path; the
   * immutable result is only materialised when the client is to see headers. Read the outcome with the
   * accessors.
   */
  boolean decide(long nowNanos) {
    boolean allowed = limiter.tryAcquire(1, nowNanos, holder);
    status = allowed ? OK : TOO_MANY_REQUESTS;
    remaining = holder.remaining();
    HeaderMode mode = spec.headers();
    if (mode == HeaderMode.FULL) {
      info = writer.clientView(holder.toResult());
    } else if (mode == HeaderMode.REMAINING_ONLY) {
      RateLimitHeaders full = writer.clientView(holder.toResult());
      info = full.hasRemaining() ? RateLimitHeaders.builder().remaining(full.remaining()).build() : RateLimitHeaders.EMPTY;
    } else {
      info = RateLimitHeaders.EMPTY;
    }
    return allowed;
  }

  int status() {
    return status;
  }

  long remaining() {
    return remaining;
  }

  RateLimitHeaders info() {
    return info;
  }
}
