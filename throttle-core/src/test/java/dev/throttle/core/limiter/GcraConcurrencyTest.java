package dev.throttle.core.limiter;

import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads on one limiter never admit more than the GCRA bound (no timing assertions). */
class GcraConcurrencyTest {

  private static final int THREADS = 4;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void shutdown() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  /** Runs {@code task(thread)} on THREADS threads started together; returns the sum of their results. */
  private long runAll(TaskFn task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Long>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        start.await();
        return task.run(thread);
      }));
    }
    start.countDown();
    long sum = 0;
    for (Future<Long> f : futures) {
      sum += f.get(30, TimeUnit.SECONDS);
    }
    return sum;
  }

  interface TaskFn {
    long run(int thread) throws Exception;
  }

  @Test
  void frozenClockAdmitsExactlyCapacity() throws Exception {
    ManualNanoClock clock = new ManualNanoClock(Long.MAX_VALUE - 10);
    GcraLimiter l = GcraLimiter.builder().clock(clock).quota(Quota.of(Rate.perSecond(1), 5_000)).build();
    long admitted = runAll(thread -> {
      long n = 0;
      MutableRateLimitResult h = new MutableRateLimitResult();
      for (int i = 0; i < 5_000; i++) {
        switch ((i + thread) % 3) {
          case 0: n += l.tryConsume(1) ? 1 : 0; break;
          case 1: n += l.tryAcquire(1, clock.nanoTime(), h) ? 1 : 0; break;
          default: n += l.tryAcquireAtMost(2).granted();
        }
      }
      return n;
    });
    assertEquals(5_000, admitted);
  }

  @Test
  void frozenClockSeveralQuotasAdmitExactlyTheSmallestCapacity() throws Exception {
    ManualNanoClock clock = new ManualNanoClock();
    GcraLimiter l = GcraLimiter.builder().clock(clock)
        .quota(Quota.of("a", Rate.perSecond(1), 3_000)).quota(Quota.of("b", Rate.perHour(1), 2_000)).build();
    long admitted = runAll(thread -> {
      long n = 0;
      for (int i = 0; i < 2_000; i++) {
        n += (i & 1) == 0 ? (l.tryConsume(1) ? 1 : 0) : l.tryAcquire(1).granted();
      }
      return n;
    });
    assertEquals(2_000, admitted);
  }

  @Test
  void steppingClockNeverExceedsBound() throws Exception {
    long t = 1_000_000; // 1 ms
    long capacity = 50;
    ManualNanoClock clock = new ManualNanoClock(Long.MIN_VALUE + 5);
    long begin = clock.nanoTime();
    GcraLimiter l = GcraLimiter.builder().clock(clock).quota(Quota.of(Rate.perSecond(1_000), capacity)).build();
    long admitted = runAll(thread -> {
      long n = 0;
      for (int i = 0; i < 40_000; i++) {
        if (thread == 0 && i % 20 == 0) {
          clock.advance(t / 2); // 1,000 steps of T/2 while the others hammer
        }
        n += l.tryConsume(1) ? 1 : 0;
      }
      return n;
    });
    long span = clock.nanoTime() - begin;
    assertTrue(admitted <= capacity + span / t, admitted + " > " + capacity + " + " + span / t);
    assertTrue(admitted >= capacity, "admitted " + admitted);
  }

  @Test
  void keyedLimiterNeverExceedsPerKeyBoundWithTinyMaxKeys() throws Exception {
    long t = 1_000_000;
    long capacity = 20;
    int keys = 8;
    ManualNanoClock clock = new ManualNanoClock(Long.MAX_VALUE - 1_000_000_000L);
    long begin = clock.nanoTime();
    KeyedGcraLimiter<Integer> l = KeyedGcraLimiter.<Integer>builder().clock(clock).maxKeys(3)
        .quota(Quota.of(Rate.perSecond(1_000), capacity)).build();
    AtomicLongArray perKey = new AtomicLongArray(keys);
    runAll(thread -> {
      for (int i = 0; i < 40_000; i++) {
        if (thread == 0 && i % 40 == 0) {
          clock.advance(t / 4);
          if (i % 2_000 == 0) {
            l.cleanUp();
          }
        }
        int key = (i + thread) % keys;
        long granted = (i & 1) == 0 ? (l.tryConsume(key, 1) ? 1 : 0) : l.tryAcquire(key, 2).granted();
        perKey.addAndGet(key, granted);
      }
      return 0L;
    });
    long span = clock.nanoTime() - begin;
    long total = 0;
    for (int k = 0; k < keys; k++) {
      long n = perKey.get(k);
      total += n;
      assertTrue(n <= capacity + span / t, "key " + k + ": " + n + " > " + capacity + " + " + span / t);
    }
    assertTrue(total >= capacity, "total " + total);
    assertTrue(l.size() <= 3);
  }

  @Test
  void keyedConcurrentInsertsAndResizesKeepOneStatePerKey() throws Exception {
    int keys = 20_000;
    ManualNanoClock clock = new ManualNanoClock();
    KeyedGcraLimiter<Integer> l = KeyedGcraLimiter.<Integer>builder().clock(clock)
        .quota(Quota.of(Rate.perHour(1), 1)).build();
    AtomicLongArray perKey = new AtomicLongArray(keys);
    runAll(thread -> {
      for (int i = 0; i < keys; i++) {
        int key = (int) ((i * 7919L + thread * 104_729L) % keys); // a different order per thread
        if (l.tryConsume(key, 1)) {
          perKey.incrementAndGet(key);
        }
      }
      return 0L;
    });
    for (int k = 0; k < keys; k++) {
      assertEquals(1, perKey.get(k), "key " + k);
    }
    assertEquals(keys, l.size());
    clock.advance(java.time.Duration.ofHours(1));
    runAll(thread -> {
      l.cleanUp();
      return 0L;
    });
    assertEquals(0, l.size());
  }
}
