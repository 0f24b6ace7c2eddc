package dev.throttle.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GiveUpActionTest {

  private final ThrottleGiveUpException giveUp =
      new ThrottleGiveUpException(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, 429, 3, 1);
  private final List<String> discarded = new ArrayList<>();

  @Test
  void returnLastResponseReturnsItUndiscarded() {
    assertEquals("429", GiveUpAction.RETURN_LAST_RESPONSE.apply("429", discarded::add, giveUp));
    assertEquals(List.of(), discarded);
  }

  @Test
  void throwDiscardsThenThrows() {
    assertSame(giveUp, assertThrows(ThrottleGiveUpException.class,
        () -> GiveUpAction.THROW.apply("429", discarded::add, giveUp)));
    assertEquals(List.of("429"), discarded);
  }

  @Test
  void withoutAResponseBothThrow() {
    for (GiveUpAction action : GiveUpAction.values()) {
      assertSame(giveUp, assertThrows(ThrottleGiveUpException.class,
          () -> action.<String, ThrottleGiveUpException>apply(null, discarded::add, giveUp)));
    }
    assertEquals(List.of(), discarded);
  }
}
