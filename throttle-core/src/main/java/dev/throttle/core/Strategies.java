package dev.throttle.core;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Factories for the library's strategies: the default, and every strategy by a stable name (for
 * configuration files, command lines and the simulator). Every factory returns a new instance; share one
 * instance between all threads that call the same server.
 */
public final class Strategies {

  /**
   * The jitter seed every strategy builder uses unless {@code seed(long)} or {@code random(..)} is called:
   * {@value}. Reproducible by design; processes that share one server should pass distinct seeds (for
   * example a host or process id) so that their jitter streams differ.
   */
  public static final long DEFAULT_SEED = 0x5EED_7407_71EL;

  /** The names accepted by {@link #named(String, long)}, in a stable order. */
  private static final List<String> NAMES = List.of("default", "pacing", "exponential-backoff",
      "exponential-increase-gradual-decrease", "exponential-increase-proportional-decrease",
      "exponential-increase-proportional-remaining-decrease", "full-jitter", "equal-jitter",
      "decorrelated-jitter", "adaptive");

  private Strategies() {}

  /**
   * Returns the library default: {@link PacingStrategy} wrapped in {@link RetryAfterFloorStrategy}. It paces
   * from the server's rate-limit headers, never sends before a Retry-After or before an exhausted quota is back,
   * and falls back to jittered exponential backoff on 429s from servers that send no headers.
   *
   * @param seed the jitter seed; give each process its own
   */
  public static ThrottleStrategy defaultStrategy(long seed) {
    return RetryAfterFloorStrategy.wrap(PacingStrategy.withSeed(seed));
  }

  /** Returns the names {@link #named(String, long)} accepts. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Returns a new strategy with its default settings by name (case-insensitive): {@code default},
   * {@code pacing}, the Heroku family ({@code exponential-backoff}, {@code exponential-increase-gradual-decrease},
   * {@code exponential-increase-proportional-decrease},
   * {@code exponential-increase-proportional-remaining-decrease}, as published, without Retry-After floor),
   * {@code full-jitter}, {@code equal-jitter}, {@code decorrelated-jitter} (AWS defaults, with the Retry-After
   * floor) and {@code adaptive} (AWS CUBIC, unseeded).
   *
   * @param name one of {@link #names()}
   * @param seed the jitter seed
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the name is unknown
   */
  public static ThrottleStrategy named(String name, long seed) {
    Objects.requireNonNull(name, "name");
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "default" -> defaultStrategy(seed);
      case "pacing" -> PacingStrategy.withSeed(seed);
      case "exponential-backoff" -> ExponentialBackoffStrategy.builder().seed(seed).build();
      case "exponential-increase-gradual-decrease" ->
          ExponentialIncreaseGradualDecreaseStrategy.builder().seed(seed).build();
      case "exponential-increase-proportional-decrease" ->
          ExponentialIncreaseProportionalDecreaseStrategy.builder().seed(seed).build();
      case "exponential-increase-proportional-remaining-decrease" ->
          ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder().seed(seed).build();
      case "full-jitter" -> jittered(JitteredBackoffStrategy.Jitter.FULL, seed);
      case "equal-jitter" -> jittered(JitteredBackoffStrategy.Jitter.EQUAL, seed);
      case "decorrelated-jitter" -> jittered(JitteredBackoffStrategy.Jitter.DECORRELATED, seed);
      case "adaptive" -> AdaptiveRateStrategy.create();
      default -> throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + NAMES);
    };
  }

  private static ThrottleStrategy jittered(JitteredBackoffStrategy.Jitter jitter, long seed) {
    return RetryAfterFloorStrategy.wrap(JitteredBackoffStrategy.builder().jitter(jitter).seed(seed).build());
  }
}
