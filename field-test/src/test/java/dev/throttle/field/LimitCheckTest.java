package dev.throttle.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check of nginx's own record finds a breach of its limit when there is one, and only then. */
class LimitCheckTest {

  /**
   * The admission times (ms) of nginx's {@code limit_req} with {@code nodelay} for a client that asks as often as
   * possible, by nginx's own arithmetic (excess in thousandths of a request: a new key starts at 0, each request
   * adds 1000 after draining {@code rate × ms}; above {@code burst × 1000} it is rejected).
   */
  static List<Long> nginxAdmissions(int rate, int burst, long millis) {
    List<Long> out = new ArrayList<>();
    out.add(0L);
    long excess = 0;
    long last = 0;
    for (long t = 0; t <= millis; t++) {
      while (true) {
        long e = Math.max(0, excess - (long) rate * (t - last) + 1000);
        if (e > burst * 1000L) {
          break;
        }
        excess = e;
        last = t;
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void aGreedyClientOfRealLimitReqBreachesNothing() {
    List<Long> admitted = nginxAdmissions(20, 10, 5_000);
    assertEquals(11 + 100, admitted.size(), "burst + 1 at once, then 20/s");
    assertEquals(List.of(), NginxServer.violations(admitted, 20, 10));
  }

  @Test
  void extraAdmissionsBeyondTheSlackAreABreach() {
    List<Long> admitted = new ArrayList<>(nginxAdmissions(20, 10, 2_000));
    admitted.add(1_000L);
    admitted.sort(null);
    assertEquals(List.of(), NginxServer.violations(admitted, 20, 10), "one extra is within the slack");
    admitted.add(1_000L);
    admitted.sort(null);
    assertFalse(NginxServer.violations(admitted, 20, 10).isEmpty(), "two extra were not found");
  }

  @Test
  void theSameRecordBreachesHalfTheRate() {
    assertFalse(NginxServer.violations(nginxAdmissions(20, 10, 3_000), 10, 10).isEmpty());
  }

  @Test
  void jainAndQuantiles() {
    assertEquals(1.0, Cell.jain(new long[] {5, 5, 5, 5}), 1e-12);
    assertEquals(0.25, Cell.jain(new long[] {8, 0, 0, 0}), 1e-12);
    assertTrue(Double.isNaN(Cell.jain(new long[] {0, 0})));
    double[] sorted = new double[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertEquals(50, Cell.quantile(sorted, 0.5));
    assertEquals(99, Cell.quantile(sorted, 0.99));
    assertEquals(100, Cell.quantile(sorted, 1.0));
  }
}
