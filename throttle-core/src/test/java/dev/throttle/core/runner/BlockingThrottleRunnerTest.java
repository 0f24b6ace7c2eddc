package dev.throttle.core.runner;

import dev.throttle.core.policy.ThrottleGiveUpException.Reason;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ScriptedStrategy;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.RetryAfterFloorStrategy;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.core.time.Sleeper;
import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BlockingThrottleRunnerTest {

  private static final long SECOND = 1_000_000_000L;

  private final ManualNanoClock clock = new ManualNanoClock(42);
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private final Sleeper virtualSleeper = nanos -> {
    sleeps.add(nanos);
    clock.advance(nanos);
  };

  private BlockingThrottleRunner.Builder<TestResponse> runner(ThrottlePolicy policy) {
    return BlockingThrottleRunner.builder(policy, TestResponse.ADAPTER).clock(clock).sleeper(virtualSleeper);
  }

  private static Supplier<TestResponse> script(TestResponse... responses) {
    Deque<TestResponse> queue = new ArrayDeque<>(List.of(responses));
    return () -> {
      if (queue.isEmpty()) {
        throw new AssertionError("more attempts than scripted");
      }
      return queue.poll();
    };
  }

  @Test
  void retriesHonouringRetryAfterAndDiscardsRetriedResponses() {
    TestResponse first = TestResponse.retryAfter(429, 2 * SECOND);
    TestResponse second = TestResponse.of(429);
    TestResponse ok = TestResponse.of(200);
    TestResponse result = runner(ThrottlePolicy.of(new ScriptedStrategy(SECOND / 2, SECOND, 3 * SECOND)))
        .build().call(script(first, second, ok));
    assertSame(ok, result);
    assertEquals(List.of(SECOND / 2, 2 * SECOND, 3 * SECOND), sleeps); // pacing, Retry-After, scripted
    assertEquals(1, first.discarded.get());
    assertEquals(1, second.discarded.get());
    assertEquals(0, ok.discarded.get());
  }

  @Test
  void giveUpReturnsTheLastResponseByDefault() {
    TestResponse last = TestResponse.of(429);
    TestResponse result = runner(ThrottlePolicy.builder(ScriptedStrategy.retryDelays(SECOND)).maxAttempts(2)
        .build()).build().call(script(TestResponse.of(429), last));
    assertSame(last, result);
    assertEquals(0, last.discarded.get());
    assertEquals(List.of(SECOND), sleeps);
  }

  @Test
  void giveUpCanThrowAndThenDiscardsTheLastResponse() {
    TestResponse last = TestResponse.retryAfter(503, 10 * SECOND);
    ThrottleGiveUpException e = assertThrows(ThrottleGiveUpException.class,
        () -> runner(ThrottlePolicy.builder(ScriptedStrategy.retryDelays(SECOND))
            .maxDelay(Duration.ofSeconds(5)).build()).onGiveUp(GiveUpAction.THROW).build()
            .call(script(TestResponse.of(429), last)));
    assertEquals(Reason.MAX_DELAY, e.reason());
    assertEquals(503, e.lastStatus());
    assertEquals(2, e.attempts());
    assertEquals(10 * SECOND, e.neededDelayNanos());
    assertEquals(1, last.discarded.get());
  }

  @Test
  void supplierExceptionsPropagateUnretried() {
    AtomicBoolean called = new AtomicBoolean();
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> runner(ThrottlePolicy.of(ScriptedStrategy.retryDelays(SECOND))).build().call(() -> {
          assertFalse(called.getAndSet(true), "retried after an exception");
          throw boom;
        }));
    assertSame(boom, thrown);
  }

  @Test
  void interruptDuringAWaitEndsItAndRestoresTheFlag() throws InterruptedException {
    CountDownLatch sleeping = new CountDownLatch(1);
    Sleeper realSleeper = nanos -> {
      sleeping.countDown();
      Sleeper.system().sleep(nanos);
    };
    BlockingThrottleRunner<TestResponse> r = BlockingThrottleRunner
        .builder(ThrottlePolicy.of(ScriptedStrategy.retryDelays(60 * SECOND)), TestResponse.ADAPTER)
        .sleeper(realSleeper).build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    TestResponse first = TestResponse.of(429);
    Thread t = new Thread(() -> {
      try {
        r.call(script(first, TestResponse.of(200)));
      } catch (Throwable e) {
        thrown.set(e);
      }
      flagAfter.set(Thread.currentThread().isInterrupted());
    });
    t.start();
    assertTrue(sleeping.await(10, TimeUnit.SECONDS));
    t.interrupt();
    t.join(10_000);
    assertFalse(t.isAlive(), "runner did not stop within 10 s of the interrupt");
    ThrottleInterruptedException e = assertInstanceOf(ThrottleInterruptedException.class, thrown.get());
    assertInstanceOf(InterruptedException.class, e.getCause());
    assertTrue(flagAfter.get(), "interrupt flag not restored");
    assertEquals(1, first.discarded.get());
  }

  @Test
  void alreadyInterruptedThreadDoesNotWait() {
    BlockingThrottleRunner<TestResponse> r = BlockingThrottleRunner
        .builder(ThrottlePolicy.of(new ScriptedStrategy(60 * SECOND)), TestResponse.ADAPTER).build();
    Thread.currentThread().interrupt();
    try {
      assertThrows(ThrottleInterruptedException.class, () -> r.call(script(TestResponse.of(200))));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void systemSleeperSleepsThroughSpuriousWakeUps() throws InterruptedException {
    long requested = 200_000_000L;
    AtomicReference<Long> elapsed = new AtomicReference<>();
    Thread sleeper = new Thread(() -> {
      long start = System.nanoTime();
      try {
        Sleeper.system().sleep(requested);
      } catch (InterruptedException e) {
        return;
      }
      elapsed.set(System.nanoTime() - start);
    });
    sleeper.start();
    while (sleeper.isAlive()) { // unpark it again and again: each wake-up must go back to sleep
      LockSupport.unpark(sleeper);
      sleeper.join(5);
    }
    assertTrue(elapsed.get() >= requested, "woke up early: " + elapsed.get());
  }

  @Test
  void validatesItsConfiguration() {
    ThrottlePolicy p = ThrottlePolicy.of(ScriptedStrategy.retryDelays(0));
    assertThrows(NullPointerException.class, () -> BlockingThrottleRunner.builder(null, TestResponse.ADAPTER));
    assertThrows(NullPointerException.class, () -> BlockingThrottleRunner.builder(p, null));
    assertThrows(NullPointerException.class, () -> BlockingThrottleRunner.builder(p, TestResponse.ADAPTER)
        .sleeper(null));
    assertThrows(NullPointerException.class, () -> runner(p).build().call(() -> null));
  }

  /**
   * A Retry-After learned by another call while this one waits holds this one too: the runner re-checks right
   * before sending and waits the rest (issue 11, the not-before rule).
   */
  @Test
  void reChecksANotBeforeLearnedDuringTheWait() {
    ThrottleStrategy pacedOnce = now -> new ThrottleStrategy.Call() {
      @Override
      public long delayNanos(long n) {
        return SECOND;
      }

      @Override
      public boolean onResponse(int status, RateLimitHeaders headers, long n) {
        return false;
      }
    };
    RetryAfterFloorStrategy strategy = RetryAfterFloorStrategy.builder(pacedOnce).recheck(true).build();
    AtomicBoolean other = new AtomicBoolean();
    Sleeper sleeper = nanos -> {
      sleeps.add(nanos);
      clock.advance(nanos);
      if (!other.getAndSet(true)) { // during the first wait another thread's call meets a 429 with Retry-After 5 s
        ThrottleStrategy.Call c = strategy.newCall(clock.nanoTime());
        c.delayNanos(clock.nanoTime());
        c.onResponse(429, RateLimitHeaders.builder().retryAfterNanos(5 * SECOND).build(), clock.nanoTime());
      }
    };
    TestResponse ok = TestResponse.of(200);
    TestResponse result = BlockingThrottleRunner.builder(ThrottlePolicy.of(strategy), TestResponse.ADAPTER)
        .clock(clock).sleeper(sleeper).build().call(script(ok));
    assertSame(ok, result);
    assertEquals(List.of(SECOND, 5 * SECOND), sleeps);
  }
}

