package dev.throttle.core;

/**
 * Factories for the library's strategies.
 */
public final class Strategies {

  /**
   * The jitter seed every strategy builder uses unless {@code seed(long)} or {@code random(..)} is called:
   * {@value}. Reproducible by design; processes that share one server should pass distinct seeds (for
   * example a host or process id) so that their jitter streams differ.
   */
  public static final long DEFAULT_SEED = 0x5EED_7407_71EL;

  private Strategies() {}
}
