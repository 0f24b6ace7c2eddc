package dev.throttle.sim;

import dev.throttle.sim.engine.Simulation;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.strategy.StrategyFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
   * @return the cell's runs and their results
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

  /**
   * Runs many cells on {@code threads} threads. Each run is single-threaded and deterministic, and results are
   * assembled in input order, so the outcome does not depend on the number of threads.
   *
   * @param plans the cells to run
   * @param seed the first seed of every cell
   * @param runs replications per cell
   * @param threads worker threads, {@code >= 1}
   * @param afterEachRun called (from a worker thread, synchronized) after each run; may be null
   * @return one cell per plan, in plan order
   * @throws IllegalArgumentException if {@code runs < 1} or {@code threads < 1}
   */
  public static List<Cell> runAll(List<Plan> plans, long seed, int runs, int threads, Runnable afterEachRun) {
    return runAll(plans, seed, runs, threads, true, afterEachRun);
  }

  /**
   * Like {@link #runAll(List, long, int, int, Runnable)}, choosing whether runs record per-client time series
   * (only charts need them; without them memory grows with the number of clients only).
   *
   * @param plans the cells to run
   * @param seed the first seed of every cell
   * @param runs replications per cell
   * @param threads worker threads, {@code >= 1}
   * @param series whether to record time series
   * @param afterEachRun called (from a worker thread, synchronized) after each run; may be null
   * @throws IllegalArgumentException if {@code runs < 1}, {@code threads < 1} or the seeds would overflow
   */
  public static List<Cell> runAll(List<Plan> plans, long seed, int runs, int threads, boolean series,
      Runnable afterEachRun) {
    if (runs >= 1 && seed > Long.MAX_VALUE - (runs - 1)) {
      throw new IllegalArgumentException("seeds " + seed + " + 0.." + (runs - 1) + " overflow a long");
    }
    if (runs < 1 || threads < 1) {
      throw new IllegalArgumentException("runs and threads must be >= 1, were " + runs + " and " + threads);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "simulator-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      List<List<Future<RunResult>>> futures = new ArrayList<>();
      for (Plan p : plans) {
        List<Future<RunResult>> cell = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          long s = seed + r;
          cell.add(pool.submit(() -> {
            RunResult result = Simulation.of(p.config(), p.factory(), s).recordSeries(series).run();
            if (afterEachRun != null) {
              synchronized (afterEachRun) {
                afterEachRun.run();
              }
            }
            return result;
          }));
        }
        futures.add(cell);
      }
      List<Cell> cells = new ArrayList<>();
      for (int i = 0; i < plans.size(); i++) {
        List<RunResult> results = new ArrayList<>();
        for (Future<RunResult> f : futures.get(i)) {
          results.add(get(f));
        }
        cells.add(new Cell(plans.get(i).strategy(), plans.get(i).scenario(), results));
      }
      return cells;
    } finally {
      pool.shutdownNow();
    }
  }

  private static RunResult get(Future<RunResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * One cell to run.
   *
   * @param strategy strategy name
   * @param scenario scenario name
   * @param config configuration
   * @param factory strategy factory
   */
  public record Plan(String strategy, String scenario, SimConfig config, StrategyFactory factory) {}
}
