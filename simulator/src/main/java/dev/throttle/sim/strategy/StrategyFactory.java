package dev.throttle.sim.strategy;

import dev.throttle.core.strategy.ThrottleStrategy;


/** Builds a fresh strategy instance for a simulated client from a seed. Must be deterministic in its inputs. */
@FunctionalInterface
public interface StrategyFactory {

  /**
   * Returns a new strategy instance.
   *
   * @param seed the seed for the instance's random source (jitter)
   * @param initialSleepNanos a starting sleep for strategies that keep one (Heroku's {@code starting_sleep_for}),
   *     0 for the strategy's default; strategies without such a setting ignore it
   * @return a new strategy instance
   */
  ThrottleStrategy create(long seed, long initialSleepNanos);

  /**
   * Returns the factory one simulation run uses: this one, unless instances of one run share something that must
   * be fresh for every run (e.g. {@link FleetStrategyFactory}'s shared state).
   */
  default StrategyFactory forRun() {
    return this;
  }
}
