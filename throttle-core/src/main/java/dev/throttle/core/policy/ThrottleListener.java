package dev.throttle.core.policy;

/**
 * Receives {@link ThrottleEvent}s from runners and adapters. Called synchronously on the runner's thread, so
 * implementations must be fast, thread-safe and must not throw (exceptions are logged and ignored). A policy
 * may have several; see {@link ThrottlePolicy.Builder#addListener}.
 */
@FunctionalInterface
public interface ThrottleListener {

  /**
   * Called for every event.
   * @param event the event; never null
   */
  void onEvent(ThrottleEvent event);
}
