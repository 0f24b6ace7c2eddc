package dev.throttle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library default against Heroku's four strategies in the simulator's {@code heroku} and {@code clear}
 * scenarios (3 seeds each, as {@code compare} runs them): the means of the default's retry rates and Jain index
 * must be strictly better than every Heroku strategy's on Heroku's bench (its longest wait is not: see the test),
 * and on {@code clear} its retry rates, max sleep, Jain index and time to clear no worse. Clear is a latency floor for every strategy that does not wait, so there
 * "no worse" allows a small tolerance.
 */
class DefaultStrategyBeatsHerokuTest {

  private static final long SEED = 42;
  private static final int RUNS = 3;
  private static final List<StrategyRegistry> HEROKU = List.of(StrategyRegistry.EXPONENTIAL_BACKOFF,
      StrategyRegistry.EIGD, StrategyRegistry.EIPD, StrategyRegistry.EIPRD);

  private static List<Cell> cells;

  @BeforeAll
  static void runCompare() {
    List<Experiment.Plan> plans = new ArrayList<>();
    for (Scenario s : List.of(Scenario.HEROKU, Scenario.CLEAR)) {
      plans.add(new Experiment.Plan(StrategyRegistry.DEFAULT.id(), s.id(), s.defaults(),
          StrategyRegistry.DEFAULT.factory()));
      for (StrategyRegistry st : HEROKU) {
        plans.add(new Experiment.Plan(st.id(), s.id(), s.defaults(), st.factory()));
      }
    }
    cells = Experiment.runAll(plans, SEED, RUNS, 2, null);
    assertEquals(plans.size(), cells.size());
  }

  private static double mean(String scenario, String strategy, Metric m) {
    for (Cell c : cells) {
      if (c.scenario().equals(scenario) && c.strategy().equals(strategy)) {
        assertEquals(RUNS, c.replications()); // deterministic cells keep one run
        return c.estimate(m).mean();
      }
    }
    throw new AssertionError("no cell " + scenario + "/" + strategy);
  }

  private static double ours(String scenario, Metric m) {
    return mean(scenario, StrategyRegistry.DEFAULT.id(), m);
  }

  @Test
  void herokuBenchFewerRetriesFairerShares() {
    String sc = Scenario.HEROKU.id();
    for (StrategyRegistry h : HEROKU) {
      String vs = " default vs " + h.id() + ": ";
      for (Metric m : List.of(Metric.RETRY_RATE, Metric.HEROKU_RETRY_RATE)) {
        double a = ours(sc, m);
        double b = mean(sc, h.id(), m);
        assertTrue(a < b, m.label() + vs + a + " vs " + b);
      }
      // The longest wait is not compared: the default's is 27 ± 4 s over 20 seeds against EIPD's 16-20 s (its
      // contended start, docs/strategy.md "Goals"); it is reported in the tables, not claimed here.
      double a = ours(sc, Metric.JAIN);
      double b = mean(sc, h.id(), Metric.JAIN);
      assertTrue(a > b, "jain" + vs + a + " vs " + b);
      assertTrue(ours(sc, Metric.UTILISATION) > 99, "utilisation " + ours(sc, Metric.UTILISATION));
    }
  }

  @Test
  void clearBenchNoWorseOnAnyMetric() {
    String sc = Scenario.CLEAR.id();
    double clear = ours(sc, Metric.CLEAR_TIME);
    assertTrue(clear > 0, "time to clear " + clear);
    for (StrategyRegistry h : HEROKU) {
      String vs = " default vs " + h.id() + ": ";
      double theirs = mean(sc, h.id(), Metric.CLEAR_TIME);
      // 50 ms round trips: 450 requests per client take 22.5 s whatever the strategy; allow 1 % over the best
      assertTrue(clear <= theirs * 1.01, "clear-s" + vs + clear + " vs " + theirs);
      for (Metric m : List.of(Metric.RETRY_RATE, Metric.HEROKU_RETRY_RATE, Metric.MAX_SLEEP)) {
        double a = ours(sc, m);
        double b = mean(sc, h.id(), m);
        assertTrue(a <= b + 1e-9, m.label() + vs + a + " vs " + b);
      }
      double a = ours(sc, Metric.JAIN);
      double b = mean(sc, h.id(), Metric.JAIN);
      assertTrue(a >= b - 1e-3, "jain" + vs + a + " vs " + b);
    }
  }
}
