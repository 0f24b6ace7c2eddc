package dev.throttle.sim.engine;

import dev.throttle.core.limiter.Rate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.FixedIntervalStrategy;
import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerChange;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.scenario.ScenarioOptions;
import dev.throttle.sim.strategy.StrategyFactory;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

  private static final long SECOND = 1_000_000_000L;

  private static StrategyFactory fixed(long intervalNanos) {
    return (seed, initialSleep) -> new FixedIntervalStrategy(intervalNanos);
  }

  private static SimConfig oneClient(Rate rate, long capacity, long initial, long duration, Workload w) {
    return new SimConfig(new ServerSpec(rate, capacity, initial, Latency.ZERO, Dialect.FULL, List.of()),
        Latency.ZERO, List.of(ClientGroup.always(1, w)), duration, 1, 10, SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
  }

  @Test
  void constantRateClientBelowTheLimitNeverSeesA429() {
    // Heroku's server (T = 0.8 s, drained) and one client sending every 1 s for 30 min: attempts at
    // 1 s, 2 s, ..., 1800 s, all admitted (the server frees a unit every 0.8 s). Allowance = 1800 / 0.8 = 2250.
    RunResult r = Simulation.of(oneClient(Rate.perHour(4500), 4500, 0, 1800 * SECOND, Workload.closed()),
        fixed(SECOND), 1).run();
    assertEquals(1800, r.totalAttempts());
    assertEquals(1800, r.totalSuccesses());
    assertEquals(0, Metric.RETRY_RATE.of(r));
    assertEquals(2250.0, r.allowance(), 1e-9);
    assertEquals(80.0, Metric.UTILISATION.of(r), 1e-9);
    assertEquals(1.0, Metric.MAX_SLEEP.of(r), 0.01);
  }

  @Test
  void constantRateClientTwiceTooFastGetsEveryOtherRequestRefused() {
    // 1 per second, capacity 1, drained; the client sends every 0.5 s for 100 s: 200 attempts at 0.5 s steps.
    // The limiter admits at 1 s, 2 s, ..., 100 s (100) and refuses the half seconds (100): retry rate 50 %,
    // utilisation 100 / (0 + 100 s / 1 s) = 100 %.
    RunResult r = Simulation.of(oneClient(Rate.perSecond(1), 1, 0, 100 * SECOND, Workload.closed()),
        fixed(SECOND / 2), 1).run();
    assertEquals(200, r.totalAttempts());
    assertEquals(100, r.totalSuccesses());
    assertEquals(100, r.totalLimited());
    assertEquals(50.0, Metric.RETRY_RATE.of(r), 1e-9);
    assertEquals(100.0, Metric.UTILISATION.of(r), 1e-9);
  }

  @Test
  void sameSeedGivesIdenticalResultsAndOtherSeedsDiffer() {
    SimConfig c = Scenario.HEROKU.config(ScenarioOptions.NONE);
    StrategyFactory f = StrategyRegistry.EXPONENTIAL_BACKOFF.factory();
    RunResult a = Simulation.of(c, f, 7).run();
    RunResult b = Simulation.of(c, f, 7).run();
    assertArrayEquals(a.attempts(), b.attempts());
    assertArrayEquals(a.successes(), b.successes());
    assertArrayEquals(a.limited(), b.limited());
    assertEquals(a.waits().max(), b.waits().max());
    for (Metric m : Metric.values()) {
      assertEquals(Double.doubleToLongBits(m.of(a)), Double.doubleToLongBits(m.of(b)), m.label());
    }
    RunResult other = Simulation.of(c, f, 8).run();
    assertNotEquals(a.totalAttempts() + "/" + a.waits().max(), other.totalAttempts() + "/" + other.waits().max());
  }

  @Test
  void finiteJobEndsTheRunWhenTheLastClientIsDone() {
    // 2 clients x 5 requests every 1 s, unlimited-looking server (1000/s, starts full): done at 5 s.
    SimConfig c = new SimConfig(new ServerSpec(Rate.perSecond(1000), 1000, 1000, Latency.ZERO, Dialect.FULL,
        List.of()), Latency.ZERO, List.of(ClientGroup.always(2, Workload.finite(5))), 3600 * SECOND, 1, 10,
        SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
    RunResult r = Simulation.of(c, fixed(SECOND), 1).run();
    assertArrayEquals(new long[] {5, 5}, r.successes());
    assertEquals(5 * SECOND, r.completionNanos());
    assertEquals(5.0, Metric.CLEAR_TIME.of(r), 1e-9);
    assertEquals(5 * SECOND, r.elapsedNanos());
  }

  @Test
  void clientsStopWhenRemainingFallsToTheThreshold() {
    // Bucket of 20, no refill to speak of; one client sending every 1 s stops after the response that leaves
    // remaining <= 10, i.e. after the 10th admission, at 10 s.
    SimConfig c = oneClient(Rate.of(1, Duration.ofDays(1)), 20, 20, 3600 * SECOND,
        Workload.closed().stoppingAtRemaining(10));
    RunResult r = Simulation.of(c, fixed(SECOND), 1).run();
    assertEquals(10, r.totalSuccesses());
    assertEquals(10 * SECOND, r.completionNanos());
  }

  @Test
  void latencyDelaysTheDecisionAndTheResponse() {
    // One-way latency 100 ms, service 300 ms, the client waits 1 s before each attempt: an attempt every
    // 1.5 s (1 s wait + 0.5 s round trip), decided 100 ms after it is sent.
    SimConfig c = oneClient(Rate.perSecond(1000), 1000, 1000, 15 * SECOND, Workload.closed())
        .withNetworkLatency(Latency.fixed(100_000_000L))
        .withServer(new ServerSpec(Rate.perSecond(1000), 1000, 1000, Latency.fixed(300_000_000L), Dialect.FULL,
            List.of()));
    List<Long> decisions = new ArrayList<>();
    RunResult r = Simulation.of(c, fixed(SECOND), 1).observer((client, now, allowed) -> decisions.add(now)).run();
    assertEquals(List.of(1_100_000_000L, 2_600_000_000L, 4_100_000_000L), decisions.subList(0, 3));
    assertEquals(10, r.totalAttempts()); // sends at 1, 2.5, ..., 14.5 s
  }

  @Test
  void joiningAndLeavingClientsOnlySendWhilePresent() {
    // Client 0 present throughout; client 1 joins at 10 s and leaves at 20 s; both send every 1 s.
    SimConfig c = new SimConfig(new ServerSpec(Rate.perSecond(100), 100, 100, Latency.ZERO, Dialect.FULL,
        List.of()), Latency.ZERO, List.of(ClientGroup.always(1, Workload.closed()),
        new ClientGroup(1, Workload.closed(), 10 * SECOND, 20 * SECOND)), 30 * SECOND, 1, 10,
        SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
    List<long[]> seen = new ArrayList<>();
    RunResult r = Simulation.of(c, fixed(SECOND), 1).observer((client, now, ok) -> seen.add(new long[] {client, now}))
        .run();
    assertEquals(30, r.attempts()[0]);
    assertEquals(9, r.attempts()[1]); // 11 s .. 19 s; the send due at 20 s is cancelled by the leave
    for (long[] s : seen) {
      if (s[0] == 1) {
        assertTrue(s[1] > 10 * SECOND && s[1] < 20 * SECOND);
      }
    }
  }

  @Test
  void limitChangeRebuildsTheLimiterAtTheChangeTime() {
    // 10/s capacity 1 drained; at 10 s the rate drops to 1/s. A client asking every 10 ms gets ~10/s, then ~1/s.
    SimConfig c = oneClient(Rate.perSecond(10), 1, 0, 20 * SECOND, Workload.closed())
        .withServer(new ServerSpec(Rate.perSecond(10), 1, 0, Latency.ZERO, Dialect.FULL,
            List.of(new ServerChange(10 * SECOND, Rate.perSecond(1), 1))));
    long[] perPhase = new long[2];
    Simulation.of(c, fixed(10_000_000L), 1).observer((client, now, ok) -> {
      if (ok) {
        perPhase[now <= 10 * SECOND ? 0 : 1]++;
      }
    }).run();
    assertEquals(100, perPhase[0], 1);
    assertEquals(10, perPhase[1], 1);
  }

  @Test
  void safetyStopTruncatesTheRun() {
    RunResult r = Simulation.of(oneClient(Rate.perSecond(1), 1, 0, 100 * SECOND, Workload.closed())
        .withMaxAttempts(7), fixed(SECOND / 2), 1).run();
    assertTrue(r.truncated());
    assertEquals(7, r.totalAttempts());
    assertFalse(Simulation.of(oneClient(Rate.perSecond(1), 1, 0, 10 * SECOND, Workload.closed()), fixed(SECOND), 1)
        .run().truncated());
  }

  @Test
  void sharedInstancesAreCreatedOncePerGroupOfK() {
    int[] created = new int[1];
    StrategyFactory counting = (seed, init) -> {
      created[0]++;
      return new FixedIntervalStrategy(SECOND);
    };
    SimConfig c = Scenario.HEROKU.config(ScenarioOptions.builder().clients(10).durationNanos(10 * SECOND).share(5).build());
    Simulation.of(c, counting, 1).run();
    assertEquals(2, created[0]);
    created[0] = 0;
    Simulation.of(c.withShare(1), counting, 1).run();
    assertEquals(10, created[0]);
  }
}
