package dev.throttle.examples;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.strategy.ThrottleStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.examples.ThrottledClientsDemo.ClientStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example server and several concurrent OkHttp clients with the interceptor and the library's default
 * strategy, sharing one token (one GCRA quota) for a few seconds of real time.
 */
class ThrottledClientsEndToEndTest {

  /** The highest acceptable share of requests answered 429 with the default strategy. */
  static final double MAX_RETRY_RATE = 0.20;

  private static final Quota QUOTA = Quota.of("api", Rate.of(20, Duration.ofSeconds(1)), 40);

  @Test
  void clientsWithTheDefaultStrategyStayWithinTheQuotaWithFew429s() throws Exception {
    try (RateLimitedServer server = RateLimitedServer.start(QUOTA, 0)) {
      List<ClientStats> stats = ThrottledClientsDemo.run(server, 4, Duration.ofSeconds(4),
          ThrottledClientsDemo::defaultStrategy);
      long elapsed = server.uptimeNanos();
      String table = ThrottledClientsDemo.table(stats);

      long admitted = server.admitted(ThrottledClientsDemo.SHARED_TOKEN);
      assertTrue(admitted <= server.admissionBound(elapsed),
          "admitted " + admitted + " > GCRA bound " + server.admissionBound(elapsed) + "\n" + table);

      long requests = stats.stream().mapToLong(ClientStats::requests).sum();
      long throttled = stats.stream().mapToLong(ClientStats::throttled).sum();
      // Every 200 the clients counted was an admission; a call cancelled at the end may have been admitted
      // without its reply being counted, at most one per client.
      assertTrue(admitted >= requests - throttled && admitted <= requests - throttled + stats.size(),
          "admitted " + admitted + " vs replies\n" + table);
      assertTrue(requests > 0, table);
      double retryRate = (double) throttled / requests;
      assertTrue(retryRate < MAX_RETRY_RATE, "retry rate " + retryRate + "\n" + table);
      for (ClientStats s : stats) {
        assertTrue(s.successes() > 0, s.name() + " starved\n" + table);
        assertEquals(0, s.failures(), s.name() + " failed\n" + table);
      }
    }
  }

  /**
   * Control: clients that never wait (and send their next call as soon as a 429 comes back) push the server
   * past its quota. The server
   * still admits no more than GCRA allows, and their retry rate is far above the threshold the default
   * strategy must stay under (so that assertion can fail).
   */
  @Test
  void greedyClientsAreHeldToTheQuotaAndMostlySee429s() throws Exception {
    try (RateLimitedServer server = RateLimitedServer.start(QUOTA, 0)) {
      List<ClientStats> stats = ThrottledClientsDemo.run(server, 4, Duration.ofSeconds(2), seed -> GREEDY);
      long elapsed = server.uptimeNanos();
      String table = ThrottledClientsDemo.table(stats);
      long admitted = server.admitted(ThrottledClientsDemo.SHARED_TOKEN);
      assertTrue(admitted <= server.admissionBound(elapsed),
          "admitted " + admitted + " > GCRA bound " + server.admissionBound(elapsed) + "\n" + table);
      assertTrue(admitted >= QUOTA.capacity(), "the idle quota's burst was admitted\n" + table);
      long requests = stats.stream().mapToLong(ClientStats::requests).sum();
      long throttled = stats.stream().mapToLong(ClientStats::throttled).sum();
      assertTrue((double) throttled / requests > MAX_RETRY_RATE, table);
    }
  }

  /** Never waits, never retries: every 429 goes back to the caller, who sends the next call at once. */
  private static final ThrottleStrategy GREEDY = now -> new ThrottleStrategy.Call() {
    @Override
    public long delayNanos(long nowNanos) {
      return 0;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      return false;
    }
  };
}
