package dev.throttle.bench;

import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.testing.ManualNanoClock;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures the heap retained per live key by {@link KeyedGcraLimiter} at 1,000,000 keys, beyond the key objects
 * themselves: heap used after GC with the keys alive in an array, then again with every key also tracked by the
 * limiter (each key drained, so none is idle or reclaimable); the difference divided by the key count. For
 * reference it measures a bare {@code ConcurrentHashMap<Long, Boolean>} (node + table only) the same way.
 *
 * <p>Run (not JMH; a plain program, a few seconds):
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx2g -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar dev.throttle.bench.KeyedMemoryMeasurement
 * </pre>
 * With arguments {@code 1000000 colliding} every key has hash code 0 (the attack case: all keys in tree bins).
 */
public final class KeyedMemoryMeasurement {

  private KeyedMemoryMeasurement() {}

  /**
   * Runs the measurement.
   *
   * @param args {@code [keys]}, default 1,000,000
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    boolean colliding = args.length > 1 && args[1].equals("colliding");
    Long[] keys = new Long[n];
    for (int i = 0; i < n; i++) {
      // outside the Long cache: every key is its own object; "colliding": (i << 32 | i) all have hashCode 0
      keys[i] = colliding ? ((long) (i + 1) << 32) | (i + 1) : (long) i * 7919 + 1_000_000;
    }
    long base = usedAfterGc();

    ManualNanoClock clock = new ManualNanoClock();
    KeyedGcraLimiter<Long> limiter = KeyedGcraLimiter.<Long>builder().clock(clock).maxKeys(n)
        .quota(Quota.of(Rate.perHour(100), 1)).build();
    for (Long key : keys) {
      if (!limiter.tryConsume(key, 1)) {
        throw new IllegalStateException("refused " + key);
      }
    }
    long withLimiter = usedAfterGc();
    if (limiter.size() != n) {
      throw new IllegalStateException("size " + limiter.size());
    }
    double perKey = (withLimiter - base) / (double) n;

    limiter = null;
    long base2 = usedAfterGc();
    ConcurrentHashMap<Long, Boolean> map = new ConcurrentHashMap<>();
    for (Long key : keys) {
      map.put(key, Boolean.TRUE);
    }
    long withMap = usedAfterGc();
    double mapPerKey = (withMap - base2) / (double) n;

    System.out.printf("keys: %,d; JVM: %s %s%n", n, System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    System.out.printf("KeyedGcraLimiter (1 quota%s): %.1f bytes per live key beyond the key object%n",
        colliding ? ", keys with one hash code" : "", perKey);
    System.out.printf("ConcurrentHashMap<Long, Boolean> alone (reference): %.1f bytes per key%n", mapPerKey);
    System.out.println(limiter == null && map.size() == n && keys.length == n ? "" : "");
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
