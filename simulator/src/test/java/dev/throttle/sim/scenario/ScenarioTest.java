package dev.throttle.sim.scenario;

import dev.throttle.core.limiter.Rate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.SimConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  @Test
  void herokuDefaultsAreTheirPublishedSetUp() {
    SimConfig c = Scenario.HEROKU.defaults();
    assertEquals(10, c.clientCount());
    assertEquals(800_000_000L, c.server().rate().emissionIntervalNanos());
    assertEquals(4500, c.server().capacity());
    assertEquals(0, c.server().initialRemaining());
    assertEquals(Duration.ofMinutes(30).toNanos(), c.durationNanos());
    assertEquals(Latency.ZERO, c.networkLatency());
  }

  @Test
  void overridesReplaceDefaultsAndCapacityOverrideKeepsAFullBucketFull() {
    SimConfig c = Scenario.STEADY.config(ScenarioOptions.builder().clients(7).durationNanos(60_000_000_000L)
        .rate(Rate.perSecond(5)).capacity(40L).networkLatency(Latency.fixed(1000)).share(7).timeBins(30).build());
    assertEquals(7, c.clientCount());
    assertEquals(40, c.server().capacity());
    assertEquals(40, c.server().initialRemaining());
    assertEquals(200_000_000L, c.server().rate().emissionIntervalNanos());
    assertEquals(7, c.share());
    assertEquals(30, c.timeBins());
    SimConfig drained = Scenario.HEROKU.config(ScenarioOptions.builder().capacity(100L).build());
    assertEquals(0, drained.server().initialRemaining());
  }

  @Test
  void clientsAreSplitOverGroupsInProportion() {
    SimConfig c = Scenario.JOIN.config(ScenarioOptions.builder().clients(30).build());
    assertEquals(30, c.clientCount());
    for (ClientGroup g : c.groups()) {
      assertEquals(10, g.count());
    }
    SimConfig small = Scenario.JOIN.config(ScenarioOptions.builder().clients(4).build());
    assertEquals(4, small.clientCount());
    assertThrows(IllegalArgumentException.class, () -> Scenario.JOIN.config(
        ScenarioOptions.builder().clients(2).build()));
  }

  @Test
  void lookupByNameIsCaseInsensitiveAndNamesTheKnownOnes() {
    assertEquals(Scenario.CAPACITY_DROP, Scenario.byId("Capacity-Drop"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.byId("x"));
    assertEquals(true, e.getMessage().contains("heroku"));
  }

  @Test
  void latencyAndDurationParsing() {
    assertEquals(Latency.fixed(20_000_000L), Latency.parse("20ms"));
    assertEquals(Latency.uniform(10_000_000L, 50_000_000L), Latency.parse("uniform:10ms-50ms"));
    assertEquals(Latency.exponential(2_000_000_000L), Latency.parse("exp:2s"));
    assertThrows(IllegalArgumentException.class, () -> Latency.parse("uniform:5ms"));
    assertThrows(IllegalArgumentException.class, () -> Latency.parse("fast"));
  }
}
