package dev.throttle.sim.metrics;

/**
 * Mean and 95 % confidence half-width over replications, using Student's t distribution.
 */
public final class StudentT {

  // Two-sided 95 % critical values t(0.975, df) for df = 1..30.
  private static final double[] T975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042
  };

  private StudentT() {}

  /**
   * Returns t(0.975, df), the critical value of a two-sided 95 % interval.
   *
   * @param df degrees of freedom, {@code >= 1}
   * @return t(0.975, df), the critical value of a two-sided 95 % interval
   * @throws IllegalArgumentException if {@code df < 1}
   */
  public static double critical95(int df) {
    if (df < 1) {
      throw new IllegalArgumentException("degrees of freedom must be >= 1, was " + df);
    }
    if (df <= 30) {
      return T975[df - 1];
    }
    if (df <= 40) {
      return 2.042 + (2.021 - 2.042) * (df - 30) / 10.0;
    }
    if (df <= 60) {
      return 2.021 + (2.000 - 2.021) * (df - 40) / 20.0;
    }
    if (df <= 120) {
      return 2.000 + (1.980 - 2.000) * (df - 60) / 60.0;
    }
    return 1.960;
  }

  /**
   * Returns the mean and the 95 % confidence half-width {@code t · s / √n} (s = sample stdev) of the values;
   * the half-width is 0 for one value. NaN values are ignored; all NaN gives NaN.
   * @param values the values, one per run
   * @return the mean and the 95 % confidence half-width
   */
  public static Estimate estimate(double[] values) {
    int n = 0;
    double sum = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        n++;
        sum += v;
      }
    }
    if (n == 0) {
      return new Estimate(Double.NaN, Double.NaN, 0);
    }
    double mean = sum / n;
    if (n == 1) {
      return new Estimate(mean, 0, 1);
    }
    double ss = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        ss += (v - mean) * (v - mean);
      }
    }
    double s = Math.sqrt(ss / (n - 1));
    return new Estimate(mean, critical95(n - 1) * s / Math.sqrt(n), n);
  }

  /**
   * A mean with its 95 % confidence half-width.
   *
   * @param mean the mean
   * @param halfWidth the half-width (0 for a single run)
   * @param n the number of values used
   */
  public record Estimate(double mean, double halfWidth, int n) {}
}
