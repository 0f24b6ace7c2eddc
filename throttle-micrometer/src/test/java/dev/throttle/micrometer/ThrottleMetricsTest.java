package dev.throttle.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.RetryBudget;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.BlockingThrottleRunner;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.testing.ManualNanoClock;
import dev.throttle.testing.VirtualSleeper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThrottleMetricsTest {

  static final long PACING = TimeUnit.MILLISECONDS.toNanos(100);
  static final long RETRY = TimeUnit.SECONDS.toNanos(1);

  /** Paces every first attempt by 100 ms, retries 429 and 503 after 1 s. */
  static final ThrottleStrategy SCRIPTED = now -> new ThrottleStrategy.Call() {
    int responses;

    @Override
    public long delayNanos(long nowNanos) {
      return responses == 0 ? PACING : RETRY;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      responses++;
      return status == 429 || status == 503;
    }
  };

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ThrottleMetrics metrics = ThrottleMetrics.of(registry);
  final List<ThrottleEvent> otherListener = new ArrayList<>();
  final ThrottlePolicy policy = ThrottlePolicy.builder(SCRIPTED).name("api").maxAttempts(3)
      .retryBudget(RetryBudget.of(10, 0.1)).addListener(metrics).addListener(otherListener::add).build();
  final ManualNanoClock clock = new ManualNanoClock();
  final VirtualSleeper sleeper = new VirtualSleeper(clock);
  final Deque<Integer> script = new ArrayDeque<>();
  final BlockingThrottleRunner<Integer> runner = BlockingThrottleRunner
      .builder(policy, metrics.meter("api", ResponseAdapter.<Integer>of(s -> s, s -> RateLimitHeaders.EMPTY)))
      .clock(clock).sleeper(sleeper).build();

  @Test
  void everyMeterHasItsValueAfterAScriptedExchange() {
    metrics.bindRetryBudget(policy);
    script.addAll(List.of(429, 200, 503, 429, 429));
    assertEquals(200, runner.call(script::poll));      // paced, 429 retried, 200
    assertEquals(429, runner.call(script::poll));      // paced, 503 and 429 retried, 429 gives up: 3 attempts

    assertEquals(2, registry.get("throttle.waits").tags("policy", "api", "kind", "pacing").timer().count());
    assertEquals(200.0, registry.get("throttle.waits").tags("policy", "api", "kind", "pacing").timer()
        .totalTime(TimeUnit.MILLISECONDS));
    assertEquals(3, registry.get("throttle.waits").tags("policy", "api", "kind", "retry").timer().count());
    assertEquals(3000.0, registry.get("throttle.waits").tags("policy", "api", "kind", "retry").timer()
        .totalTime(TimeUnit.MILLISECONDS));
    assertEquals(3.2e9, (double) sleeper.totalNanos()); // the meters agree with what was actually waited

    assertEquals(2.0, count("throttle.retries", "status", "429"));
    assertEquals(1.0, count("throttle.retries", "status", "503"));
    assertEquals(0.0, count("throttle.retries", "status", "5xx"));

    assertEquals(1.0, count("throttle.giveups", "reason", "max_attempts"));
    for (String other : List.of("max_delay", "max_total_wait", "call_timeout", "retry_budget")) {
      assertEquals(0.0, count("throttle.giveups", "reason", other), other);
    }

    assertEquals(3.0, count("throttle.attempts", "status", "429"));
    assertEquals(1.0, count("throttle.attempts", "status", "503"));
    assertEquals(1.0, count("throttle.attempts", "status", "2xx"));
    assertEquals(0.0, count("throttle.attempts", "status", "4xx"));

    // 10 tokens; four failures take 1 each (the give-up's one too), one success gives back 0.1
    assertEquals(6.1, registry.get("throttle.retry.budget.tokens").tag("policy", "api").gauge().value(), 1e-9);
    assertEquals(6.1, policy.retryBudgetTokens(), 1e-9);

    // the other listener got the same events, the give-up with its reason
    assertEquals(6, otherListener.size());
    ThrottleEvent last = otherListener.get(5);
    assertEquals(ThrottleEvent.Type.GIVE_UP, last.type());
    assertEquals(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, last.reason());
    assertNull(otherListener.get(0).reason());
  }

  @Test
  void retryBudgetGiveUpsAreTaggedWithTheirReason() {
    ThrottlePolicy tight = ThrottlePolicy.builder(SCRIPTED).name("tight").retryBudget(RetryBudget.of(2, 1))
        .addListener(metrics).build();
    BlockingThrottleRunner<Integer> r = BlockingThrottleRunner
        .builder(tight, ResponseAdapter.<Integer>of(s -> s, s -> RateLimitHeaders.EMPTY))
        .clock(clock).sleeper(sleeper).build();
    assertEquals(429, r.call(() -> 429)); // 2 tokens: the first failure leaves 1, not more than half
    assertEquals(1.0, registry.get("throttle.giveups").tags("policy", "tight", "reason", "retry_budget")
        .counter().count());
    assertEquals(0.0, registry.get("throttle.giveups").tags("policy", "tight", "reason", "max_attempts")
        .counter().count());
  }

  @Test
  void policyNamesBeyondTheLimitShareTheOtherTag() {
    ThrottleMetrics bounded = ThrottleMetrics.of(registry, 2);
    for (int i = 0; i < 50; i++) {
      bounded.onEvent(new ThrottleEvent(ThrottleEvent.Type.RETRY, "host-" + i, 2, 429, RETRY));
    }
    assertEquals(1.0, registry.get("throttle.retries").tags("policy", "host-0", "status", "429").counter().count());
    assertEquals(1.0, registry.get("throttle.retries").tags("policy", "host-1", "status", "429").counter().count());
    assertEquals(48.0, registry.get("throttle.retries").tags("policy", "other", "status", "429").counter().count());
    assertEquals(3, registry.get("throttle.retries").tag("status", "429").counters().size());
    ThrottlePolicy third = ThrottlePolicy.builder(SCRIPTED).name("host-99").retryBudget(RetryBudget.of(5, 1))
        .build();
    bounded.bindRetryBudget(third); // its gauge is bounded the same way
    assertEquals(5.0, registry.get("throttle.retry.budget.tokens").tag("policy", "other").gauge().value());
  }

  @Test
  void noGaugeWithoutABudgetAndBadArgumentsAreRefused() {
    ThrottlePolicy noBudget = ThrottlePolicy.builder(SCRIPTED).name("plain").build();
    metrics.bindRetryBudget(noBudget);
    assertEquals(0, registry.find("throttle.retry.budget.tokens").gauges().size());
    assertEquals(Double.NaN, noBudget.retryBudgetTokens());
    assertThrows(IllegalArgumentException.class, () -> ThrottleMetrics.of(registry, 0));
    assertThrows(NullPointerException.class, () -> ThrottleMetrics.of(null));
  }

  @Test
  void statusClassesAreBounded() {
    assertEquals(ThrottleMetrics.StatusClass.OTHER, ThrottleMetrics.StatusClass.of(0));
    assertEquals(ThrottleMetrics.StatusClass.OTHER, ThrottleMetrics.StatusClass.of(-7));
    assertEquals(ThrottleMetrics.StatusClass.OTHER, ThrottleMetrics.StatusClass.of(999));
    assertEquals(ThrottleMetrics.StatusClass.S4XX, ThrottleMetrics.StatusClass.of(404));
    assertEquals(ThrottleMetrics.StatusClass.S5XX, ThrottleMetrics.StatusClass.of(502));
  }

  private double count(String name, String tag, String value) {
    return registry.get(name).tags("policy", "api", tag, value).counter().count();
  }
}
