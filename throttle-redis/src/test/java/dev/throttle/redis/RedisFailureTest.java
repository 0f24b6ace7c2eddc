package dev.throttle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.testing.RedisServerProcess;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis killed, restarted and paused under a running limiter: the configured failure mode answers within the
 * timeout, one down and one up event per outage, and decisions come from Redis again after the restart.
 */
class RedisFailureTest {

  /** Generous for a loaded machine: a healthy Redis must not time out here (an extra outage would be counted). */
  private static final Duration TIMEOUT = Duration.ofMillis(1000);
  /** Generous bound for "returns within the timeout" on a loaded CI machine: functional, not a measurement. */
  private static final long MAX_CALL_NANOS = Duration.ofSeconds(5).toNanos();

  private static RedisServerProcess server;
  private static RedisConnection connection;

  @BeforeAll
  static void start() {
    server = RedisServerProcess.start();
    connection = RedisConnection.open(server.uri(), TIMEOUT);
  }

  @org.junit.jupiter.api.BeforeEach
  void running() {
    if (server.pid() < 0) {
      server.startAgain();
    }
  }

  @AfterAll
  static void stop() {
    connection.close();
    server.stop();
  }

  static final class Events implements RedisHealthListener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onRedisDown(String component, Throwable cause) {
      seen.add("down");
    }

    @Override
    public void onRedisUp(String component, long downNanos, long failedCalls) {
      seen.add("up");
    }
  }

  private static RedisGcraLimiter limiter(FailureMode mode, Events events, String prefix) {
    return RedisGcraLimiter.builder(connection.commands()).quota(Quota.of(Rate.perHour(1), 3)).timeout(TIMEOUT)
        .probeInterval(Duration.ofMillis(50)).failureMode(mode).addListener(events).keyPrefix(prefix).build();
  }

  private static RateLimitResult timed(Supplier<RateLimitResult> call) {
    long t0 = System.nanoTime();
    RateLimitResult r = call.get();
    long took = System.nanoTime() - t0;
    assertTrue(took < MAX_CALL_NANOS, "a call took " + took / 1_000_000 + " ms");
    return r;
  }

  private static void awaitRedisDecides(RedisGcraLimiter l, Events events) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!events.seen.contains("up") && System.nanoTime() < deadline) {
      timed(() -> l.tryAcquireAtMost("probe", 0));
      Thread.sleep(20);
    }
    assertEquals("up", events.seen.get(events.seen.size() - 1));
    assertEquals(events.seen.stream().filter("down"::equals).count(),
        events.seen.stream().filter("up"::equals).count(), "one up per down: " + events.seen);
  }

  /** The events since the last one before {@code from}: exactly one "down" for the outage in progress. */
  private static void assertOneDownSince(Events events, int from) {
    assertEquals(List.of("down"), events.seen.subList(from, events.seen.size()), "events " + events.seen);
  }

  @Test
  void restartMidRunFailsAsConfiguredAndRecovers() throws Exception {
    Events open = new Events();
    Events closed = new Events();
    Events local = new Events();
    RedisGcraLimiter allow = limiter(FailureMode.ALLOW, open, "open:");
    RedisGcraLimiter refuse = limiter(FailureMode.REFUSE, closed, "closed:");
    RedisGcraLimiter fallback = limiter(FailureMode.LOCAL, local, "local:");
    for (RedisGcraLimiter l : List.of(allow, refuse, fallback)) {
      for (int i = 0; i < 3; i++) {
        assertTrue(timed(() -> l.tryAcquire("k")).allowed());
      }
      assertEquals(Decision.LIMITED, timed(() -> l.tryAcquire("k")).decision(), "Redis decides: drained");
    }

    int o0 = open.seen.size();
    int c0 = closed.seen.size();
    int l0 = local.seen.size();
    server.kill();
    for (int i = 0; i < 5; i++) {
      assertTrue(timed(() -> allow.tryAcquire("k")).allowed(), "fail-open admits");
      RateLimitResult r = timed(() -> refuse.tryAcquire("k"));
      assertEquals(Decision.LIMITED, r.decision(), "fail-closed refuses");
      assertEquals(Duration.ofSeconds(1).toNanos(), r.retryAfterNanos());
    }
    // the local fallback enforces the quota in this process: 3 units, then refused
    long granted = 0;
    for (int i = 0; i < 5; i++) {
      granted += timed(() -> fallback.tryAcquire("k")).granted();
    }
    assertEquals(3, granted);
    assertOneDownSince(open, o0);
    assertOneDownSince(closed, c0);
    assertOneDownSince(local, l0);

    server.startAgain(); // empty: state and cached scripts are gone, so the next EVALSHA meets NOSCRIPT
    awaitRedisDecides(allow, open);
    awaitRedisDecides(refuse, closed);
    awaitRedisDecides(fallback, local);
    for (RedisGcraLimiter l : List.of(allow, refuse, fallback)) {
      RateLimitResult r = timed(() -> l.tryAcquire("k"));
      assertTrue(r.allowed(), "fresh Redis state after the restart");
      assertEquals(2, r.remaining(), "decided by Redis (the local fallback of " + l.failureMode() + " is drained)");
    }
  }

  @Test
  void slowRedisTimesOutPerDecision() throws Exception {
    Events events = new Events();
    RedisGcraLimiter refuse = limiter(FailureMode.REFUSE, events, "slow:");
    assertTrue(refuse.tryAcquire("s").allowed());
    try (RedisConnection admin = RedisConnection.open(server.uri(), Duration.ofSeconds(5))) {
      int e0 = events.seen.size();
      admin.lettuce().sync().clientPause(2500);
      long t0 = System.nanoTime();
      RateLimitResult r = refuse.tryAcquire("s");
      long took = System.nanoTime() - t0;
      assertEquals(Decision.LIMITED, r.decision());
      assertTrue(took >= TIMEOUT.toNanos() && took < MAX_CALL_NANOS, "waited the timeout, took " + took);
      assertOneDownSince(events, e0);
      Thread.sleep(2600);
      awaitRedisDecides(refuse, events);
    }
  }
}
