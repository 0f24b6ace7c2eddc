package dev.throttle.sim.model;

import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A distribution of durations in nanoseconds: fixed, uniform over {@code [min, max]} or exponential with a
 * mean. Parsed from the CLI as {@code 20ms}, {@code uniform:10ms-50ms} or {@code exp:20ms}. Immutable and
 * thread-safe; draws take the caller's random source, so a run stays deterministic for its seed.
 */
public final class Latency {

  /** The kind of distribution. */
  public enum Kind {
    /** Always the same duration. */
    FIXED,
    /** Uniform over {@code [min, max]}. */
    UNIFORM,
    /** Exponential with a mean. */
    EXPONENTIAL
  }

  /** No latency at all. */
  public static final Latency ZERO = fixed(0);

  private final Kind kind;
  private final long a;
  private final long b;

  private Latency(Kind kind, long a, long b) {
    this.kind = kind;
    this.a = a;
    this.b = b;
  }

  /**
   * Returns a constant duration.
   *
   * @param nanos the duration in nanoseconds, {@code >= 0}
   * @return a constant duration
   * @throws IllegalArgumentException if {@code nanos < 0}
   */
  public static Latency fixed(long nanos) {
    requireNonNegative(nanos, "latency");
    return new Latency(Kind.FIXED, nanos, nanos);
  }

  /**
   * Returns a duration uniform over {@code [minNanos, maxNanos]}.
   *
   * @param minNanos the shortest duration in nanoseconds
   * @param maxNanos the longest duration in nanoseconds
   * @return a duration uniform over {@code [minNanos, maxNanos]}
   * @throws IllegalArgumentException if {@code minNanos < 0} or {@code maxNanos < minNanos}
   */
  public static Latency uniform(long minNanos, long maxNanos) {
    requireNonNegative(minNanos, "min latency");
    if (maxNanos < minNanos) {
      throw new IllegalArgumentException("max latency " + maxNanos + " ns is below min " + minNanos + " ns");
    }
    return new Latency(Kind.UNIFORM, minNanos, maxNanos);
  }

  /**
   * Returns an exponentially distributed duration with the given mean (capped at 50 times the mean).
   *
   * @param meanNanos the mean in nanoseconds
   * @return an exponentially distributed duration with the given mean (capped at 50 times the mean)
   * @throws IllegalArgumentException if {@code meanNanos < 0}
   */
  public static Latency exponential(long meanNanos) {
    requireNonNegative(meanNanos, "mean latency");
    return new Latency(Kind.EXPONENTIAL, meanNanos, meanNanos);
  }

  /**
   * Parses {@code 0}, {@code 20ms}, {@code uniform:10ms-50ms}, {@code exp:20ms} (units ns, us, ms, s, m, h).
   *
   * @param text the text
   * @return the latency
   * @throws IllegalArgumentException if the text is not one of these forms
   */
  public static Latency parse(String text) {
    Objects.requireNonNull(text, "latency");
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("uniform:")) {
      String[] parts = t.substring("uniform:".length()).split("-");
      if (parts.length != 2) {
        throw new IllegalArgumentException("expected uniform:MIN-MAX, e.g. uniform:10ms-50ms, got '" + text + "'");
      }
      return uniform(Durations.parseNanos(parts[0]), Durations.parseNanos(parts[1]));
    }
    if (t.startsWith("exp:")) {
      return exponential(Durations.parseNanos(t.substring("exp:".length())));
    }
    return fixed(Durations.parseNanos(t));
  }

  /**
   * Returns the kind.
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the mean in nanoseconds.
   * @return the mean in nanoseconds
   */
  public long meanNanos() {
    return kind == Kind.UNIFORM ? a + (b - a) / 2 : a;
  }

  /**
   * Returns true if every draw is 0.
   * @return {@code true} if every draw is 0
   */
  public boolean isZero() {
    return kind != Kind.UNIFORM ? a == 0 : b == 0;
  }

  /**
   * Draws one duration in nanoseconds, {@code >= 0}; a fixed latency consumes no randomness.
   * @param random the caller's random source
   * @return the duration in nanoseconds, {@code >= 0}
   */
  public long draw(SplittableRandom random) {
    switch (kind) {
      case FIXED:
        return a;
      case UNIFORM:
        return a == b ? a : random.nextLong(a, b + 1);
      default:
        if (a == 0) {
          return 0;
        }
        double u = random.nextDouble();
        double x = -Math.log1p(-u) * a;
        return (long) Math.min(x, 50.0 * a);
    }
  }

  private static void requireNonNegative(long nanos, String what) {
    if (nanos < 0) {
      throw new IllegalArgumentException(what + " must be >= 0 ns, was " + nanos);
    }
  }

  @Override
  public String toString() {
    switch (kind) {
      case FIXED:
        return Durations.format(a);
      case UNIFORM:
        return "uniform:" + Durations.format(a) + "-" + Durations.format(b);
      default:
        return "exp:" + Durations.format(a);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Latency l && l.kind == kind && l.a == a && l.b == b;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, a, b);
  }
}
