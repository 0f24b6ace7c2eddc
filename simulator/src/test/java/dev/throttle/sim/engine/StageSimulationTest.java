package dev.throttle.sim.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.throttle.core.limiter.Rate;
import dev.throttle.sim.FixedIntervalStrategy;
import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.metrics.Stage;
import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import dev.throttle.sim.strategy.StrategyFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Stages of a small deterministic run whose successes can be counted by hand. */
class StageSimulationTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void stagesSplitAtJoinsAndLeavesAndCountTheClientsPresentThroughout() {
    // A server that never refuses (1000/s, a full bucket of a million) and three clients with fixed intervals:
    // client 0 every 1 s throughout; client 1 every 2 s, leaves at 200 s; client 2 every 1 s, joins at 100 s.
    // 300 s: stages [0, 100), [100, 200), [200, 300] (a success at a boundary belongs to the stage it starts).
    long[] intervals = {SECOND, 2 * SECOND, SECOND};
    AtomicInteger made = new AtomicInteger();
    StrategyFactory f = (seed, initialSleep) -> new FixedIntervalStrategy(intervals[made.getAndIncrement()]);
    Workload w = Workload.closed();
    SimConfig c = new SimConfig(
        new ServerSpec(Rate.perSecond(1000), 1_000_000, 1_000_000, Latency.ZERO, Dialect.FULL, List.of()),
        Latency.ZERO, List.of(ClientGroup.always(1, w), new ClientGroup(1, w, 0, 200 * SECOND),
            new ClientGroup(1, w, 100 * SECOND, Long.MAX_VALUE)),
        300 * SECOND, 1, 10, SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
    RunResult r = Simulation.of(c, f, 1).run();
    assertArrayEquals(new long[] {300, 99, 200}, r.successes());

    List<Stage> s = r.stages();
    assertEquals(3, s.size());
    assertEquals(100 * SECOND, s.get(1).startNanos());
    assertEquals(200 * SECOND, s.get(1).endNanos());
    // Stage 1: client 0 at 1..99 s, client 1 at 2..98 s; stage 2: 100..199, 100..198, 101..199; stage 3: 200..300.
    assertArrayEquals(new int[] {0, 1}, s.get(0).clients());
    assertArrayEquals(new long[] {99, 49}, s.get(0).successes());
    assertArrayEquals(new int[] {0, 1, 2}, s.get(1).clients());
    assertArrayEquals(new long[] {100, 50, 99}, s.get(1).successes());
    assertArrayEquals(new int[] {0, 2}, s.get(2).clients());
    assertArrayEquals(new long[] {101, 101}, s.get(2).successes());
    // Stages of 100 s settle for half their length: from 50, 150 and 250 s.
    assertArrayEquals(new long[] {50, 25}, s.get(0).settledSuccesses());
    assertArrayEquals(new long[] {50, 25, 50}, s.get(1).settledSuccesses());
    assertArrayEquals(new long[] {51, 51}, s.get(2).settledSuccesses());

    assertEquals(148.0 * 148 / (2 * (99 * 99 + 49 * 49)), Metric.JAIN_STAGE.of(r), 1e-12);
    assertEquals(75.0 * 75 / (2 * (50 * 50 + 25 * 25)), Metric.JAIN_SETTLED.of(r), 1e-12);
  }

  @Test
  void withoutJoinsOrLeavesTheOneStageIsTheWholeRun() {
    AtomicInteger made = new AtomicInteger();
    StrategyFactory f = (seed, initialSleep) -> new FixedIntervalStrategy((1 + made.getAndIncrement()) * SECOND);
    SimConfig c = new SimConfig(
        new ServerSpec(Rate.perSecond(1000), 1_000_000, 1_000_000, Latency.ZERO, Dialect.FULL, List.of()),
        Latency.ZERO, List.of(ClientGroup.always(3, Workload.closed())), 600 * SECOND, 1, 10,
        SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
    RunResult r = Simulation.of(c, f, 1).run();
    assertArrayEquals(new long[] {600, 300, 200}, r.successes());
    assertEquals(1, r.stages().size());
    assertArrayEquals(r.successes(), r.stages().get(0).successes());
    assertEquals(Metric.JAIN.of(r), Metric.JAIN_STAGE.of(r), 1e-12);
    // Settled from 120 s: 120..600 s -> 481; 120..600 step 2 -> 241; 120..600 step 3 -> 161.
    assertArrayEquals(new long[] {481, 241, 161}, r.stages().get(0).settledSuccesses());
  }
}
