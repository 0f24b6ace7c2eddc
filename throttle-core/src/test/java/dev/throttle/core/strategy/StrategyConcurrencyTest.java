package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** One instance shared by many threads: no lost updates where none are documented, state within bounds. */
class StrategyConcurrencyTest {

  private static final long S = 1_000_000_000L;
  private static final int THREADS = 8;

  private static void inParallel(IntConsumer body) throws InterruptedException {
    inParallel(THREADS, body);
  }

  private static void inParallel(int threadCount, IntConsumer body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
          body.accept(id);
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      th.start();
      threads.add(th);
    }
    start.countDown();
    for (Thread th : threads) {
      th.join();
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("thread failed", errors.peek());
    }
  }

  @Property(tries = 15)
  void pacingAppliesEveryConcurrentIncrease(@ForAll @IntRange(min = 2, max = 6) int threads,
      @ForAll @IntRange(min = 20, max = 70) int perThread, @ForAll long seed) throws InterruptedException {
    PacingStrategy s = PacingStrategy.builder().seed(seed).build();
    RateLimitHeaders start = RateLimitHeaders.builder().remaining(0).limit(4500).windowNanos(3600 * S).build();
    ThrottleStrategy.Call first = s.newCall(0);
    first.delayNanos(0);
    first.onResponse(200, start, 0); // rate 1.25 / 14
    // r = 6: no bank term (not above twice the target), so each success adds exactly 0.002 x 1.25 per second
    // (at most 6 x 70 of them: the rate stays below the server rate 1.25/s, which caps increases)
    RateLimitHeaders comfortable = RateLimitHeaders.builder().remaining(6).limit(4500).windowNanos(3600 * S).build();
    inParallel(threads, t -> {
      for (int i = 0; i < perThread; i++) {
        ThrottleStrategy.Call c = s.newCall(S);
        long d = c.delayNanos(S);
        assertTrue(d >= 0);
        c.onResponse(200, comfortable, S + d);
      }
    });
    double expected = 1.25 / 14 + threads * perThread * 0.0025;
    double actual = 1e9 / s.intervalNanos();
    assertEquals(expected, actual, expected * 1e-4, "a lost update would leave the rate lower");
  }

  @Test
  void pacingThreadsOfOneClientTakeDistinctSlots() throws InterruptedException {
    PacingStrategy s = PacingStrategy.builder().jitter(0).seed(1).build();
    ThrottleStrategy.Call first = s.newCall(0);
    first.delayNanos(0);
    first.onResponse(200, RateLimitHeaders.builder().remaining(0).limit(4500).windowNanos(3600 * S).build(), 0);
    long interval = s.intervalNanos();
    ConcurrentLinkedQueue<Long> slots = new ConcurrentLinkedQueue<>();
    inParallel(t -> {
      for (int i = 0; i < 100; i++) {
        slots.add(s.newCall(10 * S).delayNanos(10 * S));
      }
    });
    List<Long> sorted = new ArrayList<>(slots);
    Collections.sort(sorted);
    for (int i = 1; i < sorted.size(); i++) {
      assertEquals(interval, sorted.get(i) - sorted.get(i - 1), "slots must be one interval apart");
    }
  }

  @Test
  void herokuStoredSleepStaysWithinBoundsUnderLastWriterWins() throws InterruptedException {
    ExponentialIncreaseProportionalRemainingDecreaseStrategy s =
        ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder().maxSleep(Duration.ofSeconds(30)).seed(3)
            .build();
    AtomicLong maxSeen = new AtomicLong();
    inParallel(t -> {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(t);
      for (int i = 0; i < 2000; i++) {
        ThrottleStrategy.Call c = s.newCall(0);
        long d = c.delayNanos(0);
        assertTrue(d >= 0 && d <= s.maxDelayNanos());
        while (c.onResponse(rnd.nextInt(3) == 0 ? 429 : 200,
            RateLimitHeaders.builder().remaining(rnd.nextInt(4501)).build(), 0)) {
          long r = c.delayNanos(0);
          assertTrue(r >= 0 && r <= s.maxDelayNanos());
        }
        long stored = s.storedSleepNanos();
        maxSeen.accumulateAndGet(stored, Math::max);
        assertTrue(stored >= 0 && stored <= 30 * S);
      }
    });
    assertTrue(maxSeen.get() > 0, "429s must have raised the sleep at some point");
  }

  @Property(tries = 15)
  void floorKeepsTheLatestInstantRaisedConcurrently(@ForAll @IntRange(min = 2, max = 8) int threads,
      @ForAll long seed) throws InterruptedException {
    RetryAfterFloorStrategy s = RetryAfterFloorStrategy.wrap(ExponentialBackoffStrategy.create());
    AtomicLong largest = new AtomicLong();
    inParallel(threads, t -> {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed + t);
      for (int i = 0; i < 1000; i++) {
        long ra = rnd.nextLong(1, 3600) * S;
        largest.accumulateAndGet(ra, Math::max);
        ThrottleStrategy.Call c = s.newCall(0);
        c.delayNanos(0);
        c.onResponse(429, RateLimitHeaders.builder().retryAfterNanos(ra).build(), 0);
      }
    });
    assertEquals(largest.get(), s.floorDelayNanos(0));
  }

  @Test
  void adaptiveBucketQueuesConcurrentAttemptsWithoutLosingTokens() throws InterruptedException {
    AdaptiveRateStrategy s = AdaptiveRateStrategy.create();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    c.onResponse(429, RateLimitHeaders.EMPTY, 0); // enabled at 0.5/s, empty bucket; the retry reserves a token
    double fill = s.fillRate();
    ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
    inParallel(t -> {
      for (int i = 0; i < 50; i++) {
        delays.add(s.newCall(0).delayNanos(0));
      }
    });
    List<Long> sorted = new ArrayList<>(delays);
    Collections.sort(sorted);
    for (int k = 0; k < sorted.size(); k++) {
      assertEquals((k + 2) / fill * 1e9, sorted.get(k), 2.0, "attempt " + k);
    }
  }

  @Test
  void seededJitterHandsEachValueOutExactlyOnceAcrossThreads() throws InterruptedException {
    JitterSource shared = JitterSource.seeded(99);
    ConcurrentLinkedQueue<Double> drawn = new ConcurrentLinkedQueue<>();
    inParallel(t -> {
      for (int i = 0; i < 1000; i++) {
        drawn.add(shared.nextDouble());
      }
    });
    JitterSource single = JitterSource.seeded(99);
    List<Double> expected = new ArrayList<>();
    for (int i = 0; i < THREADS * 1000; i++) {
      double d = single.nextDouble();
      assertTrue(d >= 0 && d < 1);
      expected.add(d);
    }
    List<Double> actual = new ArrayList<>(drawn);
    Collections.sort(expected);
    Collections.sort(actual);
    assertEquals(expected, actual);
  }
}
