package dev.throttle.okhttp;

import dev.throttle.core.policy.ThrottlePolicy;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The throttle state of each key (host, token, ...): one {@link ThrottlePolicy} (so one strategy instance) per
 * key, created on first use, at most {@code maxKeys} of them. When full, an arbitrary existing key is evicted
 * (its state is forgotten; the key starts afresh if it comes back). Thread-safe; lookups of known keys take no
 * lock.
 */
final class KeyedPolicies {

  private final ConcurrentHashMap<String, ThrottlePolicy> policies = new ConcurrentHashMap<>();
  private final Function<String, ThrottlePolicy> factory;
  private final int maxKeys;

  KeyedPolicies(Function<String, ThrottlePolicy> factory, int maxKeys) {
    this.factory = factory;
    this.maxKeys = maxKeys;
  }

  ThrottlePolicy get(String key) {
    ThrottlePolicy policy = policies.get(key);
    if (policy != null) {
      return policy;
    }
    // Created outside the map's lock (the factory runs user code); a loser of a race discards its instance.
    ThrottlePolicy created = factory.apply(key);
    if (created == null) {
      throw new NullPointerException("policy factory returned null for key " + key);
    }
    while (policies.size() >= maxKeys) {
      Iterator<String> it = policies.keySet().iterator();
      if (!it.hasNext()) {
        break;
      }
      policies.remove(it.next());
    }
    ThrottlePolicy previous = policies.putIfAbsent(key, created);
    return previous != null ? previous : created;
  }

  int size() {
    return policies.size();
  }
}
