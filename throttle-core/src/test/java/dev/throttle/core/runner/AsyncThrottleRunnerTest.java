package dev.throttle.core.runner;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.ThrottleGiveUpException.Reason;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ScriptedStrategy;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.ThrottleStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncThrottleRunnerTest {

  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private final AtomicInteger threadsCreated = new AtomicInteger();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
    threadsCreated.incrementAndGet();
    Thread t = new Thread(r, "throttle-scheduler");
    t.setDaemon(true);
    return t;
  });

  AsyncThrottleRunnerTest() {
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void shutdown() {
    scheduler.shutdownNow();
  }

  /** Starts 100,000 calls that each wait 60 s after a 429, cancels them all, and returns the queue size left. */
  private static int queuedAfterCancellingWaits(ScheduledThreadPoolExecutor executor) {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner
        .builder(ThrottlePolicy.of(ScriptedStrategy.retryDelays(60 * SECOND)), TestResponse.ADAPTER, executor)
        .build();
    for (int i = 0; i < 100_000; i++) {
      CompletableFuture<TestResponse> call =
          runner.call(() -> CompletableFuture.completedFuture(TestResponse.of(429)));
      assertTrue(call.cancel(false));
    }
    return executor.getQueue().size();
  }

  @Test
  void cancelledWaitsLeaveTheLibrarysSchedulerQueueAtOnce() {
    ScheduledThreadPoolExecutor library = AsyncThrottleRunner.newScheduler("test-scheduler", 1);
    ScheduledThreadPoolExecutor plain = new ScheduledThreadPoolExecutor(1);
    try {
      assertTrue(library.getRemoveOnCancelPolicy());
      assertEquals(0, queuedAfterCancellingWaits(library));
      // the failure this prevents: a plain executor keeps every cancelled 60 s wait (and its call) queued
      assertEquals(100_000, queuedAfterCancellingWaits(plain));
    } finally {
      library.shutdownNow();
      plain.shutdownNow();
    }
    ScheduledThreadPoolExecutor shared =
        assertInstanceOf(ScheduledThreadPoolExecutor.class, AsyncThrottleRunner.sharedScheduler());
    assertTrue(shared.getRemoveOnCancelPolicy());
    assertSame(shared, AsyncThrottleRunner.sharedScheduler());
    assertThrows(IllegalArgumentException.class, () -> AsyncThrottleRunner.newScheduler("x", 0));
  }

  @Test
  void oneSchedulerThreadKeepsAHundredCallsWaitingAtOnce() throws Exception {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner
        .builder(ThrottlePolicy.of(ScriptedStrategy.retryDelays(300 * MILLI)), TestResponse.ADAPTER, scheduler)
        .build();
    List<CompletableFuture<TestResponse>> calls = new ArrayList<>();
    List<String> retryThreads = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      AtomicInteger attempt = new AtomicInteger();
      calls.add(runner.call(() -> {
        if (attempt.getAndIncrement() == 0) {
          return CompletableFuture.completedFuture(TestResponse.of(429)); // answered at once: must wait 300 ms
        }
        synchronized (retryThreads) {
          retryThreads.add(Thread.currentThread().getName());
        }
        return CompletableFuture.completedFuture(TestResponse.of(200));
      }));
    }
    // Every call's first attempt was answered synchronously, so all 100 waits are scheduled now, at once.
    assertEquals(100, scheduler.getQueue().size());
    // ...and the only scheduler thread is free: a task submitted now runs ahead of the waits. A runner that
    // parked the thread for each wait would need 100 x 300 ms before this could run.
    assertEquals("throttle-scheduler",
        scheduler.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
    for (CompletableFuture<TestResponse> call : calls) {
      assertEquals(200, call.get(30, TimeUnit.SECONDS).status());
    }
    assertEquals(100, retryThreads.size());
    assertTrue(retryThreads.stream().allMatch("throttle-scheduler"::equals));
    assertEquals(1, threadsCreated.get());
    assertEquals(1, scheduler.getLargestPoolSize());
  }

  @Test
  void giveUpCompletesWithTheLastResponseByDefault() throws Exception {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner.builder(
        ThrottlePolicy.builder(ScriptedStrategy.retryDelays(MILLI)).maxAttempts(3).build(),
        TestResponse.ADAPTER, scheduler).build();
    List<TestResponse> sent = new ArrayList<>();
    TestResponse result = runner.call(() -> {
      TestResponse r = TestResponse.of(429);
      synchronized (sent) {
        sent.add(r);
      }
      return CompletableFuture.completedFuture(r);
    }).get(10, TimeUnit.SECONDS);
    assertEquals(3, sent.size());
    assertSame(sent.get(2), result);
    assertEquals(1, sent.get(0).discarded.get());
    assertEquals(1, sent.get(1).discarded.get());
    assertEquals(0, result.discarded.get());
  }

  @Test
  void giveUpCanCompleteExceptionally() {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner.builder(
        ThrottlePolicy.builder(ScriptedStrategy.retryDelays(MILLI)).maxAttempts(2).build(),
        TestResponse.ADAPTER, scheduler).onGiveUp(GiveUpAction.THROW).build();
    TestResponse last = TestResponse.of(429);
    AtomicInteger attempt = new AtomicInteger();
    CompletableFuture<TestResponse> f = runner.call(() -> CompletableFuture.completedFuture(
        attempt.getAndIncrement() == 0 ? TestResponse.of(429) : last));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    ThrottleGiveUpException giveUp = assertInstanceOf(ThrottleGiveUpException.class, e.getCause());
    assertEquals(Reason.MAX_ATTEMPTS, giveUp.reason());
    assertEquals(2, giveUp.attempts());
    assertEquals(429, giveUp.lastStatus());
    assertEquals(1, last.discarded.get());
  }

  @Test
  void cancellingTheFutureCancelsThePendingWait() {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner.builder(
        ThrottlePolicy.of(ScriptedStrategy.retryDelays(60 * SECOND)), TestResponse.ADAPTER, scheduler).build();
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<TestResponse> f = runner.call(() -> {
      attempts.incrementAndGet();
      return CompletableFuture.completedFuture(TestResponse.of(429));
    });
    assertEquals(1, scheduler.getQueue().size());
    assertTrue(f.cancel(false));
    assertEquals(0, scheduler.getQueue().size()); // removed on cancel: the wait is gone
    assertEquals(1, attempts.get());
  }

  @Test
  void aResponseArrivingAfterCancellationIsDiscarded() {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner.builder(
        ThrottlePolicy.of(ScriptedStrategy.retryDelays(0)), TestResponse.ADAPTER, scheduler).build();
    CompletableFuture<TestResponse> inFlight = new CompletableFuture<>();
    CompletableFuture<TestResponse> f = runner.call(() -> inFlight);
    f.cancel(false);
    TestResponse late = TestResponse.of(200);
    inFlight.complete(late);
    assertEquals(1, late.discarded.get());
  }

  @Test
  void pacingBeforeTheFirstAttemptIsScheduled() throws Exception {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner.builder(
        ThrottlePolicy.of(new ScriptedStrategy(5 * MILLI)), TestResponse.ADAPTER, scheduler).build();
    List<String> threads = new ArrayList<>();
    CompletableFuture<TestResponse> f = runner.call(() -> {
      threads.add(Thread.currentThread().getName());
      return CompletableFuture.completedFuture(TestResponse.of(200));
    });
    assertEquals(200, f.get(10, TimeUnit.SECONDS).status());
    assertEquals(List.of("throttle-scheduler"), threads);
  }

  @Test
  void failedAttemptsCompleteExceptionallyWithTheCause() {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner.builder(
        ThrottlePolicy.of(ScriptedStrategy.retryDelays(0)), TestResponse.ADAPTER, scheduler).build();
    IllegalStateException boom = new IllegalStateException("connection reset");
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> runner.call(() -> CompletableFuture.failedFuture(boom)).get(10, TimeUnit.SECONDS));
    assertSame(boom, e.getCause());
    ExecutionException thrown = assertThrows(ExecutionException.class, () -> runner.call(() -> {
      throw boom;
    }).get(10, TimeUnit.SECONDS));
    assertSame(boom, thrown.getCause());
  }

  @Test
  void aShutDownSchedulerFailsTheCallInsteadOfLosingIt() {
    AsyncThrottleRunner<TestResponse> runner = AsyncThrottleRunner.builder(
        ThrottlePolicy.of(ScriptedStrategy.retryDelays(SECOND)), TestResponse.ADAPTER, scheduler).build();
    scheduler.shutdown();
    CompletableFuture<TestResponse> f =
        runner.call(() -> CompletableFuture.completedFuture(TestResponse.of(429)));
    assertTrue(f.isCompletedExceptionally());
  }

  /** Right before sending, the runner asks the call again and, while a wait is still due, schedules it first. */
  @Test
  void reChecksBeforeSendingAndWaitsAgainWhileAWaitIsDue() throws Exception {
    AtomicInteger rechecks = new AtomicInteger();
    AtomicInteger attempts = new AtomicInteger();
    ThrottleStrategy strategy = now -> new ThrottleStrategy.Call() {
      @Override
      public long delayNanos(long n) {
        return 10 * MILLI;
      }

      @Override
      public long recheckNanos(long n) {
        return rechecks.getAndIncrement() == 0 ? 20 * MILLI : 0; // a not-before learned during the first wait
      }

      @Override
      public boolean onResponse(int status, RateLimitHeaders headers, long n) {
        return false;
      }
    };
    AsyncThrottleRunner<TestResponse> runner =
        AsyncThrottleRunner.builder(ThrottlePolicy.of(strategy), TestResponse.ADAPTER, scheduler).build();
    CompletableFuture<TestResponse> call = runner.call(() -> {
      attempts.incrementAndGet();
      return CompletableFuture.completedFuture(TestResponse.of(200));
    });
    assertEquals(200, call.get(30, TimeUnit.SECONDS).status());
    assertEquals(2, rechecks.get()); // after the first wait (20 ms more due), after the second (nothing due)
    assertEquals(1, attempts.get());
  }
}

