package dev.throttle.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationChecksTest {

  @Test
  void acceptsTheWholeRangeOfNanoseconds() {
    assertEquals(0, DurationChecks.nonNegativeNanos(Duration.ZERO, "x"));
    assertEquals(1, DurationChecks.positiveNanos(Duration.ofNanos(1), "x"));
    assertEquals(Long.MAX_VALUE, DurationChecks.positiveNanos(Duration.ofNanos(Long.MAX_VALUE), "x"));
  }

  @Test
  void rejectsWithTheFieldName() {
    assertMessageNames("maxSleep", () -> DurationChecks.nonNegativeNanos(Duration.ofNanos(-1), "maxSleep"));
    assertMessageNames("cap", () -> DurationChecks.positiveNanos(Duration.ZERO, "cap"));
    assertMessageNames("period",
        () -> DurationChecks.positiveNanos(Duration.ofNanos(Long.MAX_VALUE).plusNanos(1), "period"));
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> DurationChecks.nonNegativeNanos(null, "base"));
    assertEquals("base", npe.getMessage());
  }

  private static void assertMessageNames(String field, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().startsWith(field + " must"), e.getMessage());
  }
}
