package dev.throttle.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.strategy.StrategyRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10's CI field test: the default strategy through OkHttp (8 threads, one client, a few seconds) against a
 * real nginx {@code limit_req} and a real express-rate-limit (draft-8 and legacy headers) on 127.0.0.1. The
 * server's own count of admitted requests never exceeds its limit (nginx: over every interval of its access log,
 * 20/s × elapsed + burst 10 + 1; express: 50 in each window it started), every logical request ends with an answer
 * (a response or a give-up; none lost, none still hanging after the drain), and the clients received exactly the
 * 200s the server says it sent. Goodput bounds are issue 11's ({@link DefaultGoodputFieldTest}).
 */
class ServerLimitFieldTest {

  static final int THREADS = 8;
  static final Duration LOAD = Duration.ofSeconds(3);
  static final Duration DRAIN = Duration.ofSeconds(60);

  @TempDir
  Path work;

  @ParameterizedTest
  @EnumSource(value = ServerKind.class, names = {"NGINX", "EXPRESS_DRAFT8", "EXPRESS_LEGACY"})
  void defaultStrategyNeverPushesServerPastItsLimitAndEveryRequestIsAnswered(ServerKind kind) throws Exception {
    Prerequisites pre = RealServers.require(kind);
    FieldClient client = FieldClient.throttle(StrategyRegistry.DEFAULT_STRATEGY, 1);
    LoadRun.Result result;
    RealServer.ServerCounts counts;
    try (RealServer server = kind.start(pre, work)) {
      result = LoadRun.run(client, server.url(), THREADS, LOAD, DRAIN);
      counts = server.counts();
    }

    assertTrue(counts.violations().isEmpty(), () -> kind + ": server's own count exceeds its limit: "
        + counts.violations());
    assertTrue(counts.admitted() > 0, () -> kind + ": the server admitted nothing, the test would prove nothing;"
        + " server counts " + counts + ", clients got " + result.total2xx() + " 2xx, 429s " + result.status429()
        + ", others " + result.otherStatus() + ", logical " + result.logical());
    List<LoadRun.Logical> unanswered = result.logical().stream()
        .filter(l -> l.outcome() == LoadRun.Outcome.ERROR || l.outcome() == LoadRun.Outcome.UNFINISHED)
        .toList();
    assertTrue(unanswered.isEmpty(), () -> kind + ": logical requests without an answer: " + unanswered);
    for (LoadRun.Logical l : result.logical()) {
      assertTrue(l.attempts() >= 1 || l.outcome() == LoadRun.Outcome.GAVE_UP,
          () -> kind + ": a request answered without reaching the server: " + l);
      if (l.outcome() == LoadRun.Outcome.OK) {
        assertEquals(200, l.finalStatus(), () -> kind + ": " + l);
      }
    }
    assertTrue(result.logical().size() >= THREADS, kind + ": fewer logical requests than threads");
    assertEquals(counts.admitted(), result.total2xx(),
        kind + ": the clients received a different number of 200s than the server admitted");
  }
}
