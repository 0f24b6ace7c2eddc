package dev.throttle.okhttp;

import dev.throttle.core.policy.ThrottlePolicy;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The throttle state of each key (host, token, ...): one {@link ThrottlePolicy} (so one strategy instance) per
 * key, created on first use, at most {@code maxKeys} of them. When the table is full and a new key arrives,
 * the least recently used eighth of the keys is forgotten at once (their state is dropped; such a key starts
 * afresh if it comes back). So a key in constant use is never evicted by a flood of new keys: any key among
 * the {@code maxKeys - maxKeys / 8} most recently used ones is kept.
 *
 * <p>Cost: a known key is one lock-free map lookup and one volatile write (its last use); a new key takes a
 * lock, and one new key in {@code maxKeys / 8} pays for an eviction pass (a sort of the table), so the
 * amortised cost per new key is {@code O(log maxKeys)}. Thread-safe.
 */
final class KeyedPolicies {

  /** One key's policy and when it was last used (the runner's clock, nanoseconds). */
  private static final class Entry {
    final String key;
    final ThrottlePolicy policy;
    volatile long lastUsedNanos;

    Entry(String key, ThrottlePolicy policy, long nowNanos) {
      this.key = key;
      this.policy = policy;
      this.lastUsedNanos = nowNanos;
    }
  }

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ReentrantLock insertLock = new ReentrantLock();
  private final Function<String, ThrottlePolicy> factory;
  private final int maxKeys;
  private final int keep;

  KeyedPolicies(Function<String, ThrottlePolicy> factory, int maxKeys) {
    this.factory = factory;
    this.maxKeys = maxKeys;
    this.keep = maxKeys - Math.max(1, maxKeys / 8);
  }

  /**
   * Returns the policy of {@code key}, creating it if needed, and marks the key used at {@code nowNanos}.
   *
   * @param nowNanos the runner's clock reading (monotonic; only differences matter)
   */
  ThrottlePolicy get(String key, long nowNanos) {
    Entry entry = entries.get(key);
    if (entry != null) {
      if (entry.lastUsedNanos != nowNanos) {
        entry.lastUsedNanos = nowNanos;
      }
      return entry.policy;
    }
    // Created outside the lock (the factory runs user code); a loser of a race discards its instance.
    ThrottlePolicy created = factory.apply(key);
    insertLock.lock();
    try {
      entry = entries.get(key);
      if (entry != null) {
        entry.lastUsedNanos = nowNanos;
        return entry.policy;
      }
      if (entries.size() >= maxKeys) {
        evictLeastRecentlyUsed();
      }
      entries.put(key, new Entry(key, created, nowNanos));
      return created;
    } finally {
      insertLock.unlock();
    }
  }

  /** Drops the least recently used keys until {@code keep} remain. Called under the insert lock. */
  private void evictLeastRecentlyUsed() {
    Entry[] all = entries.values().toArray(new Entry[0]);
    if (all.length <= keep) {
      return;
    }
    long[] stamps = new long[all.length];
    long base = all[0].lastUsedNanos;
    for (int i = 0; i < all.length; i++) {
      stamps[i] = all[i].lastUsedNanos - base; // nanoTime may wrap: compare differences
    }
    Integer[] order = new Integer[all.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(stamps[a], stamps[b]));
    for (int i = 0; i < all.length - keep; i++) {
      Entry victim = all[order[i]];
      entries.remove(victim.key, victim);
    }
  }

  /** Returns whether {@code key} currently has a policy (for tests). */
  boolean contains(String key) {
    return entries.containsKey(key);
  }

  /** Returns the number of keys held. */
  int size() {
    return entries.size();
  }

  /** Returns a snapshot of the held keys' policies (for tests). */
  Map<String, ThrottlePolicy> snapshot() {
    Map<String, ThrottlePolicy> copy = new java.util.HashMap<>();
    entries.forEach((k, e) -> copy.put(k, e.policy));
    return copy;
  }
}
