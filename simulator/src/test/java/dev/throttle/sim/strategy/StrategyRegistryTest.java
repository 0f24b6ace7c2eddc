package dev.throttle.sim.strategy;

import dev.throttle.core.strategy.Strategies;
import dev.throttle.core.strategy.ThrottleStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrategyRegistryTest {

  @Test
  void everyEntryBuildsAFreshCoreInstance() {
    Set<String> ids = new HashSet<>();
    for (StrategyRegistry s : StrategyRegistry.values()) {
      assertTrue(ids.add(s.id()), "duplicate id " + s.id());
      ThrottleStrategy a = s.factory().create(1, 1_000_000_000L);
      ThrottleStrategy b = s.factory().create(1, 1_000_000_000L);
      assertNotNull(a);
      assertNotSame(a, b, s.id() + " must not share instances between clients");
      assertTrue(a.getClass().getName().startsWith("dev.throttle.core."), s.id() + " must be a core strategy");
      assertEquals(s, StrategyRegistry.byId(s.id().toUpperCase(java.util.Locale.ROOT)));
    }
  }

  @Test
  void theSimulatorsDefaultIsTheLibraryDefault() {
    assertEquals(Strategies.defaultStrategy(7).getClass(),
        StrategyRegistry.DEFAULT.factory().create(7, 0).getClass());
    assertEquals("default", StrategyRegistry.DEFAULT.id());
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategyRegistry.byId("x"));
    assertTrue(e.getMessage().contains("pacing") && e.getMessage().contains("eiprd"), e.getMessage());
  }
}
