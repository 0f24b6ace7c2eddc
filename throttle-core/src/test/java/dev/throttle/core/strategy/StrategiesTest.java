package dev.throttle.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
  void toStringNamesTheStrategyAndItsState() {
    assertEquals("RetryAfterFloor[PacingStrategy[interval=PT0S]]", Strategies.defaultStrategy(1).toString());
    ExponentialIncreaseProportionalRemainingDecreaseStrategy s =
        ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder()
            .startingSleep(java.time.Duration.ofSeconds(2)).build();
    assertEquals("ExponentialIncreaseProportionalRemainingDecreaseStrategy[sleep=PT2S]", s.toString());
    assertTrue(JitteredBackoffStrategy.builder().jitter(JitteredBackoffStrategy.Jitter.FULL).build().toString()
        .contains("FULL"));
    assertTrue(AdaptiveRateStrategy.create().toString().contains("enabled=false"));
  }
}
