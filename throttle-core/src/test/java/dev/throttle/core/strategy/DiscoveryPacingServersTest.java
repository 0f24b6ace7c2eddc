package dev.throttle.core.strategy;

import static dev.throttle.core.strategy.TestServers.S;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.limiter.Rate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * DiscoveryPacingStrategy (under the Retry-After floor) against small models of the servers that defeated the previous one (8 threads sharing one
 * instance, 1 ms round trips, 120 s): express-rate-limit's fixed window with draft and legacy headers, and nginx's
 * header-less leaky bucket. Bounds are the field goals, checked for several seeds.
 */
class DiscoveryPacingServersTest {

  private static final long MS = 1_000_000L;

  private static void report(String what, TestServers.Run r, double limit) {
    String msg = what + ": goodput " + r.goodput(0, 120 * S) + "/s of " + limit + ", 429s " + r.limitedShare()
        + ", jain " + r.jain();
    assertTrue(r.limitedShare() <= 0.05, msg);
    assertTrue(r.jain() >= 0.95, msg);
  }

  @Property(tries = 3)
  void aFixedWindowWithDraftHeadersIsSpentByItsReset(@ForAll @LongRange(min = 0, max = 1000) long seed) {
    TestServers.Run r = TestServers.run(TestServers.discovery(seed),
        TestServers.fixedWindow(50, 10 * S, true), 8, MS, 120 * S);
    report("draft", r, 5);
    assertTrue(r.goodput(0, 120 * S) >= 0.95 * 5, "draft goodput " + r.goodput(0, 120 * S));
  }

  @Property(tries = 3)
  void aFixedWindowWithLegacyHeadersWithoutWindowIsSpentByItsReset(@ForAll @LongRange(min = 0, max = 1000) long seed) {
    TestServers.Run r = TestServers.run(TestServers.discovery(seed),
        TestServers.fixedWindow(50, 10 * S, false), 8, MS, 120 * S);
    report("legacy", r, 5);
    assertTrue(r.goodput(0, 120 * S) >= 0.95 * 5, "legacy goodput " + r.goodput(0, 120 * S));
  }

  @Property(tries = 3)
  void aHeaderlessLeakyBucketIsDiscovered(@ForAll @LongRange(min = 0, max = 1000) long seed) {
    TestServers.Run r = TestServers.run(TestServers.discovery(seed), TestServers.leakyBucket(20, 10), 8, MS,
        120 * S);
    report("nginx", r, 20);
    // issue 11's goal: 90 % of the limit (the previous default reached 5 %), few 429s, not falling over 120 s
    assertTrue(r.goodput(0, 120 * S) >= 0.90 * 20, "nginx goodput " + r.goodput(0, 120 * S));
    assertTrue(r.goodput(90 * S, 120 * S) >= 0.90 * 20, "nginx goodput, last 30 s " + r.goodput(90 * S, 120 * S));
    assertTrue(r.limitedShare() <= 0.05, "429 share " + r.limitedShare());
  }

  /**
   * Recovery (docs/strategy.md, "Recovery"): a header-less token bucket whose rate rises tenfold, 2/s to 20/s, at
   * 60 s. Without figures only probing finds the rise: 1/α = 256 calm successes (at 2/s or more, under 128 s) restart
   * the doubling. Measured: 90 % of the new rate from about 80 s after the rise; the bound is {@value #RECOVERY_S} s.
   */
  @Property(tries = 5)
  void afterATenfoldRiseTheRateRecoversWithinTheStatedBound(@ForAll @LongRange(min = 0, max = 1000) long seed) {
    TestServers.Run r = TestServers.run(TestServers.discovery(seed), TestServers.gcra(Rate.perSecond(2),
        Rate.perSecond(20), 10, 60 * S, false), 8, MS, 180 * S);
    report("tenfold", r, 20);
    long from = (60 + RECOVERY_S) * S;
    assertTrue(r.goodput(from, 180 * S) >= 0.90 * 20, "goodput after " + from / S + " s: " + r.goodput(from, 180 * S));
  }

  /** The bound of the recovery property, in seconds after the rise. */
  static final long RECOVERY_S = 100;
}
