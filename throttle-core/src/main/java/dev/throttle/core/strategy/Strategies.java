package dev.throttle.core.strategy;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The library's default strategy and default seed. Every other strategy is built with its own
 * {@code XStrategy.builder()}; the simulator's {@code StrategyRegistry} names them for the command line. Every call
 * returns a new instance; share one instance between all threads that call the same server.
 *
 * <p>{@link #defaultStrategy()} needs no seed: each instance draws its own from a per-process seed taken once
 * from {@link SecureRandom}, so processes (and instances within one process) never share a jitter stream. Pass a
 * seed ({@link #defaultStrategy(long)}) only to make a run reproducible, for example in tests and simulations.
 */
public final class Strategies {

  /**
   * The jitter seed every strategy builder uses unless {@code seed(long)} or {@code random(..)} is called:
   * {@value}. Reproducible by design; processes that share one server should pass distinct seeds (for
   * example a host or process id) so that their jitter streams differ.
   */
  public static final long DEFAULT_SEED = 0x5EED_7407_71EL;

  /** The golden-ratio increment of SplitMix64: consecutive instances get well-spread seeds. */
  private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

  private Strategies() {}

  /**
   * Returns the library default with a seed of its own: {@link DiscoveryPacingStrategy}, as
   * {@link #defaultStrategy(long)} describes. The seed is the
   * per-process {@link SecureRandom} seed (drawn once, on first use) plus a per-instance counter, mixed, so
   * no two instances in any process share a jitter stream. Use this in production.
   *
   * @return a new strategy
   */
  public static ThrottleStrategy defaultStrategy() {
    return defaultStrategy(ProcessSeed.next());
  }

  /**
   * Returns the library default: {@link DiscoveryPacingStrategy}. It paces all threads of a client on one schedule
   * from every figure the server sends (remaining, reset, policy, Retry-After), never sends before a Retry-After or
   * before an exhausted quota is back, and discovers the rate from the server's pushback when it sends no figures
   * (docs/strategy.md).
   *
   * @param seed the jitter seed, for reproducible runs (tests, simulations); in production use
   *     {@link #defaultStrategy()}, which seeds itself
   * @return a new strategy
   */
  public static ThrottleStrategy defaultStrategy(long seed) {
    return DiscoveryPacingStrategy.withSeed(seed);
  }

  /** The per-process seed, drawn from {@link SecureRandom} when first needed, and the instance counter. */
  static final class ProcessSeed {
    private static final long BASE = new SecureRandom().nextLong();
    private static final AtomicLong COUNTER = new AtomicLong();

    private ProcessSeed() {}

    /** Returns the next instance's seed: SplitMix64 of base + n × gamma, distinct for each n. */
    static long next() {
      long z = BASE + COUNTER.incrementAndGet() * GOLDEN_GAMMA;
      z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
      return z ^ (z >>> 31);
    }
  }
}
