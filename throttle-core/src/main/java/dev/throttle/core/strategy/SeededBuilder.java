package dev.throttle.core.strategy;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The {@code seed(long)} / {@code random(RandomGenerator)} setters shared by the builders of randomized
 * strategies, self-typed so that each setter returns the concrete builder. Public only because public
 * builders inherit its setters; it cannot be extended outside this package. Not thread-safe.
 *
 * @param <B> the concrete builder type
 */
public abstract class SeededBuilder<B extends SeededBuilder<B>> {
  private long seed = Strategies.DEFAULT_SEED;
  private RandomGenerator random;

  SeededBuilder() {}

  @SuppressWarnings("unchecked")
  final B self() {
    return (B) this;
  }

  /**
   * Sets the seed of the strategy's random stream (its jitter), ignored if {@link #random} is set; default
   * {@link Strategies#DEFAULT_SEED}.
   *
   * @param seed the new value
   * @return this builder
   */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /**
   * Uses this generator for the strategy's jitter instead of a seeded stream; it is only called under a lock
   * on itself.
   *
   * @param random the new value
   * @return this builder
   * @throws NullPointerException if {@code random} is null
   */
  public B random(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return self();
  }

  /** Returns a new source for the strategy being built: the generator if one was set, else a seeded stream. */
  final JitterSource jitterSource() {
    return JitterSource.from(random, seed);
  }
}
