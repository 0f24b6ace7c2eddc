package dev.throttle.core.policy;

import dev.throttle.core.policy.ThrottleEvent.Type;
import dev.throttle.core.policy.ThrottleGiveUpException.Reason;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.ThrottleStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ThrottlePolicyTest {

  private static final long SECOND = 1_000_000_000L;
  private static final RateLimitHeaders NONE = RateLimitHeaders.EMPTY;

  private static RateLimitHeaders retryAfter(long nanos) {
    return RateLimitHeaders.builder().retryAfterNanos(nanos).build();
  }

  @Test
  void defaults() {
    ThrottlePolicy p = ThrottlePolicy.of(ScriptedStrategy.retryDelays(1));
    assertEquals(10, p.maxAttempts());
    assertEquals(Duration.ofMinutes(2), p.maxDelay());
    assertEquals(Duration.ofMinutes(5), p.maxTotalWait());
    assertEquals(Optional.empty(), p.retryBudget());
    assertEquals(List.of(), p.listeners());
    assertEquals("throttle", p.name());
  }

  @Test
  void builderRejectsBadInputNamingTheField() {
    ThrottleStrategy s = ScriptedStrategy.retryDelays(1);
    assertTrue(assertThrows(NullPointerException.class, () -> ThrottlePolicy.builder(null))
        .getMessage().contains("strategy"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ThrottlePolicy.builder(s).maxAttempts(0))
        .getMessage().contains("maxAttempts"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ThrottlePolicy.builder(s).maxDelay(Duration.ofNanos(-1))).getMessage().contains("maxDelay"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ThrottlePolicy.builder(s).maxTotalWait(Duration.ofSeconds(-1))).getMessage()
        .contains("maxTotalWait"));
    assertTrue(assertThrows(NullPointerException.class, () -> ThrottlePolicy.builder(s).maxDelay(null))
        .getMessage().contains("maxDelay"));
    assertThrows(IllegalArgumentException.class, () -> ThrottlePolicy.builder(s).name(""));
    assertThrows(NullPointerException.class, () -> ThrottlePolicy.builder(s).addListener(null));
    assertThrows(NullPointerException.class, () -> ThrottlePolicy.builder(s).retryBudget(null));
  }

  @Test
  void theLongestDurationsDoNotOverflow() {
    ThrottlePolicy p = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(Long.MAX_VALUE / 2))
        .maxDelay(Duration.ofNanos(Long.MAX_VALUE)).maxTotalWait(Duration.ofNanos(Long.MAX_VALUE)).build();
    assertEquals(Duration.ofNanos(Long.MAX_VALUE), p.maxDelay());
    ThrottledCall call = p.newCall(0);
    call.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    assertEquals(Long.MAX_VALUE / 2, call.delayNanos(0));
  }

  @Test
  void successIsDoneAfterOneAttempt() {
    ThrottledCall call = ThrottlePolicy.of(ScriptedStrategy.retryDelays(SECOND)).newCall(0);
    assertEquals(0, call.delayNanos(0));
    assertEquals(AttemptVerdict.DONE, call.onResponse(200, NONE, 0));
    assertEquals(1, call.attempts());
    assertEquals(0, call.totalDelayNanos());
    assertNull(call.giveUp());
  }

  @Test
  void retriesWithTheStrategysDelaysThenDone() {
    ThrottledCall call = ThrottlePolicy.of(ScriptedStrategy.retryDelays(SECOND, 3 * SECOND)).newCall(0);
    assertEquals(0, call.delayNanos(0));
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    assertEquals(SECOND, call.delayNanos(0));
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, SECOND));
    assertEquals(3 * SECOND, call.delayNanos(SECOND));
    assertEquals(AttemptVerdict.DONE, call.onResponse(200, NONE, 4 * SECOND));
    assertEquals(3, call.attempts());
    assertEquals(4 * SECOND, call.totalDelayNanos());
    assertNull(call.giveUp());
  }

  @Test
  void maxAttemptsGivesUpWithTheLastStatusAndTheNeededWait() {
    ThrottledCall call = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(SECOND, 2 * SECOND, 7 * SECOND))
        .maxAttempts(3).build().newCall(0);
    call.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    call.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    call.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, call.onResponse(503, retryAfter(SECOND), 0));
    ThrottleGiveUpException e = call.giveUp();
    assertEquals(Reason.MAX_ATTEMPTS, e.reason());
    assertEquals(503, e.lastStatus());
    assertEquals(3, e.attempts());
    assertEquals(7 * SECOND, e.neededDelayNanos());
  }

  @Test
  void maxAttemptsOfOneNeverRetries() {
    ThrottledCall call = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(0)).maxAttempts(1).build()
        .newCall(0);
    call.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, call.onResponse(429, NONE, 0));
    assertEquals(Reason.MAX_ATTEMPTS, call.giveUp().reason());
  }

  @Test
  void retryAfterLongerThanMaxDelayGivesUpRatherThanRetryEarly() {
    ThrottlePolicy p = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(SECOND))
        .maxDelay(Duration.ofMinutes(2)).build();
    ThrottledCall call = p.newCall(0);
    call.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, call.onResponse(429, retryAfter(180 * SECOND), 0));
    ThrottleGiveUpException e = call.giveUp();
    assertEquals(Reason.MAX_DELAY, e.reason());
    assertEquals(429, e.lastStatus());
    assertEquals(1, e.attempts());
    assertEquals(180 * SECOND, e.neededDelayNanos());

    ThrottledCall exact = p.newCall(0);
    exact.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, exact.onResponse(429, retryAfter(120 * SECOND), 0));
    assertEquals(120 * SECOND, exact.delayNanos(0));
  }

  @Test
  void maxTotalWaitCountsEveryWait() {
    ThrottledCall call = ThrottlePolicy.builder(new ScriptedStrategy(SECOND, 100 * SECOND))
        .maxTotalWait(Duration.ofSeconds(250)).build().newCall(0);
    assertEquals(SECOND, call.delayNanos(0)); // pacing counts too
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    assertEquals(100 * SECOND, call.delayNanos(0));
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    assertEquals(100 * SECOND, call.delayNanos(0));
    assertEquals(AttemptVerdict.GIVE_UP, call.onResponse(429, NONE, 0)); // 201 s waited, 100 more > 250
    ThrottleGiveUpException e = call.giveUp();
    assertEquals(Reason.MAX_TOTAL_WAIT, e.reason());
    assertEquals(3, e.attempts());
    assertEquals(429, e.lastStatus());
    assertEquals(100 * SECOND, e.neededDelayNanos());
    assertEquals(201 * SECOND, call.totalDelayNanos());
  }

  @Test
  void deadlineEndsRetriesThatWouldStartAfterIt() {
    ThrottlePolicy p = ThrottlePolicy.of(new ScriptedStrategy(5 * SECOND, 2 * SECOND));
    long start = Long.MAX_VALUE - SECOND; // readings compare by subtraction, across the wrap too
    ThrottledCall call = p.newCallWithDeadline(start, start + 6 * SECOND);
    assertEquals(5 * SECOND, call.delayNanos(start));
    assertEquals(AttemptVerdict.GIVE_UP, call.onResponse(429, NONE, start + 5 * SECOND));
    assertEquals(Reason.CALL_TIMEOUT, call.giveUp().reason());
    assertEquals(2 * SECOND, call.giveUp().neededDelayNanos());

    ThrottledCall huge = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(Long.MAX_VALUE - 5))
        .maxDelay(Duration.ofNanos(Long.MAX_VALUE)).maxTotalWait(Duration.ofNanos(Long.MAX_VALUE)).build()
        .newCallWithDeadline(start, start + 6 * SECOND);
    huge.delayNanos(start);
    assertEquals(AttemptVerdict.GIVE_UP, huge.onResponse(429, NONE, start + SECOND)); // no overflow into "in time"

    ThrottledCall clamped = p.newCallWithDeadline(start, start + 3 * SECOND);
    assertEquals(3 * SECOND, clamped.delayNanos(start)); // pacing clamped to the deadline
  }

  @Test
  void pacingIsClampedNotAGiveUp() {
    List<ThrottleEvent> events = new CopyOnWriteArrayList<>();
    ThrottledCall call = ThrottlePolicy.builder(new ScriptedStrategy(600 * SECOND, SECOND))
        .maxDelay(Duration.ofSeconds(30)).addListener(events::add).build().newCall(0);
    assertEquals(30 * SECOND, call.delayNanos(0));
    assertEquals(AttemptVerdict.DONE, call.onResponse(200, NONE, 0));
    assertEquals(List.of(new ThrottleEvent(Type.THROTTLE, "throttle", 1, 0, 30 * SECOND)), events);
  }

  @Test
  void negativeStrategyDelaysReadAsZero() {
    ThrottledCall call = ThrottlePolicy.of(new ScriptedStrategy(-5, -7)).newCall(0);
    assertEquals(0, call.delayNanos(0));
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    assertEquals(0, call.delayNanos(0));
  }

  @Test
  void eventsAreEmittedInOrderWithTheNameAsKey() {
    List<ThrottleEvent> events = new CopyOnWriteArrayList<>();
    ThrottledCall call = ThrottlePolicy.builder(new ScriptedStrategy(SECOND, 2 * SECOND, 4 * SECOND))
        .name("api").maxAttempts(3).addListener(events::add).build().newCall(0);
    call.delayNanos(0);
    call.onResponse(429, NONE, 0);
    call.delayNanos(0);
    call.onResponse(503, retryAfter(3 * SECOND), 0);
    call.delayNanos(0);
    call.onResponse(429, NONE, 0);
    assertEquals(List.of(
        new ThrottleEvent(Type.THROTTLE, "api", 1, 0, SECOND),
        new ThrottleEvent(Type.RETRY, "api", 2, 429, 2 * SECOND),
        new ThrottleEvent(Type.RETRY, "api", 3, 503, 4 * SECOND),
        new ThrottleEvent(Type.GIVE_UP, "api", 3, 429, 4 * SECOND, Reason.MAX_ATTEMPTS)), events);
  }

  @Test
  void noThrottleEventWithoutPacing() {
    List<ThrottleEvent> events = new CopyOnWriteArrayList<>();
    ThrottledCall call = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(SECOND)).addListener(events::add)
        .build().newCall(0);
    call.delayNanos(0);
    call.onResponse(200, NONE, 0);
    assertEquals(List.of(), events);
  }

  @Test
  void aThrowingListenerIsIgnored() {
    ThrottledCall call = ThrottlePolicy.builder(new ScriptedStrategy(SECOND, SECOND)).maxAttempts(2)
        .addListener(e -> {
          throw new IllegalStateException("listener bug");
        }).build().newCall(0);
    assertEquals(SECOND, call.delayNanos(0));
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    assertEquals(SECOND, call.delayNanos(0));
    assertEquals(AttemptVerdict.GIVE_UP, call.onResponse(429, NONE, 0));
    assertEquals(Reason.MAX_ATTEMPTS, call.giveUp().reason());
  }

  @Test
  void protocolMisuseIsReported() {
    ThrottledCall call = ThrottlePolicy.of(ScriptedStrategy.retryDelays(0)).newCall(0);
    assertThrows(IllegalStateException.class, () -> call.onResponse(200, NONE, 0));
    call.delayNanos(0);
    assertThrows(IllegalStateException.class, () -> call.delayNanos(0));
    call.onResponse(200, NONE, 0);
    assertThrows(IllegalStateException.class, () -> call.delayNanos(0));
    assertThrows(IllegalStateException.class, () -> call.onResponse(200, NONE, 0));
  }

  @Test
  void nullHeadersReadAsEmpty() {
    ThrottledCall call = ThrottlePolicy.of(ScriptedStrategy.retryDelays(SECOND)).newCall(0);
    call.delayNanos(0);
    assertEquals(AttemptVerdict.DONE, call.onResponse(503, null, 0)); // 503 without Retry-After: not retried
  }

  @Test
  void retryBudgetGivesUpWhenHalfTheTokensAreGone() {
    ThrottlePolicy p = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(0))
        .retryBudget(RetryBudget.of(4, 1)).build(); // 4 tokens, threshold 2
    ThrottledCall call = p.newCall(0);
    call.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0)); // 3 left > 2
    call.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, call.onResponse(429, NONE, 0)); // 2 left, not > 2
    assertEquals(Reason.RETRY_BUDGET, call.giveUp().reason());
    assertEquals(2, call.giveUp().attempts());
    assertEquals(2000, p.budgetState().tokensMilli());

    ThrottledCall ok = p.newCall(0); // a success refills tokenRatio = 1
    ok.delayNanos(0);
    assertEquals(AttemptVerdict.DONE, ok.onResponse(200, NONE, 0));
    assertEquals(3000, p.budgetState().tokensMilli());
    ThrottledCall again = p.newCall(0);
    again.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, again.onResponse(429, NONE, 0)); // 3 - 1 = 2, not > 2

    ThrottledCall clientError = p.newCall(0); // a 404 is neither a success nor a retry-worthy failure
    clientError.delayNanos(0);
    assertEquals(AttemptVerdict.DONE, clientError.onResponse(404, NONE, 0));
    assertEquals(2000, p.budgetState().tokensMilli());
  }

  @Test
  void withStrategyKeepsLimitsAndListenerButNotTheBudgetTokens() {
    List<ThrottleEvent> events = new CopyOnWriteArrayList<>();
    ThrottlePolicy p = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(SECOND)).name("api")
        .maxAttempts(3).maxDelay(Duration.ofSeconds(7)).maxTotalWait(Duration.ofSeconds(9))
        .retryBudget(RetryBudget.of(2, 0.5)).addListener(events::add).build();
    ScriptedStrategy other = ScriptedStrategy.retryDelays(2 * SECOND);
    ThrottlePolicy q = p.withStrategy(other);
    assertSame(other, q.strategy());
    assertEquals("api", q.name());
    assertEquals(3, q.maxAttempts());
    assertEquals(Duration.ofSeconds(7), q.maxDelay());
    assertEquals(Duration.ofSeconds(9), q.maxTotalWait());
    assertEquals(p.retryBudget(), q.retryBudget());
    assertSame(p.listeners(), q.listeners());

    ThrottledCall drained = p.newCall(0); // 2 tokens, threshold 1: the first failure leaves 1, refused
    drained.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, drained.onResponse(429, NONE, 0));
    assertEquals(1000, q.budgetState().tokensMilli() - 1000); // q's bucket is still full (2000)

    ThrottledCall keyed = p.withStrategy(other, "host-b").newCall(0);
    keyed.delayNanos(0);
    keyed.onResponse(429, NONE, 0);
    assertEquals(new ThrottleEvent(Type.GIVE_UP, "host-b", 1, 429, 2 * SECOND, Reason.RETRY_BUDGET), events.get(events.size() - 1));
  }

  @Test
  void everyListenerGetsEveryEventAndGiveUpsCarryTheirReason() {
    List<ThrottleEvent> first = new CopyOnWriteArrayList<>();
    List<ThrottleEvent> second = new CopyOnWriteArrayList<>();
    ThrottledCall call = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(SECOND, 10 * SECOND))
        .name("api").maxDelay(Duration.ofSeconds(5)).addListener(first::add)
        .addListener(e -> {
          throw new IllegalStateException("a broken listener does not stop the next one");
        })
        .addListener(second::add).build().newCall(0);
    call.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    call.delayNanos(0);
    assertEquals(AttemptVerdict.GIVE_UP, call.onResponse(429, NONE, 0));
    List<ThrottleEvent> expected = List.of(
        new ThrottleEvent(Type.RETRY, "api", 2, 429, SECOND, null),
        new ThrottleEvent(Type.GIVE_UP, "api", 2, 429, 10 * SECOND, Reason.MAX_DELAY));
    assertEquals(expected, first);
    assertEquals(expected, second);
  }

  @Test
  void abandonReportsTheRunnersGiveUpOnceWithItsReason() {
    List<ThrottleEvent> events = new CopyOnWriteArrayList<>();
    ThrottledCall call = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(7 * SECOND)).name("api")
        .addListener(events::add).build().newCall(0);
    call.delayNanos(0);
    assertEquals(AttemptVerdict.RETRY, call.onResponse(429, NONE, 0));
    call.delayNanos(0);
    ThrottleGiveUpException e = call.abandon(Reason.CALL_TIMEOUT, 7 * SECOND);
    assertSame(e, call.giveUp());
    assertEquals(Reason.CALL_TIMEOUT, e.reason());
    assertEquals(429, e.lastStatus());
    assertEquals(1, e.attempts());
    assertEquals(new ThrottleEvent(Type.GIVE_UP, "api", 1, 429, 7 * SECOND, Reason.CALL_TIMEOUT),
        events.get(events.size() - 1));
    assertThrows(IllegalStateException.class, () -> call.abandon(Reason.CALL_TIMEOUT, 0));
    assertThrows(IllegalStateException.class, () -> call.delayNanos(0));
  }

  @Test
  void durationSettingsAreCheckedByOneRule() {
    ThrottlePolicy.Builder b = ThrottlePolicy.builder(ScriptedStrategy.retryDelays(0));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> b.maxDelay(Duration.ofSeconds(-1)));
    assertTrue(negative.getMessage().startsWith("maxDelay"), negative.getMessage());
    IllegalArgumentException huge =
        assertThrows(IllegalArgumentException.class, () -> b.maxTotalWait(Duration.ofSeconds(Long.MAX_VALUE)));
    assertTrue(huge.getMessage().startsWith("maxTotalWait"), huge.getMessage());
    assertThrows(NullPointerException.class, () -> b.maxDelay(null));
  }
}
