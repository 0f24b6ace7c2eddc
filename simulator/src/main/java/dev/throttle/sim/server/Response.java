package dev.throttle.sim.server;

import dev.throttle.core.headers.RateLimitHeaderWriter.Figures;
import dev.throttle.core.limiter.RateLimitResult;

/**
 * What a {@link ServerModel} decided for one request: a mutable holder reused for every decision of a run. The
 * quota state is either a GCRA {@link RateLimitResult} (written by the core writer's GCRA mapping) or
 * {@link Figures}; {@link #figures()} derives figures from a GCRA result when a dialect needs them. Not
 * thread-safe.
 */
public final class Response {

  /** The status of an admitted request. */
  public static final int OK = 200;

  boolean admitted;
  int status;
  long holdNanos;
  RateLimitResult gcra;
  Figures figures;

  /** Sets an admission without a GCRA result. */
  void set(boolean ok, int rejectStatus, long hold, Figures f) {
    admitted = ok;
    status = ok ? OK : rejectStatus;
    holdNanos = hold;
    gcra = null;
    figures = f;
  }

  /** Returns true if the request was admitted. */
  public boolean admitted() {
    return admitted;
  }

  /** Returns the HTTP status: 200, or the server's reject status. */
  public int status() {
    return status;
  }

  /** Returns how long the server holds the request before it answers (0 unless a delaying leaky bucket). */
  public long holdNanos() {
    return holdNanos;
  }

  /** Returns the GCRA result, or null for other models. */
  public RateLimitResult gcra() {
    return gcra;
  }

  /** Returns the quota figures (derived from the GCRA result for GCRA), or null if the model wrote none. */
  public Figures figures() {
    if (figures == null && gcra != null) {
      figures = GcraModel.figures(gcra);
    }
    return figures;
  }
}
