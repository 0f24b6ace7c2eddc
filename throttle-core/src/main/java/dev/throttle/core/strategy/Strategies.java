package dev.throttle.core.strategy;

/**
 * The library's default strategy and default seed. Every other strategy is built with its own
 * {@code XStrategy.builder()}; the simulator's {@code StrategyRegistry} names them for the command line. Every call
 * returns a new instance; share one instance between all threads that call the same server.
 */
public final class Strategies {

  /**
   * The jitter seed every strategy builder uses unless {@code seed(long)} or {@code random(..)} is called:
   * {@value}. Reproducible by design; processes that share one server should pass distinct seeds (for
   * example a host or process id) so that their jitter streams differ.
   */
  public static final long DEFAULT_SEED = 0x5EED_7407_71EL;

  private Strategies() {}

  /**
   * Returns the library default: {@link PacingStrategy} wrapped in {@link RetryAfterFloorStrategy}. It paces
   * from the server's rate-limit headers, never sends before a Retry-After or before an exhausted quota is back,
   * and falls back to jittered exponential backoff on 429s from servers that send no headers.
   *
   * @param seed the jitter seed; give each process its own
   * @return the library default: {@link PacingStrategy} wrapped in {@link RetryAfterFloorStrategy}
   */
  public static ThrottleStrategy defaultStrategy(long seed) {
    return RetryAfterFloorStrategy.wrap(PacingStrategy.withSeed(seed));
  }
}
