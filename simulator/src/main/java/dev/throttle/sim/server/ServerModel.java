package dev.throttle.sim.server;

import dev.throttle.sim.model.ServerChange;

/**
 * One simulated server algorithm on the virtual clock: decides each arriving request and describes its quota
 * state for the response headers. Implementations are small, deterministic and not thread-safe (one per run).
 */
public interface ServerModel {

  /**
   * Decides one request of cost 1 arriving at {@code nowNanos} and fills {@code out}: the status, how long the
   * server holds the request before answering (a delaying leaky bucket), and the quota figures for the headers.
   * Times never go backwards between calls.
   */
  void decide(long nowNanos, Response out);

  /** Called when an admitted request leaves the server (after its hold and service time). Default: nothing. */
  default void release(long nowNanos) {}

  /** Returns true if {@link #release} matters (a concurrency limit), so the engine schedules it. */
  default boolean tracksInFlight() {
    return false;
  }

  /**
   * Applies a limit change at {@code nowNanos}.
   *
   * @throws UnsupportedOperationException if the model has no notion of a change (only GCRA has)
   */
  default void change(ServerChange change, long nowNanos) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not model limit changes");
  }
}
