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
    long now = 0;
    for (String key : keys) {
      ThrottlePolicy first = sources.get(key, now++);
      assertSame(first, sources.get(key, now++), "a key just used keeps its state");
      assertTrue(sources.size() <= maxKeys, "size " + sources.size() + " > " + maxKeys);
    }
    assertTrue(created.get() <= keys.size());
  }

  @Property(tries = 50)
  void aKeyThatFitsIsNeverForgotten(@ForAll @Size(min = 1, max = 100) List<@IntRange(max = 9) Integer> keys) {
    KeyedPolicies sources = new KeyedPolicies(k -> fresh(), 10);
    List<ThrottlePolicy> firstSeen = new ArrayList<>(java.util.Collections.nCopies(10, null));
    long now = 0;
    for (int k : keys) {
      ThrottlePolicy s = sources.get("k" + k, now++);
      if (firstSeen.get(k) == null) {
        firstSeen.set(k, s);
      }
      assertSame(firstSeen.get(k), s);
    }
  }

  /**
   * LRU: after any sequence of uses, every key among the {@code maxKeys - maxKeys / 8} most recently used
   * distinct keys still has the policy it got when it was (last) created.
   */
  @Property(tries = 300)
  void theMostRecentlyUsedKeysAreKept(
      @ForAll @Size(max = 400) List<@IntRange(max = 40) Integer> keys,
      @ForAll @IntRange(min = 1, max = 24) int maxKeys) {
    KeyedPolicies sources = new KeyedPolicies(k -> fresh(), maxKeys);
    // access order; only put() touches it (get() would reorder it too)
    java.util.LinkedHashMap<Integer, ThrottlePolicy> recency = new java.util.LinkedHashMap<>(16, 0.75f, true);
    java.util.Map<Integer, ThrottlePolicy> latest = new java.util.HashMap<>();
    int keep = maxKeys - Math.max(1, maxKeys / 8);
    long now = 0;
    for (int k : keys) {
      boolean expectedPresent = sources.contains("k" + k);
      ThrottlePolicy p = sources.get("k" + k, now++);
      recency.put(k, p);
      ThrottlePolicy before = latest.put(k, p);
      if (expectedPresent) {
        assertSame(before, p, "a kept key keeps its policy");
      }
      assertTrue(sources.size() <= maxKeys);
      List<Integer> newestFirst = new ArrayList<>(recency.keySet());
      java.util.Collections.reverse(newestFirst);
      for (int i = 0; i < Math.min(keep, newestFirst.size()); i++) {
        int recent = newestFirst.get(i);
        assertTrue(sources.contains("k" + recent), "recent key k" + recent + " (rank " + i + ") was evicted");
        assertSame(latest.get(recent), sources.snapshot().get("k" + recent));
      }
    }
  }

  /** The issue-14 flood: 200,000 distinct keys with maxKeys 1,000, a hot key used between them survives. */
  @Test
  void aHotKeySurvivesAFloodOfNewKeys() {
    AtomicInteger hotCreated = new AtomicInteger();
    KeyedPolicies sources = new KeyedPolicies(k -> {
      if (k.equals("hot")) {
        hotCreated.incrementAndGet();
      }
      return fresh();
    }, 1_000);
    long now = 0;
    ThrottlePolicy hot = sources.get("hot", now++);
    for (int i = 0; i < 200_000; i++) {
      sources.get("flood-" + i, now++);
      if (i % 50 == 0) { // the hot key is used once per 50 new keys: far less often than the flood
        assertSame(hot, sources.get("hot", now++));
      }
      assertTrue(sources.size() <= 1_000);
    }
    assertEquals(1, hotCreated.get(), "the hot key was dropped and re-created");
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
            return sources.get(key, 0);
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
