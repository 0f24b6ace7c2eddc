package dev.throttle.sim.metrics;

/**
 * A histogram of non-negative {@code long} values (nanoseconds) in log-linear buckets: exact below 128, above
 * that 128 buckets per power of two, so a reported percentile is within 0.8 % of a recorded value. The maximum
 * is exact. Recording allocates nothing. Not thread-safe.
 */
public final class LogHistogram {

  private static final int SUB_BITS = 7;
  private static final int SUB = 1 << SUB_BITS;
  private static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long max;
  private double sum;

  /**
   * Records one value.
   *
   * @param value the value, {@code >= 0}
   * @throws IllegalArgumentException if {@code value < 0}
   */
  public void record(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("value must be >= 0, was " + value);
    }
    counts[index(value)]++;
    count++;
    sum += value;
    if (value > max) {
      max = value;
    }
  }

  /**
   * Adds every value recorded in {@code other}.
   * @param other the histogram whose values to add
   */
  public void addAll(LogHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    max = Math.max(max, other.max);
  }

  /**
   * Returns the number of recorded values.
   * @return the number of recorded values
   */
  public long count() {
    return count;
  }

  /**
   * Returns the largest recorded value, 0 if none.
   * @return the largest recorded value, 0 if none
   */
  public long max() {
    return max;
  }

  /**
   * Returns the mean of the recorded values, 0 if none.
   * @return the mean of the recorded values, 0 if none
   */
  public double mean() {
    return count == 0 ? 0 : sum / count;
  }

  /**
   * Returns the nearest-rank percentile: the smallest bucket value such that at least {@code p} of the recorded
   * values are at or below it (never above the exact maximum; the exact maximum for the top rank); 0 if nothing
   * was recorded.
   *
   * @param p the fraction in {@code [0, 1]}
   * @return the nearest-rank percentile; 0 if nothing was recorded
   * @throws IllegalArgumentException if {@code p} is outside {@code [0, 1]}
   */
  public long percentile(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("percentile must be in [0, 1], was " + p);
    }
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p * count));
    if (rank >= count) {
      return max;
    }
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(representative(i), max);
      }
    }
    return max;
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v);
    int shift = exp - SUB_BITS;
    int mantissa = (int) ((v >>> shift) & (SUB - 1));
    return SUB + shift * SUB + mantissa;
  }

  /** The middle of bucket {@code i} (exact values below 128). */
  static long representative(int i) {
    if (i < SUB) {
      return i;
    }
    int shift = (i - SUB) / SUB + 1;
    long mantissa = (i - SUB) % SUB;
    long lower = (SUB + mantissa) << (shift - 1);
    long width = 1L << (shift - 1);
    return lower + (width - 1) / 2;
  }
}
