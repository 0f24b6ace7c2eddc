package dev.throttle.sim.metrics;

/**
 * The raw outcome of one simulation run (one strategy, one scenario, one seed) and the metrics derived from it.
 * Per-client arrays are indexed by client number. Immutable once returned by the engine (arrays are not copied:
 * do not modify them).
 */
public final class RunResult {

  private final long seed;
  private final long[] attempts;
  private final long[] successes;
  private final long[] limited;
  private final long[] giveUps;
  private final LogHistogram waits;
  private final TimeSeries series;
  private final long elapsedNanos;
  private final long completionNanos;
  private final double allowance;
  private final boolean truncated;
  private final java.util.List<Stage> stages;

  /**
   * Creates a result.
   *
   * @param seed the run's seed
   * @param attempts attempts sent per client (429s included)
   * @param successes non-429 answers per client
   * @param limited 429 answers per client
   * @param giveUps logical requests the policy gave up on, per client
   * @param waits every wait before an attempt (zeros included), in nanoseconds
   * @param series per-client time series, or null if the run did not record them
   * @param elapsedNanos virtual time the run covered
   * @param completionNanos when the last client finished its work, or -1 if some client was still working at
   *     the end (closed loops always are)
   * @param allowance what the limit allowed over the run ({@link Metrics#allowance})
   * @param truncated true if the run hit the safety stop on attempts
   * @param stages the run's stages, split at every scheduled join and leave, in time order (one for a run without
   *     joins or leaves)
   */
  public RunResult(long seed, long[] attempts, long[] successes, long[] limited, long[] giveUps,
      LogHistogram waits, TimeSeries series, long elapsedNanos, long completionNanos, double allowance,
      boolean truncated, java.util.List<Stage> stages) {
    this.seed = seed;
    this.attempts = attempts;
    this.successes = successes;
    this.limited = limited;
    this.giveUps = giveUps;
    this.waits = waits;
    this.series = series;
    this.elapsedNanos = elapsedNanos;
    this.completionNanos = completionNanos;
    this.allowance = allowance;
    this.truncated = truncated;
    this.stages = java.util.List.copyOf(stages);
  }

  /**
   * Returns the stages, split at every scheduled join and leave, in time order.
   * @return the stages, in time order
   */
  public java.util.List<Stage> stages() {
    return stages;
  }

  /**
   * Returns the seed.
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * Returns attempts per client.
   * @return attempts per client
   */
  public long[] attempts() {
    return attempts;
  }

  /**
   * Returns successful (non-429) answers per client.
   * @return successful (non-429) answers per client
   */
  public long[] successes() {
    return successes;
  }

  /**
   * Returns 429 answers per client.
   * @return 429 answers per client
   */
  public long[] limited() {
    return limited;
  }

  /**
   * Returns give-ups per client.
   * @return give-ups per client
   */
  public long[] giveUps() {
    return giveUps;
  }

  /**
   * Returns the histogram of waits before attempts.
   * @return the histogram of waits before attempts
   */
  public LogHistogram waits() {
    return waits;
  }

  /** Returns the time series, or null if the run did not record them (no report asked for charts). */
  public TimeSeries series() {
    return series;
  }

  /**
   * Returns the virtual time covered.
   * @return the virtual time covered
   */
  public long elapsedNanos() {
    return elapsedNanos;
  }

  /**
   * Returns when the last client finished its work, -1 if not all did.
   * @return when the last client finished its work, -1 if not all did
   */
  public long completionNanos() {
    return completionNanos;
  }

  /**
   * Returns the allowance.
   * @return the allowance
   */
  public double allowance() {
    return allowance;
  }

  /**
   * Returns true if the run hit the safety stop.
   * @return {@code true} if the run hit the safety stop
   */
  public boolean truncated() {
    return truncated;
  }

  /**
   * Returns true if {@code other} had exactly the same outcome, seed aside: the same per-client counts, the same
   * waits (count, sum and maximum), the same elapsed and completion times and allowance.
   */
  public boolean sameOutcome(RunResult other) {
    return java.util.Arrays.equals(attempts, other.attempts) && java.util.Arrays.equals(successes, other.successes)
        && java.util.Arrays.equals(limited, other.limited) && java.util.Arrays.equals(giveUps, other.giveUps)
        && waits.count() == other.waits.count() && waits.max() == other.waits.max()
        && Double.compare(waits.mean(), other.waits.mean()) == 0 && elapsedNanos == other.elapsedNanos
        && completionNanos == other.completionNanos && Double.compare(allowance, other.allowance) == 0
        && truncated == other.truncated && stages.equals(other.stages);
  }

  /** Returns the total attempts. */
  public long totalAttempts() {
    return Metrics.sum(attempts);
  }

  /**
   * Returns the total successful requests.
   * @return the total successful requests
   */
  public long totalSuccesses() {
    return Metrics.sum(successes);
  }

  /**
   * Returns the total 429 responses.
   * @return the total 429 responses
   */
  public long totalLimited() {
    return Metrics.sum(limited);
  }
}
