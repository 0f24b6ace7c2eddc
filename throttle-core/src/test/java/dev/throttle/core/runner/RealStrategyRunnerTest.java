package dev.throttle.core.runner;

import dev.throttle.core.policy.ThrottleGiveUpException.Reason;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.ExponentialBackoffStrategy;
import dev.throttle.core.strategy.RetryAfterFloorStrategy;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The policy and the blocking runner driving a real strategy, in virtual time. */
class RealStrategyRunnerTest {

  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private final ManualNanoClock clock = new ManualNanoClock();
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();

  private BlockingThrottleRunner<TestResponse> runner(ThrottlePolicy policy, GiveUpAction onGiveUp) {
    return BlockingThrottleRunner.builder(policy, TestResponse.ADAPTER).clock(clock).onGiveUp(onGiveUp)
        .sleeper(nanos -> {
          sleeps.add(nanos);
          clock.advance(nanos);
        }).build();
  }

  private static java.util.function.Supplier<TestResponse> replay(TestResponse... responses) {
    Deque<TestResponse> queue = new ArrayDeque<>(List.of(responses));
    return queue::poll;
  }

  @Test
  void exponentialBackoffGrowsItsWaitsUntilTheServerAccepts() {
    ExponentialBackoffStrategy strategy = ExponentialBackoffStrategy.builder().seed(42).build();
    TestResponse ok = TestResponse.of(200);
    TestResponse result = runner(ThrottlePolicy.of(strategy), GiveUpAction.RETURN_LAST_RESPONSE)
        .call(replay(TestResponse.of(429), TestResponse.of(429), ok));
    assertSame(ok, result);
    assertEquals(2, sleeps.size());
    // Heroku defaults: 0.8 s then 0.96 s nominal, each plus up to 10 % jitter.
    assertTrue(sleeps.get(0) >= 800 * MILLI && sleeps.get(0) < 880 * MILLI, "first wait " + sleeps.get(0));
    assertTrue(sleeps.get(1) >= 960 * MILLI && sleeps.get(1) < 1056 * MILLI, "second wait " + sleeps.get(1));
  }

  @Test
  void aRetryAfterFloorIsNeverUndercutAndALongOneIsAGiveUp() {
    ThrottleStrategy strategy = RetryAfterFloorStrategy.wrap(ExponentialBackoffStrategy.builder().seed(7).build());
    ThrottlePolicy policy = ThrottlePolicy.builder(strategy).maxDelay(Duration.ofSeconds(30)).build();
    TestResponse ok = TestResponse.of(200);
    assertSame(ok, runner(policy, GiveUpAction.RETURN_LAST_RESPONSE)
        .call(replay(TestResponse.retryAfter(429, 5 * SECOND), ok)));
    assertTrue(sleeps.get(0) >= 5 * SECOND, "retried before Retry-After: " + sleeps.get(0));

    ThrottleGiveUpException e = assertThrows(ThrottleGiveUpException.class,
        () -> runner(policy, GiveUpAction.THROW).call(replay(TestResponse.retryAfter(429, 60 * SECOND))));
    assertEquals(Reason.MAX_DELAY, e.reason());
    assertTrue(e.neededDelayNanos() >= 60 * SECOND);
  }
}
