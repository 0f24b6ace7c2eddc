package dev.throttle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.scenario.ScenarioOptions;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Absolute bounds for the library default in Heroku's scenario variants that {@code compare} does not run by
 * default: instances shared by threads, sixty clients, and a server that sends no rate-limit headers. Every run
 * (seed) must meet the bounds (for max sleep with sixty clients, their mean), which a broken strategy fails; the measured figures belong to the reports.
 */
class DefaultStrategyScenarioTest {

  private static final int RUNS = 3;

  private static List<RunResult> run(ScenarioOptions overrides) {
    Experiment.Plan plan = new Experiment.Plan(StrategyRegistry.DEFAULT.id(), Scenario.HEROKU.id(),
        Scenario.HEROKU.config(overrides), StrategyRegistry.DEFAULT.factory());
    List<Cell> cells = Experiment.runAll(List.of(plan), 1, RUNS, 2, null);
    assertEquals(1, cells.size());
    assertEquals(RUNS, cells.get(0).runs().size());
    return cells.get(0).runs();
  }

  private static ScenarioOptions options(Integer clients, Integer share, Dialect headers) {
    return ScenarioOptions.builder().clients(clients).share(share).dialect(headers).build();
  }

  /** Heroku's own layout: two processes of five threads, each process sharing one strategy instance. */
  @Test
  void instancesSharedByFiveThreadsStillHaveFewRetriesAndFairShares() {
    for (RunResult r : run(options(null, 5, null))) {
      assertTrue(Metric.RETRY_RATE.of(r) < 5, "retry% " + Metric.RETRY_RATE.of(r));
      assertTrue(Metric.JAIN.of(r) > 0.9, "jain " + Metric.JAIN.of(r));
      // DiscoveryPacingStrategy: 0.14 % 429s, Jain 1.000, but longest waits of 85 ± 11 s (20 seeds: docs/strategy.md;
      // the previous default had 21 s): the start of five threads on one schedule is issue 11's open goal
      assertTrue(Metric.MAX_SLEEP.of(r) < 150, "max sleep " + Metric.MAX_SLEEP.of(r));
      assertTrue(Metric.UTILISATION.of(r) > 97, "util% " + Metric.UTILISATION.of(r));
    }
  }

  /**
   * Sixty clients (fair interval N × T = 48 s): fewer 429s than the previous default's 12.4 % and no client left for
   * ever. The longest waits are the default's weak point here (mean 300-500 s against the previous default's 106 s
   * and issue 11's goal of 72 s: clients unlucky in the contended start keep long intervals; docs/strategy.md).
   */
  @Test
  void withSixtyClientsFewer429sThanThePreviousDefaultAndNoClientLeftBehind() {
    List<RunResult> runs = run(options(60, null, null));
    double meanMaxSleep = runs.stream().mapToDouble(Metric.MAX_SLEEP::of).average().orElseThrow();
    assertTrue(meanMaxSleep < 900, "mean max sleep " + meanMaxSleep);
    for (RunResult r : runs) {
      assertTrue(Metric.JAIN.of(r) > 0.8, "jain " + Metric.JAIN.of(r));
      assertTrue(Metric.RETRY_RATE.of(r) < 12, "retry% " + Metric.RETRY_RATE.of(r));
    }
  }

  /** A server that sends no rate-limit header at all: the default falls back to 429-driven pacing and backoff. */
  @Test
  void withoutHeadersTheDefaultStillAvoidsMost429s() {
    for (RunResult r : run(options(null, null, Dialect.NONE))) {
      assertTrue(Metric.RETRY_RATE.of(r) < 10, "retry% " + Metric.RETRY_RATE.of(r));
      assertTrue(Metric.UTILISATION.of(r) > 95, "util% " + Metric.UTILISATION.of(r));
    }
  }
}
