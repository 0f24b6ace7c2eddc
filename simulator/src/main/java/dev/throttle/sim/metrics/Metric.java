package dev.throttle.sim.metrics;

import java.util.function.ToDoubleFunction;

/**
 * The columns the simulator reports, each a named function of one {@link RunResult}. Averaged over
 * replications by the runner. See {@link Metrics} for the exact definitions.
 */
public enum Metric {
  /** 429 responses / all attempts, pooled over clients, in percent. */
  RETRY_RATE("retry%", "429 responses / all attempts, pooled over clients (%)", 2,
      r -> 100 * Metrics.retryRate(r.limited(), r.attempts())),
  /** Heroku's definition: mean over clients of each client's 429s / attempts, in percent. */
  HEROKU_RETRY_RATE("hk-retry%", "Heroku's avg retry rate: mean over clients of 429s/attempts (%)", 2,
      r -> 100 * Metrics.herokuRetryRate(r.limited(), r.attempts())),
  /** Largest wait before any attempt, seconds. */
  MAX_SLEEP("max-sleep-s", "largest wait before an attempt (s)", 2, r -> r.waits().max() / 1e9),
  /** Median wait before an attempt (zeros included), seconds. */
  P50_SLEEP("p50-sleep-s", "median wait before an attempt, zeros included (s)", 2,
      r -> r.waits().percentile(0.5) / 1e9),
  /** 99th percentile wait before an attempt, seconds. */
  P99_SLEEP("p99-sleep-s", "99th percentile wait before an attempt (s)", 2, r -> r.waits().percentile(0.99) / 1e9),
  /** Jain's fairness index over successful requests per client. */
  JAIN("jain", "Jain's fairness index over successes per client (1 = equal shares)", 3,
      r -> Metrics.jainIndex(r.successes())),
  /**
   * The least fair stage: the run split at every scheduled join and leave, Jain's index over the successes of the
   * clients present throughout each stage, minimum over stages; equal to {@link #JAIN} without joins or leaves.
   */
  JAIN_STAGE("jain-stage", "least fair stage: min over stages split at each join/leave of Jain over the clients"
      + " present throughout (= jain without joins/leaves)", 3, r -> Metrics.minStageJain(r.stages(), false)),
  /** As {@link #JAIN_STAGE}, each stage counted after its first 2 minutes (its first half if shorter than 4). */
  JAIN_SETTLED("jain-settled", "as jain-stage, each stage counted after its first 2 min (first half if shorter)", 3,
      r -> Metrics.minStageJain(r.stages(), true)),
  /** Population standard deviation of successes per client. */
  STDEV_SUCCESSES("sd-succ", "standard deviation of successes per client (population)", 1,
      r -> Metrics.stdev(r.successes())),
  /** Heroku's "Stdev Request Count": sample standard deviation of attempts per client, 429s included. */
  HEROKU_STDEV("hk-sd-req", "Heroku's stdev request count: sample stdev of attempts per client", 1,
      r -> Metrics.sampleStdev(r.attempts())),
  /** Time until every client finished its work (clear / finite-job scenarios), seconds; NaN otherwise. */
  CLEAR_TIME("clear-s", "time until every client finished (clear and job scenarios) (s)", 1,
      r -> r.completionNanos() < 0 ? Double.NaN : r.completionNanos() / 1e9),
  /** Successful requests / what the limit allowed over the run, in percent. */
  UTILISATION("util%", "successes / (initial units + elapsed / T) (%)", 1,
      r -> 100 * Metrics.utilisation(r.totalSuccesses(), r.allowance())),
  /** Total attempts (the simulated requests). */
  REQUESTS("requests", "attempts sent, 429s included", 0, r -> r.totalAttempts()),
  /** Logical requests given up on (a limit of the strategy, e.g. AWS adaptive's 3 attempts, or of the policy). */
  GIVE_UPS("gave-up", "logical requests given up on, at a limit of the strategy (e.g. adaptive's 3 attempts)", 0,
      r -> Metrics.sum(r.giveUps()));

  private final String label;
  private final String description;
  private final int decimals;
  private final ToDoubleFunction<RunResult> fn;

  Metric(String label, String description, int decimals, ToDoubleFunction<RunResult> fn) {
    this.label = label;
    this.description = description;
    this.decimals = decimals;
    this.fn = fn;
  }

  /**
   * Returns the column label.
   * @return the column label
   */
  public String label() {
    return label;
  }

  /**
   * Returns the one-line definition.
   * @return the one-line definition
   */
  public String description() {
    return description;
  }

  /**
   * Returns the number of decimals printed.
   * @return the number of decimals printed
   */
  public int decimals() {
    return decimals;
  }

  /**
   * Returns this metric for one run.
   * @param r the run
   * @return this metric for one run
   */
  public double of(RunResult r) {
    return fn.applyAsDouble(r);
  }
}
