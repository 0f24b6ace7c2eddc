package dev.throttle.sim.engine;

import dev.throttle.core.limiter.Rate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The simulated server, whatever strategies do, never admits more than the limit allows. */
class ServerAdmissionProperties {

  @Property(tries = 60)
  void neverAdmitsMoreThanInitialUnitsPlusElapsedOverT(
      @ForAll @IntRange(min = 1, max = 6) int clients,
      @ForAll @IntRange(min = 1, max = 50) int perSecond,
      @ForAll @IntRange(min = 1, max = 20) int capacity,
      @ForAll @IntRange(min = 0, max = 20) int initialRaw,
      @ForAll @IntRange(min = 1, max = 120) int seconds,
      @ForAll @LongRange(min = 0, max = 30_000_000) long latencyNanos,
      @ForAll StrategyRegistry strategy,
      @ForAll long seed) {
    int initial = Math.min(initialRaw, capacity);
    Rate rate = Rate.perSecond(perSecond);
    SimConfig c = new SimConfig(new ServerSpec(rate, capacity, initial, Latency.ZERO, Dialect.FULL, List.of()),
        Latency.fixed(latencyNanos), List.of(ClientGroup.always(clients, Workload.closed())),
        Duration.ofSeconds(seconds).toNanos(), 1, 10, 2_000_000, 0);
    long t = rate.emissionIntervalNanos();
    long[] admitted = new long[1];
    Simulation.of(c, strategy.factory(), seed).observer((client, now, allowed) -> {
      if (allowed) {
        admitted[0]++;
        // admitted <= initial + now / T, in integers: (admitted - initial) * T <= now
        assertTrue((admitted[0] - initial) * t <= now,
            "admitted " + admitted[0] + " by " + now + " ns with initial " + initial + " and T " + t);
      }
    }).run();
  }
}
