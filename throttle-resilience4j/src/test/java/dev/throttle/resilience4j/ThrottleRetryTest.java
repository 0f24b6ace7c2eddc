package dev.throttle.resilience4j;

import dev.throttle.core.policy.ThrottleGiveUpException.Reason;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.runner.ThrottleInterruptedException;
import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.event.RetryEvent;
import io.github.resilience4j.retry.event.RetryOnErrorEvent;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import io.github.resilience4j.retry.internal.RetryImpl;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThrottleRetryTest {

  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  /** A response: status, Retry-After, and whether it was closed. */
  static final class Resp {
    final int status;
    final RateLimitHeaders headers;
    final AtomicInteger closed = new AtomicInteger();

    Resp(int status, long retryAfterNanos) {
      this.status = status;
      this.headers = retryAfterNanos < 0 ? RateLimitHeaders.EMPTY
          : RateLimitHeaders.builder().retryAfterNanos(retryAfterNanos).build();
    }

    static Resp ok() {
      return new Resp(200, -1);
    }

    static Resp limited(long retryAfterNanos) {
      return new Resp(429, retryAfterNanos);
    }
  }

  private static final ResponseAdapter<Resp> ADAPTER =
      ResponseAdapter.of(r -> r.status, r -> r.headers, r -> r.closed.incrementAndGet());

  private final ManualNanoClock clock = new ManualNanoClock(7);
  private final List<Long> r4jSleepsMillis = new CopyOnWriteArrayList<>();
  private final List<RetryEvent> r4jEvents = new CopyOnWriteArrayList<>();
  private final AtomicInteger sends = new AtomicInteger();

  @BeforeEach
  void virtualTime() {
    // Resilience4j's synchronous waits go through this static hook (Thread::sleep by default).
    RetryImpl.setSleepFunction(millis -> {
      r4jSleepsMillis.add(millis);
      clock.advance(millis * MILLI);
    });
  }

  @AfterEach
  void realTime() {
    RetryImpl.setSleepFunction(Thread::sleep);
  }

  private ThrottleRetry.Builder<Resp> throttle(ThrottlePolicy policy) {
    return ThrottleRetry.builder(policy, ADAPTER).clock(clock).sleeper(clock::advance);
  }

  private Supplier<Resp> script(Resp... responses) {
    Deque<Resp> queue = new ArrayDeque<>(List.of(responses));
    return () -> {
      sends.incrementAndGet();
      if (queue.isEmpty()) {
        throw new AssertionError("more attempts than scripted");
      }
      return queue.poll();
    };
  }

  private ThrottleRetry<Resp> listen(ThrottleRetry<Resp> t) {
    t.retry().getEventPublisher().onEvent(r4jEvents::add);
    return t;
  }

  @Test
  void honoursRetryAfterThroughAResilience4jRetry() {
    ThrottleRetry<Resp> t = listen(throttle(ThrottlePolicy.of(new RetryAfterTestStrategy(0, 10 * MILLI)))
        .build());
    Resp limited = Resp.limited(SECOND);
    Resp ok = Resp.ok();
    Resp result = t.decorateSupplier(script(limited, ok)).get();
    assertSame(ok, result);
    assertEquals(2, sends.get());
    assertEquals(List.of(1000L), r4jSleepsMillis); // Retry-After, not the strategy's 10 ms
    RetryOnRetryEvent retried = assertInstanceOf(RetryOnRetryEvent.class, r4jEvents.get(0));
    assertEquals(Duration.ofSeconds(1), retried.getWaitInterval());
    assertEquals(1, retried.getNumberOfRetryAttempts());
    assertEquals(1, limited.closed.get()); // closed before the retry
    assertEquals(0, ok.closed.get());
    assertEquals(1, t.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt());
  }

  @Test
  void roundsWaitsUpToWholeMillisecondsSoARetryIsNeverEarly() {
    ThrottleRetry<Resp> t = throttle(ThrottlePolicy.of(new RetryAfterTestStrategy(0, 0))).build();
    t.executeSupplier(script(Resp.limited(SECOND + 1), Resp.limited(0), Resp.ok()));
    assertEquals(List.of(1001L, 0L), r4jSleepsMillis);
  }

  @Test
  void usesTheRetryNameAndOneCallStatePerInvocation() {
    ThrottleRetry<Resp> t = throttle(ThrottlePolicy.builder(new RetryAfterTestStrategy(0, MILLI)).name("api")
        .maxAttempts(2).build()).build();
    assertEquals("api", t.retry().getName());
    assertEquals(2, t.retry().getRetryConfig().getMaxAttempts());
    Supplier<Resp> decorated = t.decorateSupplier(script(Resp.limited(-1), Resp.ok(), Resp.limited(-1),
        Resp.ok()));
    assertEquals(200, decorated.get().status);
    assertEquals(200, decorated.get().status); // a fresh call: the first invocation's attempts do not count
    assertEquals(4, sends.get());
  }

  @Test
  void maxAttemptsGiveUpIsResilience4jsMaxAttemptsOutcome() {
    ThrottleRetry<Resp> t = listen(throttle(ThrottlePolicy.builder(new RetryAfterTestStrategy(0, MILLI))
        .maxAttempts(3).build()).build());
    Resp last = Resp.limited(-1);
    Resp result = t.executeSupplier(script(Resp.limited(-1), Resp.limited(-1), last));
    assertSame(last, result);
    assertEquals(0, last.closed.get());
    assertEquals(3, sends.get());
    assertEquals(1, t.retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt());
    assertInstanceOf(RetryOnErrorEvent.class, r4jEvents.get(r4jEvents.size() - 1));
  }

  @Test
  void giveUpCanThrowTheThrottleExceptionAndCloseTheLastResponse() {
    ThrottleRetry<Resp> t = throttle(ThrottlePolicy.builder(new RetryAfterTestStrategy(0, MILLI))
        .maxAttempts(2).build()).onGiveUp(GiveUpAction.THROW).build();
    Resp last = Resp.limited(-1);
    ThrottleGiveUpException e = assertThrows(ThrottleGiveUpException.class,
        () -> t.executeSupplier(script(Resp.limited(-1), last)));
    assertEquals(Reason.MAX_ATTEMPTS, e.reason());
    assertEquals(2, e.attempts());
    assertEquals(1, last.closed.get());
  }

  @Test
  void retryAfterAboveMaxDelayGivesUpWithoutWaiting() {
    ThrottleRetry<Resp> t = throttle(ThrottlePolicy.builder(new RetryAfterTestStrategy(0, MILLI))
        .maxDelay(Duration.ofMinutes(2)).build()).onGiveUp(GiveUpAction.THROW).build();
    ThrottleGiveUpException e = assertThrows(ThrottleGiveUpException.class,
        () -> t.executeSupplier(script(Resp.limited(600 * SECOND))));
    assertEquals(Reason.MAX_DELAY, e.reason());
    assertEquals(429, e.lastStatus());
    assertEquals(600 * SECOND, e.neededDelayNanos());
    assertEquals(1, sends.get());
    assertEquals(List.of(), r4jSleepsMillis);

    Resp last = Resp.limited(600 * SECOND);
    ThrottleRetry<Resp> returning = throttle(t.policy()).build();
    assertSame(last, returning.executeSupplier(script(last)));
  }

  @Test
  void exceptionsAreNotRetried() {
    ThrottleRetry<Resp> t = throttle(ThrottlePolicy.of(new RetryAfterTestStrategy(0, MILLI))).build();
    IllegalStateException boom = new IllegalStateException("connection reset");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> t.executeSupplier(() -> {
      sends.incrementAndGet();
      throw boom;
    })));
    assertEquals(1, sends.get());
  }

  @Test
  void checkedCallsAreRetriedOnResponsesAndTheirCheckedExceptionPassesThroughTyped() throws IOException {
    ThrottleRetry<Resp> t = listen(throttle(ThrottlePolicy.of(new RetryAfterTestStrategy(0, 10 * MILLI)))
        .build());
    Resp limited = Resp.limited(SECOND);
    Resp ok = Resp.ok();
    Supplier<Resp> script = script(limited, ok);
    ThrottleRetry.CheckedAttempt<Resp, IOException> send = t.decorateCheckedSupplier(() -> {
      if (sends.get() > 5) {
        throw new IOException("never reached"); // makes the lambda a checked one, as OkHttp's execute()
      }
      return script.get();
    });
    assertSame(ok, send.get());
    assertEquals(2, sends.get());
    assertEquals(List.of(1000L), r4jSleepsMillis);
    assertEquals(1, limited.closed.get());

    IOException reset = new IOException("connection reset");
    IOException thrown = assertThrows(IOException.class, () -> t.executeCheckedSupplier(() -> {
      sends.incrementAndGet();
      throw reset;
    }));
    assertSame(reset, thrown, "the attempt's own exception, unwrapped");
    assertEquals(3, sends.get(), "not retried");
    IllegalStateException boom = new IllegalStateException("bug");
    assertSame(boom, assertThrows(IllegalStateException.class,
        () -> t.<IOException>executeCheckedSupplier(() -> { throw boom; })));
  }

  @Test
  void pacingBeforeTheFirstAttemptUsesTheSleeper() {
    List<Long> pacing = new ArrayList<>();
    ThrottleRetry<Resp> t = ThrottleRetry.builder(ThrottlePolicy.of(new RetryAfterTestStrategy(5 * MILLI, 0)),
        ADAPTER).clock(clock).sleeper(pacing::add).build();
    assertEquals(200, t.executeSupplier(script(Resp.ok())).status);
    assertEquals(List.of(5 * MILLI), pacing);
    assertEquals(List.of(), r4jSleepsMillis);
  }

  @Test
  void asyncWaitsAreScheduled() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      ThrottleRetry<Resp> t = listen(ThrottleRetry
          .builder(ThrottlePolicy.of(new RetryAfterTestStrategy(2 * MILLI, 0)), ADAPTER).build());
      Resp limited = Resp.limited(20 * MILLI);
      Deque<Resp> queue = new ArrayDeque<>(List.of(limited, Resp.ok()));
      Supplier<CompletionStage<Resp>> decorated = t.decorateCompletionStage(scheduler,
          () -> CompletableFuture.completedFuture(queue.poll()));
      assertEquals(200, decorated.get().toCompletableFuture().get(10, TimeUnit.SECONDS).status);
      assertEquals(1, limited.closed.get());
      assertEquals(Duration.ofMillis(20),
          assertInstanceOf(RetryOnRetryEvent.class, r4jEvents.get(0)).getWaitInterval());
      assertEquals(List.of(), r4jSleepsMillis); // nothing slept synchronously
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void asyncGiveUpCanFailTheStage() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      ThrottleRetry<Resp> t = ThrottleRetry.builder(ThrottlePolicy.builder(new RetryAfterTestStrategy(0, MILLI))
          .maxAttempts(2).build(), ADAPTER).onGiveUp(GiveUpAction.THROW).build();
      CompletableFuture<Resp> f = t.decorateCompletionStage(scheduler,
          () -> CompletableFuture.completedFuture(Resp.limited(-1))).get().toCompletableFuture();
      Throwable cause = assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
      assertEquals(Reason.MAX_ATTEMPTS, assertInstanceOf(ThrottleGiveUpException.class, cause).reason());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void interruptDuringAResilience4jWaitEndsTheCallWithTheFlagRestored() throws InterruptedException {
    RetryImpl.setSleepFunction(Thread::sleep); // a real wait
    ThrottleRetry<Resp> t = ThrottleRetry.builder(ThrottlePolicy.of(new RetryAfterTestStrategy(0, MILLI)),
        ADAPTER).build();
    CountDownLatch waiting = new CountDownLatch(1);
    t.retry().getEventPublisher().onRetry(e -> waiting.countDown());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flag = new AtomicBoolean();
    Resp limited = Resp.limited(60 * SECOND);
    Thread caller = new Thread(() -> {
      try {
        t.executeSupplier(script(limited, Resp.ok()));
      } catch (Throwable e) {
        thrown.set(e);
      }
      flag.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    assertTrue(waiting.await(10, TimeUnit.SECONDS));
    caller.interrupt();
    caller.join(10_000);
    assertFalse(caller.isAlive(), "did not stop within 10 s of the interrupt");
    assertInstanceOf(ThrottleInterruptedException.class, thrown.get());
    assertTrue(flag.get(), "interrupt flag not restored");
    assertEquals(1, limited.closed.get());
    assertEquals(1, sends.get());
  }

  @Test
  void aPlainRetryUsedDirectlyDoesNotRetry() {
    ThrottleRetry<Resp> t = throttle(ThrottlePolicy.of(new RetryAfterTestStrategy(0, MILLI))).build();
    Retry raw = t.retry();
    // Misuse (bypassing the decorators) must not break: the raw result is simply accepted.
    Object result = Retry.decorateSupplier(raw, () -> (Object) Resp.limited(-1)).get();
    assertInstanceOf(Resp.class, result);
  }
}
