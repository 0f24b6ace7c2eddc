package dev.throttle.sim;

import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.metrics.StudentT;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The replications of one strategy in one scenario: every run's result and, per metric, the mean with its
 * 95 % confidence half-width. Immutable.
 */
public final class Cell {

  private final String strategy;
  private final String scenario;
  private final List<RunResult> runs;
  private final Map<Metric, StudentT.Estimate> estimates = new EnumMap<>(Metric.class);

  private final int replications;
  private final boolean deterministic;

  /**
   * Creates a cell. When every replication came out identical (a strategy that draws no random numbers, in a
   * scenario without random latency), the cell is {@linkplain #deterministic() deterministic}: it keeps one run,
   * so no confidence interval of ±0 is ever shown for what is one outcome repeated.
   */
  Cell(String strategy, String scenario, List<RunResult> runs) {
    this.strategy = strategy;
    this.scenario = scenario;
    this.replications = runs.size();
    this.deterministic = runs.size() > 1 && allIdentical(runs);
    this.runs = deterministic ? List.of(runs.get(0)) : List.copyOf(runs);
    runs = this.runs;
    for (Metric m : Metric.values()) {
      double[] values = new double[runs.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = m.of(runs.get(i));
      }
      estimates.put(m, StudentT.estimate(values));
    }
  }

  /** Returns true if more than one replication ran and all came out identical (then {@link #runs()} has one). */
  public boolean deterministic() {
    return deterministic;
  }

  /** Returns the number of replications that ran (more than {@code runs().size()} when deterministic). */
  public int replications() {
    return replications;
  }

  private static boolean allIdentical(List<RunResult> runs) {
    RunResult a = runs.get(0);
    for (RunResult b : runs.subList(1, runs.size())) {
      if (!a.sameOutcome(b)) {
        return false;
      }
    }
    return true;
  }

  /** Returns the strategy's name. */
  public String strategy() {
    return strategy;
  }

  /**
   * Returns the scenario's name.
   * @return the scenario's name
   */
  public String scenario() {
    return scenario;
  }

  /**
   * Returns every run, in seed order.
   * @return every run, in seed order
   */
  public List<RunResult> runs() {
    return runs;
  }

  /**
   * Returns the mean and 95 % half-width of a metric over the runs.
   * @param m the metric
   * @return the mean and 95 % half-width of a metric over the runs
   */
  public StudentT.Estimate estimate(Metric m) {
    return estimates.get(m);
  }

  /**
   * Returns true if any run hit the safety stop.
   * @return {@code true} if any run hit the safety stop
   */
  public boolean truncated() {
    for (RunResult r : runs) {
      if (r.truncated()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the total attempts over all runs.
   * @return the total attempts over all runs
   */
  public long totalAttempts() {
    long n = 0;
    for (RunResult r : runs) {
      n += r.totalAttempts();
    }
    return n;
  }
}
