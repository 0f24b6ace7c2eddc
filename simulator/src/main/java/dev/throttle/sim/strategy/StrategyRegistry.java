package dev.throttle.sim.strategy;

import dev.throttle.core.strategy.JitteredBackoffStrategy.Jitter;
import dev.throttle.core.strategy.AdaptiveRateStrategy;
import dev.throttle.core.strategy.ExponentialBackoffStrategy;
import dev.throttle.core.strategy.ExponentialIncreaseGradualDecreaseStrategy;
import dev.throttle.core.strategy.ExponentialIncreaseProportionalDecreaseStrategy;
import dev.throttle.core.strategy.ExponentialIncreaseProportionalRemainingDecreaseStrategy;
import dev.throttle.core.strategy.JitteredBackoffStrategy;
import dev.throttle.core.strategy.PacingStrategy;
import dev.throttle.core.strategy.RetryAfterFloorStrategy;
import dev.throttle.core.strategy.Strategies;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The strategies the simulator can score: a command-line name, a one-line description and a factory built from
 * the core builders with their defaults (Heroku / AWS constants). The simulator never implements a strategy
 * itself.
 */
public enum StrategyRegistry {

  /** The library default, {@code Strategies.defaultStrategy(seed)}, exactly as applications get it. */
  DEFAULT_STRATEGY("default", "the library default: Strategies.defaultStrategy(seed) (DiscoveryPacingStrategy)",
      (seed, initialSleep) -> Strategies.defaultStrategy(seed)),

  /** The previous default (0.1): PacingStrategy under the Retry-After floor, kept to measure the new one against. */
  PACING("pacing", "the previous default: PacingStrategy (AIMD target rate from RateLimit headers, assumed 1/s without"
      + " them) under the Retry-After floor",
      (seed, initialSleep) -> RetryAfterFloorStrategy.wrap(PacingStrategy.builder().seed(seed).build())),

  /** Heroku's ExponentialBackoff: sleep 0.8 s × 1.2^k (+0–10 % jitter) per 429, no memory between calls. */
  EXPONENTIAL_BACKOFF("exponential-backoff",
      "Heroku ExponentialBackoff: 0.8 s x 1.2^k (+0-10% jitter) per 429, no memory between calls",
      (seed, initialSleep) -> ExponentialBackoffStrategy.builder().seed(seed).build()),

  /** Heroku's ExponentialIncreaseGradualDecrease: a stored sleep, minus 0.8 s after each success. */
  EIGD("eigd", "Heroku ExponentialIncreaseGradualDecrease: stored sleep, -0.8 s after each success",
      (seed, initialSleep) -> ExponentialIncreaseGradualDecreaseStrategy.builder().seed(seed)
          .startingSleep(Duration.ofNanos(initialSleep)).build()),

  /** Heroku's ExponentialIncreaseProportionalDecrease: a stored sleep, times (1 − 1/4500) after each success. */
  EIPD("eipd", "Heroku ExponentialIncreaseProportionalDecrease: stored sleep x (1 - 1/4500) per success",
      (seed, initialSleep) -> ExponentialIncreaseProportionalDecreaseStrategy.builder().seed(seed)
          .startingSleep(Duration.ofNanos(initialSleep)).build()),

  /** Heroku's ExponentialIncreaseProportionalRemainingDecrease (shipped in platform-api). */
  EIPRD("eiprd",
      "Heroku ExponentialIncreaseProportionalRemainingDecrease: stored sleep x (1 - remaining/4500) per success",
      (seed, initialSleep) -> ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder().seed(seed)
          .startingSleep(Duration.ofNanos(initialSleep)).build()),

  /** AWS-style capped exponential backoff with full jitter (1 s throttling base, 20 s cap). */
  FULL_JITTER("full-jitter", "AWS-style backoff, full jitter U[0, min(20 s, 1 s x 2^n)), no memory between calls",
      (seed, initialSleep) -> JitteredBackoffStrategy.builder().jitter(Jitter.FULL).seed(seed).build()),

  /** AWS-style capped exponential backoff with equal jitter. */
  EQUAL_JITTER("equal-jitter", "AWS-style backoff, equal jitter v/2 + U[0, v/2]",
      (seed, initialSleep) -> JitteredBackoffStrategy.builder().jitter(Jitter.EQUAL).seed(seed).build()),

  /** AWS-style backoff with decorrelated jitter. */
  DECORRELATED_JITTER("decorrelated-jitter", "AWS-style backoff, decorrelated jitter U[base, min(cap, 3 x previous)]",
      (seed, initialSleep) -> JitteredBackoffStrategy.builder().jitter(Jitter.DECORRELATED).seed(seed).build()),

  /** Full-jitter backoff that also never sends before the server's Retry-After / reset says it could succeed. */
  FULL_JITTER_FLOOR("full-jitter+floor", "full-jitter wrapped in RetryAfterFloorStrategy (no attempt before Retry-After)",
      (seed, initialSleep) -> RetryAfterFloorStrategy.wrap(
          JitteredBackoffStrategy.builder().jitter(Jitter.FULL).seed(seed).build())),

  /** Heroku's EIPRD that also honours Retry-After as a floor. */
  EIPRD_FLOOR("eiprd+floor", "eiprd wrapped in RetryAfterFloorStrategy (no attempt before Retry-After)",
      (seed, initialSleep) -> RetryAfterFloorStrategy.wrap(
          ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder().seed(seed)
              .startingSleep(Duration.ofNanos(initialSleep)).build())),

  /**
   * The AWS SDK for Java v2 adaptive retry mode: CUBIC client-side rate limiter, full-jitter backoff (1 s throttling
   * base, 20 s cap), a 500-token retry quota (5 per retry) and 3 attempts; a call past either limit gives up.
   */
  ADAPTIVE("adaptive", "AWS SDK v2 adaptive retry mode: CUBIC rate limiter (min 0.5 r/s) + full-jitter backoff"
      + " (1 s base, 20 s cap) + retry quota (500, 5/retry), gives up after 3 attempts; no headers used",
      (seed, initialSleep) -> AdaptiveRateStrategy.builder().seed(seed).build()),

  /**
   * The default in each process, the processes ({@code --share K} clients each) coordinated through one shared
   * state with a 1 ms round trip: a fleet on one token (throttle-redis, docs/redis.md).
   */
  DEFAULT_FLEET("default-fleet", "the default per process (--share K threads each), processes sharing slots,"
      + " not-before and rate through a SharedThrottleState with a 1 ms round trip (Redis)",
      FleetStrategyFactory.of((seed, initialSleep) -> Strategies.defaultStrategy(seed), 1_000_000)),

  /**
   * The brute-force baseline of mixed populations: retries a 429 at once and never waits (the "naive immediate
   * retry" of real-servers.md): the core JitteredBackoffStrategy with base, throttling base and cap of 1 ns,
   * so every wait is under a nanosecond. Not a throttling strategy; it exists to load the server.
   */
  GREEDY("greedy", "naive client: sends at once and retries every 429 immediately (baseline for mixed populations)",
      (seed, initialSleep) -> JitteredBackoffStrategy.builder().jitter(Jitter.FULL).base(Duration.ofNanos(1))
          .throttlingBase(Duration.ofNanos(1)).cap(Duration.ofNanos(1)).seed(seed).build());

  /**
   * Returns the strategies {@code compare} scores when none is named: every one but {@link #GREEDY}, which is a
   * load generator (with zero latency it would retry forever at one instant, until the safety stop).
   */
  public static List<StrategyRegistry> compared() {
    List<StrategyRegistry> out = new ArrayList<>();
    for (StrategyRegistry s : values()) {
      if (s != GREEDY) {
        out.add(s);
      }
    }
    return out;
  }

  /** The strategy {@code simulate} runs when none is named: the library default. */
  public static final StrategyRegistry DEFAULT = DEFAULT_STRATEGY;

  private final String id;
  private final String description;
  private final StrategyFactory factory;

  StrategyRegistry(String id, String description, StrategyFactory factory) {
    this.id = id;
    this.description = description;
    this.factory = factory;
  }

  /**
   * Returns the command-line name.
   * @return the command-line name
   */
  public String id() {
    return id;
  }

  /**
   * Returns the one-line description.
   * @return the one-line description
   */
  public String description() {
    return description;
  }

  /**
   * Returns the factory.
   * @return the factory
   */
  public StrategyFactory factory() {
    return factory;
  }

  /**
   * Finds a strategy by its command-line name (case-insensitive).
   *
   * @param name the command-line name
   * @return the strategy
   * @throws IllegalArgumentException naming the known strategies if there is none by that name
   */
  public static StrategyRegistry byId(String name) {
    for (StrategyRegistry s : values()) {
      if (s.id.equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    List<String> ids = new ArrayList<>();
    for (StrategyRegistry s : values()) {
      ids.add(s.id);
    }
    throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + String.join(", ", ids));
  }

  @Override
  public String toString() {
    return id;
  }
}
