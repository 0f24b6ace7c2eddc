package dev.throttle.sim;

import dev.throttle.sim.engine.Simulation;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.strategy.StrategyFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Runs replications: {@code runs} simulations of one strategy in one configuration, with seeds
 * {@code seed, seed + 1, …} (the same seeds for every strategy, so strategies face the same random draws
 * where they draw alike). Single-threaded and deterministic.
 */
public final class Experiment {

  private Experiment() {}

  /**
   * Runs one cell.
   *
   * @param strategy strategy name, for the report
   * @param scenario scenario name, for the report
   * @param config the configuration
   * @param factory the strategy factory
   * @param seed the first seed
   * @param runs number of replications, {@code >= 1}
   * @param afterEachRun called with the run index after each run (progress); may be null
   * @throws IllegalArgumentException if {@code runs < 1}
   */
  public static Cell run(String strategy, String scenario, SimConfig config, StrategyFactory factory, long seed,
      int runs, IntConsumer afterEachRun) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(factory, "factory");
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be >= 1, was " + runs);
    }
    List<RunResult> results = new ArrayList<>(runs);
    for (int r = 0; r < runs; r++) {
      results.add(Simulation.of(config, factory, seed + r).run());
      if (afterEachRun != null) {
        afterEachRun.accept(r);
      }
    }
    return new Cell(strategy, scenario, results);
  }
}
