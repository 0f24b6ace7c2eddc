package dev.throttle.core.limiter;

import java.util.List;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on {@link KeyTable} with 16 Strings of one hash code, 11 of them present at the start: the bucket is a
 * tree that concurrent inserts grow (and resize: the 13th key doubles the segment) and removals shrink back to a
 * chain (at 6), while lock-free lookups run. Lookups are done as the limiter does them: the lock-free read, then
 * the locked one if it missed (a lock-free read may miss a key during a resize, by design).
 */
public class KeyTableLincheckTest {

  private static final List<String> KEYS = KeyedCollisionTest.collidingKeys(16);
  private final KeyTable<String> table = new KeyTable<>();

  public KeyTableLincheckTest() {
    for (int i = 0; i < 11; i++) {
      insert(i);
    }
  }

  /** Returns whether the key was absent (and is now present). */
  @Operation
  public boolean insert(@Param(gen = IntGen.class, conf = "0:15") int i) {
    String key = KEYS.get(i);
    KeyTable.Node<String> fresh = new KeyTable.Node<>(key, KeyTable.hash(key));
    return table.putIfAbsent(fresh, n -> { }) == fresh;
  }

  /** Returns whether the key was present (and is now absent). */
  @Operation
  public boolean remove(@Param(gen = IntGen.class, conf = "0:15") int i) {
    String key = KEYS.get(i);
    KeyTable.Node<String> node = table.getExact(key, KeyTable.hash(key));
    return node != null && table.remove(node);
  }

  @Operation
  public boolean contains(@Param(gen = IntGen.class, conf = "0:15") int i) {
    String key = KEYS.get(i);
    int hash = KeyTable.hash(key);
    return table.get(key, hash) != null || table.getExact(key, hash) != null;
  }

  @Test
  void modelChecking() {
    LinChecker.check(KeyTableLincheckTest.class, new ModelCheckingOptions().iterations(5)
        .invocationsPerIteration(200).threads(2).actorsPerThread(3).hangingDetectionThreshold(10_000));
  }

  @Test
  void stress() {
    LinChecker.check(KeyTableLincheckTest.class, new StressOptions().iterations(5)
        .invocationsPerIteration(300).threads(2).actorsPerThread(3));
  }
}
