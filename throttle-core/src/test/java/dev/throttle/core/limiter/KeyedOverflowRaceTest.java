package dev.throttle.core.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 2: with {@code maxKeys} reached, key {@code k} is admitted against the shared overflow state on
 * one thread while another frees a slot ({@link KeyedGcraLimiter#reset} of a tracked key, or a sweep) and creates
 * {@code k}'s own cell from the overflow state. With capacity 1 and a frozen clock at most one of the two may be
 * admitted. The interleaving is run many times on two threads started together by a spin barrier.
 */
class KeyedOverflowRaceTest {

  private static final int ROUNDS = 20_000;
  private static final long NOW = 7_000_000_000L;

  /** Two threads meeting at the barrier once per phase (spinning, so both run the next phase together). */
  private static final class SpinBarrier {
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int phase;

    void await() {
      int p = phase;
      if (arrived.incrementAndGet() == 2) {
        arrived.set(0);
        phase = p + 1;
      } else {
        for (int spins = 0; phase == p; spins++) {
          if (spins < 1_000) {
            Thread.onSpinWait();
          } else {
            Thread.yield(); // a loaded machine: let the other thread run
          }
        }
      }
    }
  }

  interface Freer {
    void free(KeyedGcraLimiter<String> limiter);
  }

  private static int doubleAdmissions(Freer freer, long tick) throws InterruptedException {
    SpinBarrier barrier = new SpinBarrier();
    @SuppressWarnings("unchecked")
    KeyedGcraLimiter<String>[] current = new KeyedGcraLimiter[1];
    boolean[] admittedA = new boolean[1];
    boolean[] admittedB = new boolean[1];
    Thread other = new Thread(() -> {
      for (int r = 0; r < ROUNDS; r++) {
        barrier.await(); // limiter ready
        KeyedGcraLimiter<String> l = current[0];
        freer.free(l);
        admittedB[0] = l.tryConsume("k", 1, NOW + tick);
        barrier.await(); // round done
      }
    });
    other.start();
    int doubles = 0;
    for (int r = 0; r < ROUNDS; r++) {
      KeyedGcraLimiter<String> l = KeyedGcraLimiter.<String>builder().maxKeys(1)
          .quota(Quota.of(Rate.perSecond(1), 1)).build();
      if (!l.tryConsume("a", 1, NOW)) {
        throw new AssertionError("a refused");
      }
      current[0] = l;
      barrier.await();
      admittedA[0] = l.tryConsume("k", 1, NOW + tick); // table full: charged to the overflow state
      barrier.await();
      if (admittedA[0] && admittedB[0]) {
        doubles++;
      }
    }
    other.join();
    return doubles;
  }

  @Test
  void resetOfAnotherKeyNeverLetsAKeyInTwiceAtOneInstant() throws InterruptedException {
    assertEquals(0, doubleAdmissions(l -> l.reset("a"), 0));
  }

  @Test
  void sweepOfAnotherKeyNeverLetsAKeyInTwiceAtOneInstant() throws InterruptedException {
    // both calls at NOW + 1 s, when "a" (charged at NOW, 1 per second) is idle: the full-table sweep of either
    // call, or the explicit cleanUp, frees its slot
    assertEquals(0, doubleAdmissions(l -> l.cleanUp(NOW + 1_000_000_000L), 1_000_000_000L));
  }
}
