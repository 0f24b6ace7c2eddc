package dev.throttle.sim.server;

import dev.throttle.core.headers.RateLimitHeaderWriter.Figures;

import dev.throttle.sim.model.ServerSpec;

/**
 * Fixed window, as express-rate-limit's memory store and GitHub's hourly limit: a window of {@code period} starts
 * with the first request after the previous window ended; every request in it, refused ones included (as
 * express-rate-limit counts them), increments a counter; requests beyond {@code count} are refused until the
 * window ends, when the counter resets. Figures: limit = count, window = period, remaining = count − hits (at
 * least 0), reset and Retry-After = time to the window's end.
 */
final class FixedWindowModel implements ServerModel {

  private final long limit;
  private final long windowNanos;
  private final long windowSeconds;
  private final int rejectStatus;
  private final boolean headers;
  private long windowEnd = Long.MIN_VALUE;
  private long hits;

  FixedWindowModel(ServerSpec spec, boolean headers) {
    this.limit = spec.rate().count();
    this.windowNanos = spec.rate().period().toNanos();
    this.windowSeconds = Math.max(1, (windowNanos + 999_999_999L) / 1_000_000_000L);
    this.rejectStatus = spec.rejectStatus();
    this.headers = headers;
  }

  @Override
  public void decide(long nowNanos, Response out) {
    if (nowNanos >= windowEnd) {
      windowEnd = nowNanos + windowNanos;
      hits = 0;
    }
    hits++;
    boolean ok = hits <= limit;
    long toEnd = windowEnd - nowNanos;
    out.set(ok, rejectStatus, 0, headers
        ? new Figures("fixed", limit, windowSeconds, Math.max(0, limit - hits), toEnd, toEnd, ok ? -1 : toEnd)
        : null);
  }
}
