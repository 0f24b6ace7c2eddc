package dev.throttle.sim.metrics;

/**
 * The simulator's metric definitions as small pure functions over per-client counts. Each documents exactly
 * what it computes; {@code heroku*} functions reproduce the definitions of Heroku's {@code rate_throttle_client}
 * demo so its published numbers can be set beside ours.
 */
public final class Metrics {

  private Metrics() {}

  /**
   * Retry rate, pooled: all 429 responses divided by all attempts (429s included), over every client.
   * 0 when there were no attempts.
   * @param limited 429 responses per client
   * @param attempts attempts per client, 429s included
   * @return the pooled retry rate, in [0, 1]
   */
  public static double retryRate(long[] limited, long[] attempts) {
    long l = sum(limited);
    long a = sum(attempts);
    return a == 0 ? 0 : (double) l / a;
  }

  /**
   * Heroku's "Avg retry rate": the unweighted mean over clients of {@code retry_count_i / request_count_i},
   * where the request count includes the 429s. Clients that sent nothing are skipped. 0 if none sent.
   * @param limited 429 responses per client
   * @param attempts attempts per client, 429s included
   * @return the mean of the per-client retry rates
   */
  public static double herokuRetryRate(long[] limited, long[] attempts) {
    double total = 0;
    int n = 0;
    for (int i = 0; i < attempts.length; i++) {
      if (attempts[i] > 0) {
        total += (double) limited[i] / attempts[i];
        n++;
      }
    }
    return n == 0 ? 0 : total / n;
  }

  /**
   * Population standard deviation (divide by n) of the values; 0 for fewer than one value.
   * @param values the values
   * @return the population standard deviation
   */
  public static double stdev(long[] values) {
    int n = values.length;
    if (n == 0) {
      return 0;
    }
    double mean = (double) sum(values) / n;
    double ss = 0;
    for (long v : values) {
      ss += (v - mean) * (v - mean);
    }
    return Math.sqrt(ss / n);
  }

  /**
   * Sample standard deviation (divide by n - 1), as Heroku's "Stdev Request Count" computed it (with Ruby's
   * {@code enumerable-statistics}); 0 for fewer than two values. Heroku applied it to attempts, 429s included.
   * @param values the values
   * @return the sample standard deviation
   */
  public static double sampleStdev(long[] values) {
    int n = values.length;
    if (n < 2) {
      return 0;
    }
    double mean = (double) sum(values) / n;
    double ss = 0;
    for (long v : values) {
      ss += (v - mean) * (v - mean);
    }
    return Math.sqrt(ss / (n - 1));
  }

  /**
   * Jain's fairness index {@code (Σx)² / (n · Σx²)}: 1 when every client got the same, 1/n when one client got
   * everything. Computed over successful requests. 1 when every value is 0 (nobody was favoured).
   * @param values the values, one per client
   * @return the index, in [1/n, 1]
   */
  public static double jainIndex(long[] values) {
    int n = values.length;
    if (n == 0) {
      return 1;
    }
    double s = 0;
    double s2 = 0;
    for (long v : values) {
      s += v;
      s2 += (double) v * v;
    }
    return s2 == 0 ? 1 : s * s / (n * s2);
  }

  /**
   * The smallest Jain's index over the stages of a run ({@link Stage#jain()}, or {@link Stage#settledJain()} when
   * {@code settled}): the least fair stage. 1 for no stages.
   * @param stages the run's stages
   * @param settled whether to count each stage after its settling time only
   * @return the minimum over stages of Jain's index, in (0, 1]
   */
  public static double minStageJain(java.util.List<Stage> stages, boolean settled) {
    double min = 1;
    for (Stage s : stages) {
      min = Math.min(min, settled ? s.settledJain() : s.jain());
    }
    return min;
  }

  /**
   * What the limit allows over a run to a perfectly greedy client: the units available at the start plus one
   * per emission interval of elapsed time, summed piecewise when the rate changes. A greedy client keeps the
   * bucket empty, so no credit is lost to the capacity cap.
   *
   * @param initialRemaining units available at time 0
   * @param segmentStarts start times of the rate segments, the first being 0, increasing
   * @param segmentIntervals emission interval T in nanoseconds of each segment
   * @param endNanos end of the run
   * @return the units the limit allows a greedy client over the run
   */
  public static double allowance(long initialRemaining, long[] segmentStarts, long[] segmentIntervals,
      long endNanos) {
    double total = initialRemaining;
    for (int i = 0; i < segmentStarts.length; i++) {
      long start = segmentStarts[i];
      long end = i + 1 < segmentStarts.length ? Math.min(segmentStarts[i + 1], endNanos) : endNanos;
      if (end > start) {
        total += (double) (end - start) / segmentIntervals[i];
      }
    }
    return total;
  }

  /**
   * Server utilisation: successful requests divided by {@link #allowance}; NaN when the allowance is 0.
   * @param successes successful requests
   * @param allowance the allowance, see {@link #allowance}
   * @return the utilisation; NaN when the allowance is 0
   */
  public static double utilisation(long successes, double allowance) {
    return allowance <= 0 ? Double.NaN : successes / allowance;
  }

  /**
   * Returns the sum of the values.
   * @param values the values
   * @return the sum of the values
   */
  public static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }
}
