package dev.throttle.bench;

import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hash flooding: time to track N keys in a {@link KeyedGcraLimiter} (each key's first request, admitted) and
 * then look each up again (second request, refused), for N Strings sharing one hash code (every combination of
 * the blocks "ak" and "c-", which have equal hash codes) against N random Strings of the same length; a
 * {@code ConcurrentHashMap<String, Boolean>} doing the same puts and gets for reference. Best of 5 alternated
 * rounds; one known-key lookup timed on its own (mean over all keys).
 *
 * <p>Run (not JMH; a plain program):
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.throttle.bench.KeyedCollisionMeasurement [N]
 * </pre>
 */
public final class KeyedCollisionMeasurement {

  private static final long NOW = 1_000_000_000L;

  private KeyedCollisionMeasurement() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int k = 32 - Integer.numberOfLeadingZeros(n - 1);
    List<String> colliding = new ArrayList<>(n);
    for (int bits = 0; bits < n; bits++) {
      StringBuilder sb = new StringBuilder(2 * k);
      for (int i = k - 1; i >= 0; i--) {
        sb.append((bits >>> i & 1) == 0 ? "ak" : "c-");
      }
      colliding.add(sb.toString());
    }
    Random random = new Random(42);
    Set<String> r = new HashSet<>();
    char[] c = new char[2 * k];
    while (r.size() < n) {
      for (int i = 0; i < c.length; i++) {
        c[i] = (char) ('a' + random.nextInt(26));
      }
      r.add(new String(c));
    }
    List<String> randomKeys = new ArrayList<>(r);
    long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    for (int round = 0; round < rounds; round++) {
      best[0] = Math.min(best[0], limiter(randomKeys, false));
      best[1] = Math.min(best[1], limiter(colliding, false));
      best[2] = Math.min(best[2], map(randomKeys));
      best[3] = Math.min(best[3], map(colliding));
      best[4] = Math.min(best[4], limiter(randomKeys, true));
      best[5] = Math.min(best[5], limiter(colliding, true));
    }
    System.out.printf("N = %,d keys of %d chars; JVM %s %s; best of %d rounds%n", n, 2 * k,
        System.getProperty("java.vm.name"), System.getProperty("java.version"), rounds);
    System.out.printf("KeyedGcraLimiter track + look up: random %.1f ms, colliding %.1f ms (%.2fx)%n",
        best[0] / 1e6, best[1] / 1e6, best[1] / (double) best[0]);
    System.out.printf("ConcurrentHashMap put + get:       random %.1f ms, colliding %.1f ms (%.2fx)%n",
        best[2] / 1e6, best[3] / 1e6, best[3] / (double) best[2]);
    System.out.printf("KeyedGcraLimiter known-key lookup (mean): random %.0f ns, colliding %.0f ns%n",
        best[4] / (double) n, best[5] / (double) n);
  }

  /** Tracks then looks up every key; returns ns for both passes, or with {@code lookupsOnly} the second. */
  private static long limiter(List<String> keys, boolean lookupsOnly) {
    KeyedGcraLimiter<String> l = KeyedGcraLimiter.<String>builder().maxKeys(2 * keys.size())
        .quota(Quota.of(Rate.perHour(1), 1)).build();
    long start = System.nanoTime();
    for (String key : keys) {
      if (!l.tryConsume(key, 1, NOW)) {
        throw new IllegalStateException("refused " + key);
      }
    }
    long mid = System.nanoTime();
    for (String key : keys) {
      if (l.tryConsume(key, 1, NOW)) {
        throw new IllegalStateException("admitted twice " + key);
      }
    }
    long end = System.nanoTime();
    return lookupsOnly ? end - mid : end - start;
  }

  private static long map(List<String> keys) {
    ConcurrentHashMap<String, Boolean> m = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    for (String key : keys) {
      m.put(key, Boolean.TRUE);
    }
    for (String key : keys) {
      if (m.get(key) == null) {
        throw new IllegalStateException("lost " + key);
      }
    }
    return System.nanoTime() - start;
  }
}
