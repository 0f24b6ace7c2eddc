package dev.throttle.sim.server;

import dev.throttle.core.headers.RateLimitHeaderWriter.Figures;

import dev.throttle.sim.model.ServerSpec;

/**
 * A concurrency limit: at most {@code capacity} admitted requests in flight at the server (from the decision
 * until the response leaves, i.e. hold plus service time); a request beyond that is refused. With zero service
 * time nothing is ever in flight, so scenarios using it need a service latency. Figures: limit = capacity, no
 * window, remaining = free slots, no reset, Retry-After 1 s on a refusal (the server cannot know when a slot
 * frees; 1 s is what common gateways send).
 */
final class ConcurrencyModel implements ServerModel {

  private static final long RETRY_AFTER_NANOS = 1_000_000_000L;

  private final long limit;
  private final int rejectStatus;
  private final boolean headers;
  private long inFlight;

  ConcurrencyModel(ServerSpec spec, boolean headers) {
    this.limit = spec.capacity();
    this.rejectStatus = spec.rejectStatus();
    this.headers = headers;
  }

  @Override
  public void decide(long nowNanos, Response out) {
    boolean ok = inFlight < limit;
    if (ok) {
      inFlight++;
    }
    out.set(ok, rejectStatus, 0,
        headers ? new Figures("concurrency", limit, 0, limit - inFlight, -1, -1, ok ? -1 : RETRY_AFTER_NANOS) : null);
  }

  @Override
  public void release(long nowNanos) {
    inFlight--;
  }

  @Override
  public boolean tracksInFlight() {
    return true;
  }
}
