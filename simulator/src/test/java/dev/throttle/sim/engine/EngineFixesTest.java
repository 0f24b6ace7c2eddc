package dev.throttle.sim.engine;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.strategy.ThrottleStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.Metrics;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.scenario.ScenarioOptions;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine fixes of issue 10 item 4. */
class EngineFixesTest {

  private static final long SECOND = 1_000_000_000L;

  /** Waits the scripted delays in turn before each attempt, then the last one forever; never retries. */
  private static final class ScriptedStrategy implements ThrottleStrategy {
    private final long[] delays;
    private int next;

    ScriptedStrategy(long... delays) {
      this.delays = delays;
    }

    @Override
    public Call newCall(long nowNanos) {
      long d = delays[Math.min(next++, delays.length - 1)];
      return new Call() {
        @Override
        public long delayNanos(long now) {
          return d;
        }

        @Override
        public boolean onResponse(int status, RateLimitHeaders headers, long now) {
          return false;
        }
      };
    }
  }

  private static SimConfig oneClient(long durationNanos) {
    return new SimConfig(new ServerSpec(Rate.perSecond(100), 100, 100, Latency.ZERO, Dialect.FULL, List.of()),
        Latency.ZERO, List.of(ClientGroup.always(1, Workload.closed())), durationNanos, 1, 10,
        SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
  }

  @Test
  void aWaitStillRunningAtTheEndIsRecorded() {
    // waits 1 s, 2 s, then 100 s starting at 3 s: the run ends at 10 s, in the middle of the 100 s wait
    RunResult r = Simulation.of(oneClient(10 * SECOND), (seed, s) -> new ScriptedStrategy(SECOND, 2 * SECOND,
        100 * SECOND), 1).run();
    assertEquals(2, r.totalAttempts(), "attempts at 1 s and 3 s");
    assertEquals(3, r.waits().count(), "the 100 s wait started at 3 s counts");
    assertEquals(100.0, Metric.MAX_SLEEP.of(r), 1e-9);
  }

  @Test
  void aStrategyThatIgnoresTheSeedMakesADeterministicCell() {
    SimConfig c = Scenario.HEROKU.config(ScenarioOptions.builder().durationNanos(120 * SECOND).build());
    // the AWS adaptive mode on its fixed default seed: every replication is the same run
    var adaptive = dev.throttle.sim.Experiment.run("adaptive", "heroku", c,
        (seed, s) -> dev.throttle.core.strategy.AdaptiveRateStrategy.create(), 1, 4, null);
    assertTrue(adaptive.deterministic());
    assertEquals(1, adaptive.runs().size());
    assertEquals(4, adaptive.replications());
    var jitter = dev.throttle.sim.Experiment.run("full-jitter", "heroku", c,
        StrategyRegistry.FULL_JITTER.factory(), 1, 4, null);
    assertFalse(jitter.deterministic());
    assertEquals(4, jitter.runs().size());
  }

  @Test
  void clearWithThirtyClientsNeverGivesUpAndEveryStrategyStartsAlike() {
    SimConfig c = Scenario.CLEAR.config(ScenarioOptions.builder().clients(30).build());
    assertEquals(0, c.initialSleepNanos(), "no strategy gets a starting sleep the others do not");
    for (StrategyRegistry s : List.of(StrategyRegistry.DEFAULT, StrategyRegistry.EIPRD,
        StrategyRegistry.EXPONENTIAL_BACKOFF)) {
      RunResult r = Simulation.of(c, s.factory(), 3).recordSeries(false).run();
      assertEquals(0, Metrics.sum(r.giveUps()), s.id());
      assertTrue(r.completionNanos() > 0, s.id() + " clears the bucket");
    }
  }

  @Test
  void withoutSeriesNothingPerBinIsAllocated() {
    RunResult with = Simulation.of(oneClient(10 * SECOND), (seed, s) -> new ScriptedStrategy(SECOND), 1).run();
    RunResult without = Simulation.of(oneClient(10 * SECOND), (seed, s) -> new ScriptedStrategy(SECOND), 1)
        .recordSeries(false).run();
    assertNotNull(with.series());
    assertNull(without.series());
    assertTrue(with.sameOutcome(without), "series are observation only");
  }
}
