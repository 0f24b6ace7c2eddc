package dev.throttle.sim.server;

import dev.throttle.core.headers.RateLimitHeaderWriter.Figures;
import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.GcraLimiter;
import dev.throttle.core.limiter.MutableRateLimitResult;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.testing.ManualNanoClock;

import dev.throttle.sim.model.ServerChange;
import dev.throttle.sim.model.ServerSpec;

/**
 * GCRA / token bucket: the core {@link GcraLimiter} on the virtual clock; nothing here decides admission itself.
 * A limit change rebuilds the limiter at the change time with the new quota, starting with the units still
 * available then (a cost-0 peek), capped at the new capacity.
 */
final class GcraModel implements ServerModel {

  private final ManualNanoClock clock = new ManualNanoClock(0);
  private final MutableRateLimitResult holder = new MutableRateLimitResult();
  private final int rejectStatus;
  private final boolean headers;
  private GcraLimiter limiter;

  GcraModel(ServerSpec spec, boolean headers) {
    this.rejectStatus = spec.rejectStatus();
    this.headers = headers;
    this.limiter = build(spec.rate(), spec.capacity(), spec.initialRemaining(), 0);
  }

  private GcraLimiter build(Rate rate, long capacity, long initialRemaining, long nowNanos) {
    clock.set(nowNanos);
    return GcraLimiter.builder().quota(Quota.of("sim", rate, capacity)).clock(clock)
        .initialRemaining(initialRemaining).build();
  }

  @Override
  public void decide(long nowNanos, Response out) {
    boolean allowed = limiter.tryAcquire(1, nowNanos, holder);
    out.set(allowed, rejectStatus, 0, null);
    out.gcra = headers ? holder.toResult() : null;
  }

  @Override
  public void change(ServerChange change, long nowNanos) {
    long left = limiter.tryAcquire(0, nowNanos).remaining();
    limiter = build(change.rate(), change.capacity(), Math.min(left, change.capacity()), nowNanos);
  }

  /**
   * The figures of a GCRA result for dialects the core writer does not write (express's draft-7 and draft-8):
   * limit = capacity, window = ceil(capacity × T), next unit = resetAfter − (C − r − 1) × T (absent when full),
   * full reset = resetAfter, Retry-After for a refused request.
   */
  static Figures figures(RateLimitResult r) {
    long c = r.limit();
    long t = r.quota().rate().emissionIntervalNanos();
    long window = (long) Math.ceil(c * (double) t / 1e9);
    long next = -1;
    if (r.remaining() < c) {
      double offset = (double) (c - r.remaining() - 1) * t;
      next = (long) Math.max(0, r.resetAfterNanos() - offset);
    }
    long retry = r.decision() == Decision.LIMITED ? r.retryAfterNanos() : -1;
    return new Figures("sim", c, window, r.remaining(), next, r.resetAfterNanos(), retry);
  }
}
