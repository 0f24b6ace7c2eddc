package dev.throttle.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sanity bounds for the default strategy in Heroku's scenario (10 always-busy clients, GCRA T = 0.8 s,
 * capacity 4500, starting drained, 30 simulated minutes, RateLimit r/t + policy + Retry-After headers), run on
 * {@link MiniGcraHarness} (the real GcraLimiter and header writer in a small event loop; core tests cannot use the
 * simulator). Loose bounds that a broken strategy fails; the numbers themselves belong to the simulator's reports
 * (and the simulator's DefaultStrategyBeatsHerokuTest).
 */
class HerokuScenarioTest {

  private static final int CLIENTS = 10;
  private static final long CAPACITY_IN_30_MIN = 2250; // 1800 s / 0.8 s

  private static IntFunction<ThrottleStrategy> separate(String name, long seed) {
    return i -> Strategies.named(name, seed * 1000 + i);
  }

  /** Heroku's own bench layout: 2 processes x 5 threads, one instance per process. */
  private static IntFunction<ThrottleStrategy> twoProcesses(String name, long seed) {
    ThrottleStrategy[] perProcess = {Strategies.named(name, seed * 1000), Strategies.named(name, seed * 1000 + 1)};
    return i -> perProcess[i % 2];
  }

  private static void assertGood(MiniGcraHarness.Result r) {
    assertTrue(r.retryRate() < 0.05, "429 rate " + r);
    assertTrue(r.jain() > 0.9, "fairness " + r);
    assertTrue(r.maxDelayNanos < 25 * MiniGcraHarness.S, "max sleep " + r);
    assertTrue(r.totalSuccesses() >= CAPACITY_IN_30_MIN * 97 / 100, "utilisation " + r);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void defaultStrategyHasFewRetriesAndFairSharesWithOneInstancePerClient(long seed) {
    assertGood(MiniGcraHarness.heroku(CLIENTS, separate("default", seed)));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void defaultStrategyHasFewRetriesAndFairSharesWithInstancesSharedByThreads(long seed) {
    assertGood(MiniGcraHarness.heroku(CLIENTS, twoProcesses("default", seed)));
  }

  /**
   * Sixty clients on Heroku's quota (fair interval N × T = 48 s): a client that takes a run of 429s while they all
   * start is not left waiting far beyond its share (its 429s on a long interval do not compound the decrease).
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void withSixtyClientsNoClientWaitsFarBeyondItsShare(long seed) {
    MiniGcraHarness.Result r = MiniGcraHarness.heroku(60, separate("default", seed));
    assertTrue(r.maxDelayNanos < 130 * MiniGcraHarness.S, "max sleep " + r);
    assertTrue(r.jain() > 0.9, "fairness " + r);
    assertTrue(r.retryRate() < 0.2, "429 rate " + r);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void defaultStrategyBeatsEiprdOnRetriesAndFairness(long seed) {
    MiniGcraHarness.Result ours = MiniGcraHarness.heroku(CLIENTS, twoProcesses("default", seed));
    MiniGcraHarness.Result eiprd = MiniGcraHarness.heroku(CLIENTS,
        twoProcesses("exponential-increase-proportional-remaining-decrease", seed));
    assertTrue(ours.totalLimited < eiprd.totalLimited, ours + "\nvs EIPRD " + eiprd);
    assertTrue(ours.jain() >= eiprd.jain(), ours + "\nvs EIPRD " + eiprd);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void defaultStrategySpendsABankedBucketQuickly(long seed) {
    MiniGcraHarness.Result r = MiniGcraHarness.clear(CLIENTS, separate("default", seed));
    // no latency here: spending the bank at full speed down to the target takes no time and no wait at all
    // (a 60 s spending horizon used to trickle the last units out, with waits of a minute)
    double seconds = r.clearedAtNanos / 1e9;
    assertTrue(seconds >= 0 && seconds < 1, "time to clear " + seconds);
    assertTrue(r.maxDelayNanos < MiniGcraHarness.S, "max sleep " + r);
    assertTrue(r.totalLimited == 0, "429s " + r);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void withoutHeadersTheDefaultStillAvoidsMost429s(long seed) {
    MiniGcraHarness.Result r = MiniGcraHarness.run(CLIENTS, separate("default", seed), 800_000_000L, 4500, 0,
        1800 * MiniGcraHarness.S, false);
    assertTrue(r.retryRate() < 0.10, "429 rate " + r);
    assertTrue(r.totalSuccesses() >= CAPACITY_IN_30_MIN * 95 / 100, "utilisation " + r);
  }
}
