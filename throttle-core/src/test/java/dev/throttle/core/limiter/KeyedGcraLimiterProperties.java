package dev.throttle.core.limiter;

import dev.throttle.testing.ManualNanoClock;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** (e) A keyed limiter never admits more than the per-key bound, even with a tiny {@code maxKeys}. */
class KeyedGcraLimiterProperties {

  record Step(int key, int gapEighths, long cost, int action) {}

  @Provide
  Arbitrary<List<Quota>> quotas() {
    return new GcraLimiterProperties().exactQuotas().filter(qs -> qs.stream().allMatch(q -> q.capacity() <= 5));
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 12),
        Arbitraries.longs().between(0, 4), Arbitraries.integers().between(0, 9)).as(Step::new)
        .list().ofMinSize(1).ofMaxSize(80);
  }

  @Property
  void neverExceedsPerKeyBound(@ForAll("quotas") List<Quota> quotas, @ForAll("steps") List<Step> steps,
      @ForAll @IntRange(min = 1, max = 3) int maxKeys, @ForAll("clockStart") long start) {
    ManualNanoClock clock = new ManualNanoClock(start);
    KeyedGcraLimiter.Builder<Integer> b = KeyedGcraLimiter.<Integer>builder().clock(clock).maxKeys(maxKeys);
    quotas.forEach(b::quota);
    KeyedGcraLimiter<Integer> l = b.build();
    long minT = GcraLimiterProperties.minInterval(quotas);
    Map<Integer, List<BigInteger>> times = new HashMap<>();
    Map<Integer, List<Long>> admitted = new HashMap<>();
    long offset = 0;
    for (Step s : steps) {
      offset += BigInteger.valueOf(minT).multiply(BigInteger.valueOf(s.gapEighths())).shiftRight(3)
          .min(BigInteger.valueOf(GcraLimiterProperties.MAX_GAP)).longValueExact();
      long now = start + offset;
      long granted;
      if (s.action() == 0) {
        l.cleanUp(now);
        continue;
      } else if (s.action() == 1) {
        granted = l.tryConsume(s.key(), s.cost(), now) ? s.cost() : 0;
      } else {
        granted = l.tryAcquire(s.key(), s.cost(), now).granted();
      }
      if (l.size() > maxKeys) {
        throw new AssertionError("size " + l.size() + " > maxKeys " + maxKeys);
      }
      times.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(BigInteger.valueOf(offset));
      admitted.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(granted);
    }
    for (Integer key : times.keySet()) {
      GcraLimiterProperties.assertWindowBound(quotas, times.get(key), admitted.get(key));
    }
  }

  @Provide
  Arbitrary<Long> clockStart() {
    return new GcraLimiterProperties().clockStart();
  }
}
