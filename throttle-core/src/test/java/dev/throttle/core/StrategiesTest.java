package dev.throttle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StrategiesTest {

  @Test
  void defaultIsPacingUnderTheRetryAfterFloor() {
    ThrottleStrategy s = Strategies.defaultStrategy(1);
    RetryAfterFloorStrategy floor = assertInstanceOf(RetryAfterFloorStrategy.class, s);
    assertInstanceOf(PacingStrategy.class, floor.inner());
    assertNotSame(s, Strategies.defaultStrategy(1));
  }

  @Test
  void everyNameBuildsAStrategyAndUnknownNamesAreRejected() {
    for (String name : Strategies.names()) {
      ThrottleStrategy s = Strategies.named(name.toUpperCase(java.util.Locale.ROOT), 7);
      ThrottleStrategy.Call c = s.newCall(0);
      assertEquals(0, c.delayNanos(0), name + " must not delay a first call with nothing known");
      assertTrue(c.onResponse(429, RateLimitInfo.EMPTY, 0), name);
    }
    assertInstanceOf(ExponentialIncreaseProportionalRemainingDecreaseStrategy.class,
        Strategies.named("exponential-increase-proportional-remaining-decrease", 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.named("nope", 1));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("pacing"));
    assertThrows(NullPointerException.class, () -> Strategies.named(null, 1));
  }

  @Test
  void toStringNamesTheStrategyAndItsState() {
    assertEquals("RetryAfterFloor[PacingStrategy[interval=PT0S]]", Strategies.defaultStrategy(1).toString());
    ExponentialIncreaseProportionalRemainingDecreaseStrategy s =
        ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder()
            .startingSleep(java.time.Duration.ofSeconds(2)).build();
    assertEquals("ExponentialIncreaseProportionalRemainingDecreaseStrategy[sleep=PT2S]", s.toString());
    assertTrue(Strategies.named("full-jitter", 1).toString().contains("FULL"));
    assertTrue(Strategies.named("adaptive", 1).toString().contains("enabled=false"));
  }
}
