package dev.throttle.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JitterSourceTest {

  @Property(tries = 100)
  void seededStreamsAreReproducibleAndInRange(@ForAll long seed) {
    JitterSource a = JitterSource.seeded(seed);
    JitterSource b = JitterSource.seeded(seed);
    for (int i = 0; i < 100; i++) {
      double x = a.nextDouble();
      assertEquals(x, b.nextDouble());
      assertTrue(x >= 0 && x < 1, "out of range: " + x);
    }
  }

  @Test
  void seededStreamLooksUniform() {
    JitterSource s = JitterSource.seeded(Strategies.DEFAULT_SEED);
    int[] buckets = new int[10];
    for (int i = 0; i < 100_000; i++) {
      buckets[(int) (s.nextDouble() * 10)]++;
    }
    for (int b : buckets) {
      assertTrue(b > 9_500 && b < 10_500, "bucket " + b);
    }
    assertNotEquals(JitterSource.seeded(1).nextDouble(), JitterSource.seeded(2).nextDouble());
  }

  @Test
  void aSuppliedGeneratorThatBreaksItsContractIsClamped() {
    JitterSource s = JitterSource.of(new FixedRandom(1.5, -0.1, 0.25));
    assertEquals(0, s.nextDouble());
    assertEquals(0, s.nextDouble());
    assertEquals(0.25, s.nextDouble());
  }
}
