package dev.throttle.sim.server;

import dev.throttle.core.headers.RateLimitHeaderWriter.Figures;

import dev.throttle.sim.model.ServerSpec;

/**
 * Sliding window with a weighted counter (Cloudflare's and many gateways' approximation of a sliding log):
 * windows of {@code period} aligned at time 0; a request at offset {@code e} into the current window is admitted
 * when {@code prev × (period − e) / period + curr + 1 ≤ count}, where {@code prev} and {@code curr} are the
 * admitted requests of the previous and current window; refused requests are not counted. Figures: limit =
 * count, window = period, remaining = floor(count − estimate), next unit and Retry-After = the time until one
 * more request would be admitted, full reset = until both counted windows have passed.
 */
final class SlidingWindowModel implements ServerModel {

  private final long limit;
  private final long windowNanos;
  private final long windowSeconds;
  private final int rejectStatus;
  private final boolean headers;
  private long index;
  private long prev;
  private long curr;

  SlidingWindowModel(ServerSpec spec, boolean headers) {
    this.limit = spec.rate().count();
    this.windowNanos = spec.rate().period().toNanos();
    this.windowSeconds = Math.max(1, (windowNanos + 999_999_999L) / 1_000_000_000L);
    this.rejectStatus = spec.rejectStatus();
    this.headers = headers;
  }

  private double estimate(long elapsed) {
    return prev * ((double) (windowNanos - elapsed) / windowNanos) + curr;
  }

  @Override
  public void decide(long nowNanos, Response out) {
    long idx = nowNanos / windowNanos;
    if (idx != index) {
      prev = idx == index + 1 ? curr : 0;
      curr = 0;
      index = idx;
    }
    long elapsed = nowNanos - idx * windowNanos;
    boolean ok = estimate(elapsed) + 1 <= limit;
    if (ok) {
      curr++;
    }
    if (!headers) {
      out.set(ok, rejectStatus, 0, null);
      return;
    }
    double est = estimate(elapsed);
    long remaining = Math.max(0, (long) Math.floor(limit - est));
    long next = nextAdmission(elapsed);
    long full = curr > 0 ? 2 * windowNanos - elapsed : prev > 0 ? windowNanos - elapsed : 0;
    out.set(ok, rejectStatus, 0, new Figures("sliding", limit, windowSeconds, remaining, next, full, ok ? -1 : next));
  }

  /** The time from offset {@code e} until one more request would be admitted, if nothing else is. */
  private long nextAdmission(long e) {
    if (estimate(e) + 1 <= limit) {
      return 0;
    }
    if (curr + 1 <= limit && prev > 0) {
      // prev × (W − e − x) / W + curr + 1 ≤ L  ⇔  x ≥ W − e − (L − 1 − curr) × W / prev
      return Math.max(0, (long) Math.ceil(windowNanos - e - (double) (limit - 1 - curr) * windowNanos / prev));
    }
    // into the next window, where the current count becomes the weighted one
    double into = curr == 0 ? 0 : Math.max(0, windowNanos - (double) (limit - 1) * windowNanos / curr);
    return (windowNanos - e) + (long) Math.ceil(into);
  }
}
