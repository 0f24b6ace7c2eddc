package dev.throttle.core.strategy;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A thread-safe source of uniform doubles in {@code [0, 1)} for jitter, shared by every thread of a strategy.
 *
 * <p>{@link #seeded(long)} is a lock-free SplitMix64 stream: each draw atomically advances a 64-bit counter
 * and mixes it, so one thread drawing in a fixed order always sees the same sequence for the same seed, and
 * concurrent threads each get distinct values without locking. {@link #of(RandomGenerator)} adapts a
 * caller-supplied generator (most are not thread-safe) by drawing under a lock on that generator.
 */
abstract class JitterSource {

  /** Returns a uniform double in {@code [0, 1)}. */
  abstract double nextDouble();

  /** Returns a lock-free seeded source. */
  static JitterSource seeded(long seed) {
    return new SplitMix(seed);
  }

  /** Returns a source drawing from {@code generator} under a lock on it. */
  static JitterSource of(RandomGenerator generator) {
    return new Locked(Objects.requireNonNull(generator, "random"));
  }

  /** Builder helper: the explicit generator if one was given, otherwise a seeded stream. */
  static JitterSource from(RandomGenerator generatorOrNull, long seed) {
    return generatorOrNull != null ? of(generatorOrNull) : seeded(seed);
  }

  private static final class SplitMix extends JitterSource {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private final AtomicLong state;

    SplitMix(long seed) {
      state = new AtomicLong(seed);
    }

    @Override
    double nextDouble() {
      long z = state.addAndGet(GOLDEN_GAMMA);
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      z = z ^ (z >>> 31);
      return (z >>> 11) * 0x1.0p-53;
    }
  }

  private static final class Locked extends JitterSource {
    private final RandomGenerator generator;

    Locked(RandomGenerator generator) {
      this.generator = generator;
    }

    @Override
    double nextDouble() {
      double d;
      synchronized (generator) {
        d = generator.nextDouble();
      }
      // Guard against generators that break the [0, 1) contract.
      return d >= 0 && d < 1 ? d : 0;
    }
  }
}
