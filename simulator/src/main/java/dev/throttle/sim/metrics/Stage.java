package dev.throttle.sim.metrics;

import java.util.Arrays;

/**
 * One stage of a run: an interval between two consecutive instants at which the scenario's clients join or leave,
 * with the successful requests of the clients present during the whole stage. A run without joins or leaves has
 * one stage, the whole run. Arrays are not copied: do not modify them. Immutable once built; thread-safe.
 *
 * @param startNanos start of the stage, virtual nanoseconds (inclusive)
 * @param endNanos end of the stage, virtual nanoseconds (exclusive, except that the run's last instant belongs to
 *     its last stage)
 * @param clients indices of the clients present from the stage's start to its end (those that joined at or before
 *     the start and leave at or after the end)
 * @param successes successes of each of those clients during the stage, aligned with {@code clients}
 * @param settledSuccesses successes of each of those clients from {@link #settledFrom} to the stage's end
 */
public record Stage(long startNanos, long endNanos, int[] clients, long[] successes, long[] settledSuccesses) {

  /** Settling time skipped at the start of each stage by {@link #settledJain()}: 2 minutes, in nanoseconds. */
  public static final long SETTLE_NANOS = 120_000_000_000L;

  /**
   * Checks the arrays.
   *
   * @param startNanos start of the stage
   * @param endNanos end of the stage
   * @param clients indices of the clients present throughout
   * @param successes successes per client present throughout
   * @param settledSuccesses successes per client present throughout, after the settling time
   * @throws IllegalArgumentException if the arrays differ in length or {@code endNanos < startNanos}
   */
  public Stage {
    if (clients.length != successes.length || clients.length != settledSuccesses.length) {
      throw new IllegalArgumentException("clients, successes and settledSuccesses must have the same length");
    }
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("stage ends before it starts: " + startNanos + " > " + endNanos);
    }
  }

  /**
   * Returns the instant from which {@link #settledSuccesses} count: the start plus {@link #SETTLE_NANOS}, or plus
   * half the stage if the stage is shorter than twice that.
   *
   * @param startNanos start of the stage
   * @param endNanos end of the stage
   * @return the start of the settled part, in virtual nanoseconds
   */
  public static long settledFrom(long startNanos, long endNanos) {
    return startNanos + Math.min(SETTLE_NANOS, (endNanos - startNanos) / 2);
  }

  /**
   * Returns Jain's index over the successes of the clients present throughout the stage
   * ({@link Metrics#jainIndex}; 1 when there are none).
   * @return Jain's index over the stage's successes, in [1/n, 1]
   */
  public double jain() {
    return Metrics.jainIndex(successes);
  }

  /**
   * Returns Jain's index over the successes after the settling time ({@link #settledFrom}).
   * @return Jain's index over the stage's settled successes, in [1/n, 1]
   */
  public double settledJain() {
    return Metrics.jainIndex(settledSuccesses);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stage s && startNanos == s.startNanos && endNanos == s.endNanos
        && Arrays.equals(clients, s.clients) && Arrays.equals(successes, s.successes)
        && Arrays.equals(settledSuccesses, s.settledSuccesses);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(successes) * 31 + Long.hashCode(startNanos);
  }

  @Override
  public String toString() {
    return "Stage[" + startNanos + ".." + endNanos + ", clients=" + Arrays.toString(clients) + ", successes="
        + Arrays.toString(successes) + ", settled=" + Arrays.toString(settledSuccesses) + "]";
  }
}
