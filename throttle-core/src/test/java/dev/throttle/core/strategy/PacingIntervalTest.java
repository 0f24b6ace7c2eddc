package dev.throttle.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.headers.RateLimitHeaders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link ThrottleStrategy#pacingIntervalNanos()}: its value per strategy, and that reading it changes nothing. */
class PacingIntervalTest {

  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  /** A strategy that never waits and never retries, with the interface's default accessor. */
  private static final ThrottleStrategy NO_WAIT = now -> new ThrottleStrategy.Call() {
    @Override
    public long delayNanos(long n) {
      return 0;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long n) {
      return false;
    }
  };

  private static RateLimitHeaders heroku(long remaining) {
    return RateLimitHeaders.builder().remaining(remaining).limit(4500).windowNanos(3600 * S).build();
  }

  private static void exchange(ThrottleStrategy s, int status, RateLimitHeaders h, long now) {
    ThrottleStrategy.Call c = s.newCall(now);
    c.delayNanos(now);
    c.onResponse(status, h, now);
  }

  @Test
  void strategiesWithoutAScheduleAnswerNoPacing() {
    assertEquals(-1, ThrottleStrategy.NO_PACING);
    assertEquals(ThrottleStrategy.NO_PACING, NO_WAIT.pacingIntervalNanos());
    JitteredBackoffStrategy backoff = JitteredBackoffStrategy.builder().seed(1).build();
    ExponentialBackoffStrategy eb = ExponentialBackoffStrategy.builder().seed(1).build();
    exchange(backoff, 429, RateLimitHeaders.EMPTY, 0);
    exchange(eb, 429, RateLimitHeaders.EMPTY, 0);
    assertEquals(ThrottleStrategy.NO_PACING, backoff.pacingIntervalNanos());
    assertEquals(ThrottleStrategy.NO_PACING, eb.pacingIntervalNanos());
    assertEquals(ThrottleStrategy.NO_PACING, RetryAfterFloorStrategy.wrap(NO_WAIT).pacingIntervalNanos());
  }

  @Test
  void pacingIsZeroUntilInformedThenItsIntervalThenZeroWhileBursting() {
    PacingStrategy s = PacingStrategy.builder().random(new FixedRandom(0.5)).build();
    assertEquals(0, s.pacingIntervalNanos());
    exchange(s, 200, heroku(0), 0);
    assertEquals(11_200_000_000L, s.pacingIntervalNanos()); // u / 14 for one thread: 11.2 s
    assertEquals(s.intervalNanos(), s.pacingIntervalNanos());
    // r above 5 + 1.25/s x 60 s = 80: attempts go unpaced, though the learned interval is kept
    exchange(s, 200, heroku(200), S);
    assertTrue(s.intervalNanos() > 0);
    assertEquals(0, s.pacingIntervalNanos());
    assertEquals(0, s.newCall(S).delayNanos(S)); // indeed unpaced
  }

  @Test
  void theDefaultAnswersItsPacing() {
    ThrottleStrategy s = Strategies.defaultStrategy(7);
    assertEquals(S, s.pacingIntervalNanos()); // DiscoveryPacingStrategy: λ starts at 1 per second
    exchange(s, 200, heroku(0), 0);
    assertEquals(((DiscoveryPacingStrategy) s).intervalNanos(), s.pacingIntervalNanos());
    assertTrue(s.pacingIntervalNanos() > S, "below the bank: slower than 1 per second");
  }

  @Test
  void thePreviousDefaultForwardsToItsPacing() {
    ThrottleStrategy s = RetryAfterFloorStrategy.wrap(PacingStrategy.withSeed(7));
    assertEquals(0, s.pacingIntervalNanos());
    exchange(s, 200, heroku(0), 0);
    assertEquals(((PacingStrategy) ((RetryAfterFloorStrategy) s).inner()).intervalNanos(), s.pacingIntervalNanos());
    assertTrue(s.pacingIntervalNanos() > S);
  }

  @Test
  void discoveryAnswersItsIntervalInForce() {
    DiscoveryPacingStrategy s = DiscoveryPacingStrategy.withSeed(3);
    assertEquals(S, s.pacingIntervalNanos()); // λ starts at 1 per second
    exchange(s, 429, RateLimitHeaders.builder().retryAfterNanos(S).build(), 0);
    assertEquals(s.intervalNanos(), s.pacingIntervalNanos());
    assertTrue(s.pacingIntervalNanos() > 0);
  }

  @Test
  void adaptiveAnswersItsFillIntervalOnceSwitchedOn() {
    AdaptiveRateStrategy s = AdaptiveRateStrategy.create();
    exchange(s, 200, RateLimitHeaders.EMPTY, 0);
    assertEquals(0, s.pacingIntervalNanos()); // the bucket is off until a throttle
    exchange(s, 200, RateLimitHeaders.EMPTY, 250 * MS);
    exchange(s, 429, RateLimitHeaders.EMPTY, 1000 * MS);
    assertEquals(1.68, s.fillRate(), 1e-12); // 0.7 x the measured 2.4/s (AdaptiveRateStrategyTest's arithmetic)
    assertEquals(Math.round(1e9 / 1.68), s.pacingIntervalNanos(), 1.0);
  }

  @Test
  void storedSleepStrategiesAnswerTheirSleep() {
    ExponentialIncreaseGradualDecreaseStrategy s = ExponentialIncreaseGradualDecreaseStrategy.builder()
        .startingSleep(Duration.ofMillis(900)).seed(1).build();
    assertEquals(900 * MS, s.pacingIntervalNanos());
    exchange(s, 429, RateLimitHeaders.EMPTY, 0);
    assertEquals(s.storedSleepNanos(), s.pacingIntervalNanos());
  }

  @Test
  void sharedStateAnswersTheLongerOfTheFleetsAndTheInnerInterval() {
    InProcessSharedThrottleState state = InProcessSharedThrottleState.create();
    ThrottleStrategy shared = SharedStateStrategy.wrap(NO_WAIT, state);
    assertEquals(0, shared.pacingIntervalNanos()); // a fleet schedule, nothing learned yet
    exchange(shared, 200, RateLimitHeaders.builder().remaining(10).limit(10).windowNanos(5 * S).build(), 0);
    assertEquals(500 * MS, state.intervalNanos());
    assertEquals(500 * MS, shared.pacingIntervalNanos());

    PacingStrategy inner = PacingStrategy.withSeed(5);
    ThrottleStrategy slow = SharedStateStrategy.wrap(inner, state);
    exchange(slow, 200, heroku(0), S); // the inner pacing: 11.2 s; the fleet's: 0.8 s from Heroku's policy
    assertEquals(inner.pacingIntervalNanos(), slow.pacingIntervalNanos());
    assertEquals(800 * MS, state.intervalNanos());
  }

  @Provide
  Arbitrary<List<StrategyPropertiesTest.Step>> scripts() {
    return new StrategyPropertiesTest().scripts();
  }

  @Provide
  Arbitrary<String> kinds() {
    return new StrategyPropertiesTest().kinds();
  }

  /**
   * Reading the interval has no side effect: a strategy read before and after every step hands out exactly the
   * delays of a same-seed twin never read; and the value is -1 or at least 0, never -1 for the pacing strategies.
   */
  @Property(tries = 200)
  void readingTheIntervalChangesNothing(@ForAll("kinds") String kind, @ForAll long seed,
      @ForAll("scripts") List<StrategyPropertiesTest.Step> steps) {
    ThrottleStrategy read = (ThrottleStrategy) StrategyPropertiesTest.build(kind, seed)[0];
    ThrottleStrategy twin = (ThrottleStrategy) StrategyPropertiesTest.build(kind, seed)[0];
    boolean paced = List.of("pacing", "default", "discovery", "adaptive", "eigd", "eipd", "eiprd").contains(kind);
    List<Long> intervals = new ArrayList<>();
    List<Long> delays = run(read, steps, () -> {
      long i = read.pacingIntervalNanos();
      assertTrue(i >= 0 || i == ThrottleStrategy.NO_PACING && !paced, kind + " answered " + i);
      intervals.add(i);
    });
    assertEquals(run(twin, steps, () -> { }), delays);
    assertEquals(2 * steps.size(), intervals.size());
  }

  /** Runs the script on one sequential client, calling {@code probe} before and after every attempt. */
  private static List<Long> run(ThrottleStrategy s, List<StrategyPropertiesTest.Step> steps, Runnable probe) {
    List<Long> delays = new ArrayList<>();
    long now = 0;
    ThrottleStrategy.Call call = s.newCall(now);
    for (StrategyPropertiesTest.Step step : steps) {
      probe.run();
      long d = call.delayNanos(now);
      delays.add(d);
      now += d + step.latencyMs() * MS;
      boolean retry = call.onResponse(step.status(), step.info(), now);
      probe.run();
      if (!retry) {
        now += step.extraWaitMs() * MS;
        call = s.newCall(now);
      }
    }
    return delays;
  }
}
