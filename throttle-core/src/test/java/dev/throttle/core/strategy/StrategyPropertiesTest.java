package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Invariants every strategy keeps whatever the server answers. */
class StrategyPropertiesTest {

  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  /** One response of a scripted server, plus how long the runner lingers before the next attempt. */
  record Step(int status, long retryAfterMs, long remaining, long resetMs, long extraWaitMs, long latencyMs,
      long limit, long windowMs) {
    RateLimitHeaders info() {
      RateLimitHeaders.Builder b = RateLimitHeaders.builder();
      if (retryAfterMs >= 0) {
        b.retryAfterNanos(retryAfterMs * MS);
      }
      if (remaining >= 0) {
        b.remaining(remaining);
        if (limit > 0) {
          b.limit(limit).windowNanos(windowMs * MS);
        }
      }
      if (resetMs >= 0) {
        b.resetNanos(resetMs * MS);
      }
      return b.build();
    }
  }

  @Provide
  Arbitrary<List<Step>> scripts() {
    Arbitrary<Integer> status = Arbitraries.of(200, 200, 200, 429, 429, 429, 503, 500, 304);
    Arbitrary<Long> retryAfter = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 120_000));
    Arbitrary<Long> remaining = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 60),
        Arbitraries.longs().between(0, 4500));
    Arbitrary<Long> reset = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 3_600_000));
    Arbitrary<Long> extra = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 60_000));
    Arbitrary<Long> latency = Arbitraries.longs().between(0, 2_000);
    Arbitrary<Long> limit = Arbitraries.of(0L, 1L, 60L, 4500L, 4500L, 1_000_000_000L);
    Arbitrary<Long> window = Arbitraries.of(1L, 1000L, 3_600_000L, 3_600_000L, 86_400_000L);
    return Combinators.combine(status, retryAfter, remaining, reset, extra, latency, limit, window)
        .as(Step::new).list().ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<String> kinds() {
    return Arbitraries.of("eb", "eigd", "eipd", "eiprd", "full", "equal", "decorrelated", "floor-full", "pacing",
        "default", "adaptive", "discovery");
  }

  /** Strategies with small caps so that the bound is reachable; returns {strategy, cap in nanos}. */
  static Object[] build(String kind, long seed) {
    Duration maxSleep = Duration.ofSeconds(5);
    return switch (kind) {
      case "eb" -> new Object[] {ExponentialBackoffStrategy.builder().maxSleep(maxSleep).seed(seed).build(), 5_500 * MS};
      case "eigd" -> new Object[] {ExponentialIncreaseGradualDecreaseStrategy.builder().maxSleep(maxSleep).seed(seed)
          .build(), 5_500 * MS};
      case "eipd" -> new Object[] {ExponentialIncreaseProportionalDecreaseStrategy.builder().maxSleep(maxSleep)
          .seed(seed).build(), 5_500 * MS};
      case "eiprd" -> new Object[] {ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder()
          .maxSleep(maxSleep).seed(seed).build(), 5_500 * MS};
      case "full", "equal", "decorrelated" -> new Object[] {JitteredBackoffStrategy.builder()
          .jitter(JitteredBackoffStrategy.Jitter.valueOf(kind.toUpperCase(java.util.Locale.ROOT)))
          .cap(Duration.ofSeconds(3)).seed(seed).build(), 3 * S};
      case "floor-full" -> new Object[] {RetryAfterFloorStrategy.builder(JitteredBackoffStrategy.builder()
          .cap(Duration.ofSeconds(3)).seed(seed).build()).spread(0.1).seed(seed).build(), 3 * S};
      case "pacing" -> new Object[] {PacingStrategy.builder().maxInterval(Duration.ofSeconds(30)).seed(seed)
          .build(), 31_500 * MS};
      // no interval cap below the 24 h header cap: the fair interval of many clients may be long
      case "default" -> new Object[] {Strategies.defaultStrategy(seed),
          RateLimitHeaders.MAX_DELAY_NANOS + RateLimitHeaders.MAX_DELAY_NANOS / 20 + 1};
      case "discovery" -> new Object[] {DiscoveryPacingStrategy.builder().seed(seed).build(),
          RateLimitHeaders.MAX_DELAY_NANOS + RateLimitHeaders.MAX_DELAY_NANOS / 20 + 1};
      // AWS adaptive without its attempt limit (the script expects every 429 retried); one sequential client
      // waits at most the 20 s backoff cap plus one token at the 0.5 r/s minimum fill rate
      case "adaptive" -> new Object[] {AdaptiveRateStrategy.builder().maxAttempts(Integer.MAX_VALUE).seed(seed)
          .build(), 22 * S + MS};
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** Runs the script on one sequential client; returns the delays handed out. */
  static List<Long> run(ThrottleStrategy s, List<Step> steps, long start, long cap, boolean floorHonoured) {
    List<Long> delays = new ArrayList<>();
    long now = start;
    long maxFloor = 0; // largest Retry-After seen so far (bounds any floor)
    long resetFloor = 0;
    ThrottleStrategy.Call call = s.newCall(now);
    for (Step step : steps) {
      long d = call.delayNanos(now);
      delays.add(d);
      assertTrue(d >= 0, "negative delay " + d);
      long bound = Math.max(cap, Math.max(maxFloor, resetFloor) + Math.max(maxFloor, resetFloor) / 10);
      assertTrue(d <= bound, "delay " + d + " above " + bound);
      now += d + step.latencyMs() * MS;
      RateLimitHeaders info = step.info();
      if (info.hasRetryAfter()) {
        maxFloor = Math.max(maxFloor, info.retryAfterNanos());
      }
      if (info.hasReset()) {
        resetFloor = Math.max(resetFloor, info.resetNanos());
      }
      boolean retry = call.onResponse(step.status(), info, now);
      assertEquals(step.status() == 429 || (step.status() == 503 && info.hasRetryAfter()), retry);
      if (retry && floorHonoured && info.hasRetryAfter()) {
        long next = call.delayNanos(now);
        assertTrue(next >= info.retryAfterNanos(), "retry after " + next + " < Retry-After " + info.retryAfterNanos());
        delays.add(next);
        now += next;
        // the protocol asks for exactly one delay per attempt: send this attempt now with the next step
        call = new AlreadyDelayed(call);
      } else if (!retry) {
        now += step.extraWaitMs() * MS;
        call = s.newCall(now);
      }
    }
    return delays;
  }

  /** Wraps a call whose next delay was already taken, so the following step does not ask again. */
  private static final class AlreadyDelayed implements ThrottleStrategy.Call {
    private final ThrottleStrategy.Call call;
    private boolean consumed;

    AlreadyDelayed(ThrottleStrategy.Call call) {
      this.call = call;
    }

    @Override
    public long delayNanos(long nowNanos) {
      if (!consumed) {
        consumed = true;
        return 0;
      }
      return call.delayNanos(nowNanos);
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      return call.onResponse(status, headers, nowNanos);
    }
  }

  @Property(tries = 300)
  void delaysAreNeverNegativeNorAboveTheCap(@ForAll("kinds") String kind, @ForAll long seed,
      @ForAll("scripts") List<Step> steps, @ForAll long start) {
    Object[] sc = build(kind, seed);
    run((ThrottleStrategy) sc[0], steps, start, (Long) sc[1], false);
  }

  @Property(tries = 200)
  void retriesAreNeverEarlierThanRetryAfter(@ForAll("floorKinds") String kind, @ForAll long seed,
      @ForAll("scripts") List<Step> steps, @ForAll long start) {
    Object[] sc = build(kind, seed);
    run((ThrottleStrategy) sc[0], steps, start, (Long) sc[1], true);
  }

  @Provide
  Arbitrary<String> floorKinds() {
    return Arbitraries.of("floor-full", "pacing", "default", "discovery");
  }

  @Property(tries = 200)
  void anotherCallOfTheSameClientWaitsForARetryAfterToo(@ForAll("innerKinds") String inner, @ForAll long seed,
      @ForAll @LongRange(min = 1, max = 86_400_000) long retryAfterMs,
      @ForAll @LongRange(min = 0, max = 100_000_000) long askedAfterMs, @ForAll long start) {
    ThrottleStrategy s = inner.equals("default") ? Strategies.defaultStrategy(seed)
        : RetryAfterFloorStrategy.wrap((ThrottleStrategy) build(inner, seed)[0]);
    ThrottleStrategy.Call waiting = s.newCall(start);
    ThrottleStrategy.Call limited = s.newCall(start);
    limited.delayNanos(start);
    limited.onResponse(429, RateLimitHeaders.builder().retryAfterNanos(retryAfterMs * MS).build(), start);
    long asked = start + askedAfterMs * MS;
    long d = waiting.delayNanos(asked);
    assertTrue(asked + d - (start + retryAfterMs * MS) >= 0,
        "sent at +" + (askedAfterMs * MS + d) + " before Retry-After " + retryAfterMs * MS);
  }

  @Provide
  Arbitrary<String> innerKinds() {
    return Arbitraries.of("eb", "eiprd", "full", "decorrelated", "pacing", "adaptive", "default", "discovery");
  }

  @Property(tries = 200)
  void sameSeedSameDelays(@ForAll("kinds") String kind, @ForAll long seed, @ForAll("scripts") List<Step> steps) {
    List<Long> first = run((ThrottleStrategy) build(kind, seed)[0], steps, 0, Long.MAX_VALUE, false);
    List<Long> second = run((ThrottleStrategy) build(kind, seed)[0], steps, 0, Long.MAX_VALUE, false);
    assertEquals(first, second);
  }
}
