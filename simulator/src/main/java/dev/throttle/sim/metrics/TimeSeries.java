package dev.throttle.sim.metrics;

/**
 * Per-client counts in equal time bins over a run, for the report's charts: successful requests, 429
 * responses, and the waits before attempts (sum and count, for the mean wait per bin). Not thread-safe.
 */
public final class TimeSeries {

  private final long binNanos;
  private final int bins;
  private final int[][] successes;
  private final int[][] limited;
  private final long[][] waitSum;
  private final int[][] waitCount;

  /**
   * Creates empty series.
   *
   * @param clients number of clients
   * @param bins number of bins
   * @param durationNanos the time the bins cover, from 0
   */
  public TimeSeries(int clients, int bins, long durationNanos) {
    this.bins = bins;
    this.binNanos = Math.max(1, (durationNanos + bins - 1) / bins);
    successes = new int[clients][bins];
    limited = new int[clients][bins];
    waitSum = new long[clients][bins];
    waitCount = new int[clients][bins];
  }

  private int bin(long nanos) {
    long b = nanos / binNanos;
    return (int) Math.min(Math.max(b, 0), bins - 1);
  }

  /**
   * Records a response to client {@code c} at {@code nanos}.
   * @param c the client index
   * @param nanos the virtual time in nanoseconds
   * @param success whether the response was a success
   */
  public void recordResponse(int c, long nanos, boolean success) {
    int b = bin(nanos);
    if (success) {
      successes[c][b]++;
    } else {
      limited[c][b]++;
    }
  }

  /**
   * Records that client {@code c} sent an attempt at {@code nanos} after waiting {@code waitNanos}.
   * @param c the client index
   * @param nanos the virtual time of the attempt in nanoseconds
   * @param waitNanos the wait before it in nanoseconds
   */
  public void recordWait(int c, long nanos, long waitNanos) {
    int b = bin(nanos);
    waitSum[c][b] += waitNanos;
    waitCount[c][b]++;
  }

  /**
   * Returns the number of bins.
   * @return the number of bins
   */
  public int bins() {
    return bins;
  }

  /**
   * Returns the number of clients.
   * @return the number of clients
   */
  public int clients() {
    return successes.length;
  }

  /**
   * Returns the width of one bin in nanoseconds.
   * @return the width of one bin in nanoseconds
   */
  public long binNanos() {
    return binNanos;
  }

  /**
   * Returns client {@code c}'s successful requests per second in bin {@code b}.
   * @param c the client index
   * @param b the bin index
   * @return client {@code c}'s successful requests per second in bin {@code b}
   */
  public double successRate(int c, int b) {
    return successes[c][b] * 1e9 / binNanos;
  }

  /**
   * Returns client {@code c}'s 429 responses in bin {@code b}.
   * @param c the client index
   * @param b the bin index
   * @return client {@code c}'s 429 responses in bin {@code b}
   */
  public int limited(int c, int b) {
    return limited[c][b];
  }

  /**
   * Returns client {@code c}'s mean wait before an attempt in bin {@code b}, in seconds; NaN if it sent none.
   * @param c the client index
   * @param b the bin index
   * @return client {@code c}'s mean wait before an attempt in bin {@code b}, in seconds; NaN if it sent none
   */
  public double meanWaitSeconds(int c, int b) {
    return waitCount[c][b] == 0 ? Double.NaN : waitSum[c][b] / 1e9 / waitCount[c][b];
  }
}
