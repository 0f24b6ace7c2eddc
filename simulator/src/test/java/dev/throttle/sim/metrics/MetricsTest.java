package dev.throttle.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Metric functions on small hand-made traces, with the expected values worked out by hand. */
class MetricsTest {

  // Three clients: attempts 10, 20, 10; of which 429s 5, 2, 0; so successes 5, 18, 10.
  private final long[] attempts = {10, 20, 10};
  private final long[] limited = {5, 2, 0};
  private final long[] successes = {5, 18, 10};

  @Test
  void pooledRetryRateIsAll429sOverAllAttempts() {
    assertEquals(7.0 / 40, Metrics.retryRate(limited, attempts), 1e-12);
  }

  @Test
  void herokuRetryRateIsTheMeanOfPerClientRatios() {
    assertEquals((0.5 + 0.1 + 0.0) / 3, Metrics.herokuRetryRate(limited, attempts), 1e-12);
  }

  @Test
  void herokuRetryRateSkipsClientsThatSentNothing() {
    assertEquals(0.5, Metrics.herokuRetryRate(new long[] {1, 0}, new long[] {2, 0}), 1e-12);
    assertEquals(0, Metrics.retryRate(new long[] {0}, new long[] {0}));
  }

  @Test
  void populationAndSampleStdev() {
    // successes 5, 18, 10: mean 11, squared deviations 36 + 49 + 1 = 86
    assertEquals(Math.sqrt(86.0 / 3), Metrics.stdev(successes), 1e-12);
    assertEquals(Math.sqrt(86.0 / 2), Metrics.sampleStdev(successes), 1e-12);
    assertEquals(0, Metrics.sampleStdev(new long[] {7}));
  }

  @Test
  void jainIndexIsOneForEqualSharesAndOneOverNForOneWinner() {
    assertEquals(1.0, Metrics.jainIndex(new long[] {4, 4, 4, 4}), 1e-12);
    assertEquals(0.25, Metrics.jainIndex(new long[] {9, 0, 0, 0}), 1e-12);
    // (5 + 18 + 10)^2 / (3 * (25 + 324 + 100)) = 1089 / 1347
    assertEquals(1089.0 / 1347, Metrics.jainIndex(successes), 1e-12);
    assertEquals(1.0, Metrics.jainIndex(new long[] {0, 0}));
  }

  @Test
  void allowanceAddsOneUnitPerEmissionIntervalPiecewise() {
    // 2 units banked; T = 10 ns for [0, 100), T = 20 ns from 100 on; run ends at 160.
    double a = Metrics.allowance(2, new long[] {0, 100}, new long[] {10, 20}, 160);
    assertEquals(2 + 10 + 3, a, 1e-12);
    // A change after the end does not count.
    assertEquals(2 + 5, Metrics.allowance(2, new long[] {0, 100}, new long[] {10, 20}, 50), 1e-12);
    assertEquals(0.5, Metrics.utilisation(6, 12), 1e-12);
    assertTrue(Double.isNaN(Metrics.utilisation(1, 0)));
  }

  @Test
  void studentTIntervalOnKnownValues() {
    // values 1, 2, 3: mean 2, s = 1, t(0.975, 2) = 4.303, half-width 4.303 / sqrt(3)
    StudentT.Estimate e = StudentT.estimate(new double[] {1, 2, 3});
    assertEquals(2, e.mean(), 1e-12);
    assertEquals(4.303 / Math.sqrt(3), e.halfWidth(), 1e-9);
    assertEquals(0, StudentT.estimate(new double[] {5}).halfWidth());
    assertTrue(Double.isNaN(StudentT.estimate(new double[] {Double.NaN}).mean()));
    assertEquals(1.96, StudentT.critical95(1000), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> StudentT.critical95(0));
  }

  @Test
  void histogramPercentilesAreExactForSmallValuesAndWithinOnePercentAbove() {
    LogHistogram h = new LogHistogram();
    for (long v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertEquals(50, h.percentile(0.5));
    assertEquals(99, h.percentile(0.99));
    assertEquals(100, h.max());
    assertEquals(1, h.percentile(0));

    LogHistogram big = new LogHistogram();
    long[] values = {800_000_000L, 960_000_000L, 1_152_000_000L, 17_310_000_000L};
    for (long v : values) {
      big.record(v);
    }
    assertEquals(960_000_000L, big.percentile(0.5), 960_000_000L * 0.008);
    assertEquals(17_310_000_000L, big.percentile(1.0));
    assertEquals(17_310_000_000L, big.max());
    assertThrows(IllegalArgumentException.class, () -> big.record(-1));
    assertEquals(0, new LogHistogram().percentile(0.99));
  }

  @Test
  void histogramBucketsRoundTripWithinPrecision() {
    for (long v = 0; v < 1_000_000; v = v * 3 + 1) {
      long r = LogHistogram.representative(LogHistogram.index(v));
      assertTrue(Math.abs(r - v) <= Math.max(0, v / 128), "value " + v + " came back as " + r);
    }
  }
}
