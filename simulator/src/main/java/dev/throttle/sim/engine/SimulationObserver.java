package dev.throttle.sim.engine;

/** Sees every server decision of a run; for tests and diagnostics. Called on the simulation thread. */
@FunctionalInterface
public interface SimulationObserver {

  /**
   * Called when the server decides one request.
   *
   * @param client the client index
   * @param nowNanos virtual time of the decision
   * @param allowed whether the limiter admitted it
   */
  void onDecision(int client, long nowNanos, boolean allowed);
}
