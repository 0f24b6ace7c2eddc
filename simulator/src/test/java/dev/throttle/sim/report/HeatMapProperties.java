package dev.throttle.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class HeatMapProperties {

  private static final String[] RAMP = {"#1", "#2", "#3", "#4", "#5", "#6", "#7"};

  @Property
  void countScaleSeparatesZeroIsMonotoneAndCoversTheMaximum(@ForAll @IntRange(min = 0, max = 1_000_000) int max,
      @ForAll @IntRange(min = 0, max = 1_000_000) int a, @ForAll @IntRange(min = 0, max = 1_000_000) int b) {
    HeatMap.Scale s = HeatMap.Scale.counts(max, "#0", RAMP);
    int lo = Math.min(a, b) % (max + 1);
    int hi = Math.max(a, b) % (max + 1);
    if (lo > hi) {
      int t = lo;
      lo = hi;
      hi = t;
    }
    assertEquals(0, s.level(0));
    assertTrue(s.level(lo) <= s.level(hi), lo + " vs " + hi);
    if (lo >= 1) {
      assertTrue(s.level(lo) >= 1, "a non-zero count is never coloured as zero");
    }
    // the top level holds the maximum, and there are at most 1 + ramp levels
    assertTrue(s.colors().length <= 1 + RAMP.length);
    if (max >= 1) {
      assertEquals(s.colors().length - 1, s.level(max));
    }
    assertEquals(s.colors().length, s.labels().length);
  }

  @Property
  void smallMaximaGetOneLevelPerCount(@ForAll @IntRange(min = 1, max = 7) int max) {
    HeatMap.Scale s = HeatMap.Scale.counts(max, "#0", RAMP);
    assertEquals(max + 1, s.colors().length);
    for (int v = 0; v <= max; v++) {
      assertEquals(v, s.level(v));
      assertEquals(Integer.toString(v), s.labels()[v]);
    }
  }
}
