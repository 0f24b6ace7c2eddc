package dev.throttle.core.strategy;

import java.util.random.RandomGenerator;

/** A RandomGenerator returning the given doubles in order (the last one repeats), for hand-computed tests. */
final class FixedRandom implements RandomGenerator {
  private final double[] values;
  private int next;
  private int draws;

  FixedRandom(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("values");
    }
    this.values = values.clone();
  }

  @Override
  public double nextDouble() {
    draws++;
    double d = values[Math.min(next, values.length - 1)];
    next++;
    return d;
  }

  @Override
  public long nextLong() {
    return (long) (nextDouble() * Long.MAX_VALUE);
  }

  int draws() {
    return draws;
  }
}
