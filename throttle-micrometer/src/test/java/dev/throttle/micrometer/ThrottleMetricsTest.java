package dev.throttle.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.RetryBudget;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.BlockingThrottleRunner;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.strategy.PacingStrategy;
import dev.throttle.core.strategy.RetryAfterFloorStrategy;
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

  /** A scripted response: its status and rate-limit headers. */
  record Reply(int status, RateLimitHeaders headers) {}

  /** Heroku's policy, 4500 per hour (u = 1.25/s), saying {@code remaining} units remain. */
  static RateLimitHeaders.Builder heroku(long remaining) {
    return RateLimitHeaders.builder().remaining(remaining).limit(4500).windowNanos(TimeUnit.HOURS.toNanos(1));
  }

  @Test
  void thePacingGaugeFollowsTheDefaultStrategysIntervalThroughAScriptedExchange() {
    PacingStrategy pacing = PacingStrategy.withSeed(11);
    ThrottlePolicy paced = ThrottlePolicy.builder(RetryAfterFloorStrategy.wrap(pacing)).name("heroku")
        .retryBudget(RetryBudget.of(10, 0.1)).addListener(metrics).build();
    metrics.bind(paced);
    Deque<Reply> replies = new ArrayDeque<>();
    List<Double> gaugeBeforeEachAttempt = new ArrayList<>();
    BlockingThrottleRunner<Reply> r = BlockingThrottleRunner
        .builder(paced, metrics.meter("heroku", ResponseAdapter.<Reply>of(Reply::status, Reply::headers)))
        .clock(clock).sleeper(sleeper).build();
    java.util.function.Supplier<Reply> server = () -> {
      gaugeBeforeEachAttempt.add(pacingGauge("heroku"));
      return replies.poll();
    };

    assertEquals(0.0, pacingGauge("heroku")); // nothing learned: attempts go at once
    replies.add(new Reply(200, heroku(0).build()));
    r.call(server); // the first response says the bank is empty: pace at u / 14 = 1 per 11.2 s
    assertEquals(11.2, pacingGauge("heroku"), 1e-9);
    assertEquals(pacing.intervalNanos() / 1e9, pacingGauge("heroku"));

    clock.advance(TimeUnit.SECONDS.toNanos(1));
    replies.add(new Reply(429, heroku(0).retryAfterNanos(TimeUnit.SECONDS.toNanos(1)).build()));
    replies.add(new Reply(200, heroku(200).build())); // 200 left, above 5 + 1.25/s x 60 s: spent unpaced
    r.call(server);
    double afterThrottle = 1e9 / (1e9 / 11.2e9 * 0.7) / 1e9; // the 429 cut the rate to 0.7 of it: 16 s
    assertEquals(List.of(0.0, 11.2, afterThrottle), round(gaugeBeforeEachAttempt));
    // bursting: attempts go unpaced, though the strategy keeps an interval for when the bank is spent
    assertEquals(0.0, pacingGauge("heroku"));
    assertEquals(0, paced.strategy().pacingIntervalNanos());
    assertTrue(pacing.intervalNanos() > 0);

    // the waits agree: one pacing wait (the second call's slot), one retry wait of at least the Retry-After
    assertEquals(1, registry.get("throttle.waits").tags("policy", "heroku", "kind", "pacing").timer().count());
    assertTrue(registry.get("throttle.waits").tags("policy", "heroku", "kind", "retry").timer()
        .totalTime(TimeUnit.SECONDS) >= 1.0);
    assertEquals(1.0, registry.get("throttle.retries").tags("policy", "heroku", "status", "429").counter().count());
    // the retry budget: the first success found it full (10), the 429 took one token, the last success gave 0.1
    assertEquals(9.1, registry.get("throttle.retry.budget.tokens").tag("policy", "heroku").gauge().value(), 1e-9);
    assertEquals("seconds", registry.get("throttle.pacing.interval").gauge().getId().getBaseUnit());
  }

  @Test
  void noPacingGaugeForAStrategyWithoutASchedule() {
    assertEquals(ThrottleStrategy.NO_PACING, SCRIPTED.pacingIntervalNanos());
    metrics.bind(policy);
    assertEquals(0, registry.find("throttle.pacing.interval").gauges().size());
    assertEquals(1, registry.find("throttle.retry.budget.tokens").gauges().size());
    assertEquals(Double.NaN, ThrottleMetrics.seconds(ThrottleStrategy.NO_PACING));
    assertThrows(NullPointerException.class, () -> metrics.bindPacing(null));
  }

  @Test
  void pacingGaugesAreBoundedByPolicyNameToo() {
    ThrottleMetrics bounded = ThrottleMetrics.of(registry, 1);
    ThrottlePolicy first = ThrottlePolicy.builder(PacingStrategy.withSeed(1)).name("a").build();
    ThrottlePolicy second = ThrottlePolicy.builder(PacingStrategy.withSeed(2)).name("b").build();
    ThrottlePolicy third = ThrottlePolicy.builder(PacingStrategy.withSeed(3)).name("c").build();
    bounded.bindPacing(first).bindPacing(second).bindPacing(third);
    assertEquals(2, registry.find("throttle.pacing.interval").gauges().size()); // "a" and "other"
    assertEquals(0.0, registry.get("throttle.pacing.interval").tag("policy", "other").gauge().value());
  }

  private double pacingGauge(String policyName) {
    return registry.get("throttle.pacing.interval").tag("policy", policyName).gauge().value();
  }

  /** Rounds to nanoseconds, so that values computed in two orders compare equal. */
  private static List<Double> round(List<Double> seconds) {
    return seconds.stream().map(v -> Math.round(v * 1e9) / 1e9).toList();
  }

  private double count(String name, String tag, String value) {
    return registry.get(name).tags("policy", "api", tag, value).counter().count();
  }
}
