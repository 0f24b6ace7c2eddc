package dev.throttle.sim.server;

import dev.throttle.core.headers.RateLimitHeaderWriter.Figures;

import dev.throttle.sim.model.ServerSpec;

/**
 * A leaky bucket with a burst queue, as nginx's {@code limit_req} module computes it (ngx_http_limit_req_module.c,
 * one key): time in whole milliseconds, the rate in milli-requests per second ({@code 20r/s} = 20000), the excess
 * in milli-requests. The first request of the key sets excess 0 and passes. Each later request computes
 * {@code excess = max(0, excess − rate × ms / 1000 + 1000)} with {@code ms} the milliseconds since the last
 * admitted request; it is refused (the reject status, nothing updated) when {@code excess > burst × 1000},
 * otherwise admitted and stored. With {@code nodelay} it is answered at once; without, it is held for
 * {@code excess × 1000 / rate} ms (nginx's delay) before being served.
 *
 * <p>Figures (nginx sends none; for other dialects): limit = burst + 1, window = (burst + 1) / rate rounded up,
 * remaining = how many more would pass now, next unit and Retry-After = until the excess has leaked enough for
 * one more, full reset = until the excess is 0.
 */
final class LeakyBucketModel implements ServerModel {

  private final long rateMilli;
  private final long burstMilli;
  private final boolean nodelay;
  private final int rejectStatus;
  private final boolean headers;
  private final long limit;
  private final long windowSeconds;
  private boolean seen;
  private long lastMs;
  private long excess;

  LeakyBucketModel(ServerSpec spec, boolean headers) {
    // nginx: rate = n * 1000 / scale (per second); here n per period, exact to the milli-request
    double perSecond = spec.rate().count() * 1e9 / spec.rate().period().toNanos();
    this.rateMilli = Math.max(1, (long) (perSecond * 1000));
    this.burstMilli = spec.capacity() * 1000;
    this.nodelay = spec.nodelay();
    this.rejectStatus = spec.rejectStatus();
    this.headers = headers;
    this.limit = spec.capacity() + 1;
    this.windowSeconds = Math.max(1, (long) Math.ceil(limit * 1000.0 / rateMilli * 1000) / 1000);
  }

  @Override
  public void decide(long nowNanos, Response out) {
    long nowMs = nowNanos / 1_000_000L;
    long e;
    boolean ok;
    if (!seen) {
      seen = true;
      lastMs = nowMs;
      excess = 0;
      e = 0;
      ok = true;
    } else {
      long ms = Math.max(0, nowMs - lastMs);
      e = excess - rateMilli * ms / 1000 + 1000;
      if (e < 0) {
        e = 0;
      }
      ok = e <= burstMilli;
      if (ok) {
        excess = e;
        if (ms != 0) {
          lastMs = nowMs;
        }
      }
    }
    long hold = ok && !nodelay ? e * 1000 / rateMilli * 1_000_000L : 0;
    out.set(ok, rejectStatus, hold, headers ? figures(nowMs, ok) : null);
  }

  private Figures figures(long nowMs, boolean ok) {
    long leaked = Math.max(0, excess - rateMilli * Math.max(0, nowMs - lastMs) / 1000);
    long remaining = Math.max(0, (burstMilli - leaked) / 1000);
    long need = leaked + 1000 - burstMilli;
    long next = need <= 0 ? 0 : ceilDiv(need * 1000, rateMilli) * 1_000_000L;
    long full = ceilDiv(leaked * 1000, rateMilli) * 1_000_000L;
    return new Figures("leaky", limit, windowSeconds, remaining, next, full, ok ? -1 : next);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
