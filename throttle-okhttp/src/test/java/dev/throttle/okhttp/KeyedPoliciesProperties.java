package dev.throttle.okhttp;

import dev.throttle.core.policy.ThrottlePolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The per-key state map: bounded, stable for a key while it stays, one instance per key under races. */
class KeyedPoliciesProperties {

  private static ThrottlePolicy fresh() {
    return ThrottlePolicy.of(new TestStrategy(1));
  }

  @Property
  void neverHoldsMoreThanMaxKeysAndRepeatsTheSameSourceForAKey(
      @ForAll @Size(max = 200) List<@StringLength(min = 1, max = 3) String> keys,
      @ForAll @IntRange(min = 1, max = 20) int maxKeys) {
    AtomicInteger created = new AtomicInteger();
    KeyedPolicies sources = new KeyedPolicies(k -> {
      created.incrementAndGet();
      return fresh();
    }, maxKeys);
    for (String key : keys) {
      ThrottlePolicy first = sources.get(key);
      assertSame(first, sources.get(key), "a key just used keeps its state");
      assertTrue(sources.size() <= maxKeys, "size " + sources.size() + " > " + maxKeys);
    }
    assertTrue(created.get() <= keys.size());
  }

  @Property(tries = 50)
  void aKeyThatFitsIsNeverForgotten(@ForAll @Size(min = 1, max = 100) List<@IntRange(max = 9) Integer> keys) {
    KeyedPolicies sources = new KeyedPolicies(k -> fresh(), 10);
    List<ThrottlePolicy> firstSeen = new ArrayList<>(java.util.Collections.nCopies(10, null));
    for (int k : keys) {
      ThrottlePolicy s = sources.get("k" + k);
      if (firstSeen.get(k) == null) {
        firstSeen.set(k, s);
      }
      assertSame(firstSeen.get(k), s);
    }
  }

  @Test
  void concurrentFirstUsesOfAKeyAgreeOnOneInstance() throws Exception {
    KeyedPolicies sources = new KeyedPolicies(k -> fresh(), 100);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        String key = "key" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ThrottlePolicy>> got = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          got.add(pool.submit(() -> {
            go.await();
            return sources.get(key);
          }));
        }
        go.countDown();
        ThrottlePolicy first = got.get(0).get();
        for (Future<ThrottlePolicy> f : got) {
          assertSame(first, f.get());
        }
      }
      assertEquals(50, sources.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
