package dev.throttle.okhttp;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The throttle state of each key (host, token, ...): one {@link CallSource} per key, created on first use, at most
 * {@code maxKeys} of them. When full, an arbitrary existing key is evicted (its state is forgotten; the key starts
 * afresh if it comes back). Thread-safe; lookups of known keys take no lock.
 */
final class KeyedCallSources {

  private final ConcurrentHashMap<String, CallSource> sources = new ConcurrentHashMap<>();
  private final Function<String, CallSource> factory;
  private final int maxKeys;

  KeyedCallSources(Function<String, CallSource> factory, int maxKeys) {
    this.factory = factory;
    this.maxKeys = maxKeys;
  }

  CallSource get(String key) {
    CallSource source = sources.get(key);
    if (source != null) {
      return source;
    }
    // Created outside the map's lock (the factory is user code); a loser of a race discards its instance.
    CallSource created = factory.apply(key);
    if (created == null) {
      throw new NullPointerException("call source factory returned null for key " + key);
    }
    while (sources.size() >= maxKeys) {
      Iterator<String> it = sources.keySet().iterator();
      if (!it.hasNext()) {
        break;
      }
      sources.remove(it.next());
    }
    CallSource previous = sources.putIfAbsent(key, created);
    return previous != null ? previous : created;
  }

  int size() {
    return sources.size();
  }
}
