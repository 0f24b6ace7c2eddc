package dev.throttle.sim.server;

import dev.throttle.core.limiter.Rate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.ServerSpec;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ServerModelsTest {

  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;

  static ServerSpec spec(ServerKind kind, Rate rate, long capacity) {
    return new ServerSpec(kind, rate, capacity, kind == ServerKind.LEAKY_BUCKET ? 0 : capacity, Latency.ZERO,
        Dialect.NONE, List.of(), true, 429);
  }

  @Test
  void fixedWindowAdmitsTheLimitThenRefusesUntilTheWindowEnds() {
    ServerModel m = ServerModels.create(spec(ServerKind.FIXED_WINDOW, Rate.of(50, Duration.ofSeconds(10)), 0));
    Response r = new Response();
    for (int i = 0; i < 50; i++) {
      m.decide(1 * S + i * MS, r);
      assertTrue(r.admitted(), "request " + i);
    }
    m.decide(10 * S, r);
    assertFalse(r.admitted());
    assertEquals(429, r.status());
    m.decide(11 * S - 1, r);
    assertFalse(r.admitted(), "the window started at 1 s with its first request");
    m.decide(11 * S, r);
    assertTrue(r.admitted(), "a new window");
  }

  @Test
  void leakyBucketAsNginxBurstPlusOneAtOnceThenTheRate() {
    // 20 r/s, burst 10, nodelay: the first request sets excess 0, then 10 more fit in the burst: 11 at once
    ServerModel m = ServerModels.create(spec(ServerKind.LEAKY_BUCKET, Rate.perSecond(20), 10));
    Response r = new Response();
    int admitted = 0;
    for (int i = 0; i < 30; i++) {
      m.decide(0, r);
      admitted += r.admitted() ? 1 : 0;
    }
    assertEquals(11, admitted);
    // 50 ms later one unit (1000 milli-requests at 20000/s) has leaked: exactly one more passes
    m.decide(50 * MS, r);
    assertTrue(r.admitted());
    m.decide(50 * MS, r);
    assertFalse(r.admitted());
    m.decide(99 * MS, r);
    assertFalse(r.admitted(), "49 ms leak only 980 milli-requests");
    m.decide(100 * MS, r);
    assertTrue(r.admitted());
  }

  @Test
  void leakyBucketWithoutNodelayHoldsTheExcess() {
    ServerSpec s = spec(ServerKind.LEAKY_BUCKET, Rate.perSecond(20), 10).withNodelay(false);
    ServerModel m = ServerModels.create(s);
    Response r = new Response();
    m.decide(0, r);
    assertEquals(0, r.holdNanos());
    m.decide(0, r);
    assertEquals(50 * MS, r.holdNanos(), "excess 1000 at 20000/s: 50 ms");
    m.decide(0, r);
    assertEquals(100 * MS, r.holdNanos());
  }

  @Property(tries = 200)
  void slidingWindowNeverAdmitsMoreThanTheLimitInAnAlignedWindow(
      @ForAll @IntRange(min = 1, max = 50) int limit,
      @ForAll @Size(min = 1, max = 400) List<@LongRange(min = 0, max = 300_000_000L) Long> gaps) {
    long window = S;
    ServerModel m = ServerModels.create(spec(ServerKind.SLIDING_WINDOW, Rate.of(limit, Duration.ofSeconds(1)), 0));
    Response r = new Response();
    long now = 0;
    long currentWindow = 0;
    int inWindow = 0;
    for (long g : gaps) {
      now += g;
      if (now / window != currentWindow) {
        currentWindow = now / window;
        inWindow = 0;
      }
      m.decide(now, r);
      if (r.admitted()) {
        inWindow++;
      }
      assertTrue(inWindow <= limit, inWindow + " > " + limit);
    }
  }

  @Property(tries = 200)
  void fixedWindowNeverAdmitsMoreThanTheLimitPerWindow(
      @ForAll @IntRange(min = 1, max = 50) int limit,
      @ForAll @Size(min = 1, max = 400) List<@LongRange(min = 0, max = 300_000_000L) Long> gaps) {
    ServerModel m = ServerModels.create(spec(ServerKind.FIXED_WINDOW, Rate.of(limit, Duration.ofSeconds(1)), 0));
    Response r = new Response();
    long now = 0;
    long windowStart = -1;
    int inWindow = 0;
    for (long g : gaps) {
      now += g;
      if (windowStart < 0 || now >= windowStart + S) {
        windowStart = now;
        inWindow = 0;
      }
      m.decide(now, r);
      if (r.admitted()) {
        inWindow++;
      }
      assertTrue(inWindow <= limit);
    }
  }

  @Test
  void concurrencyLimitCountsInFlightRequests() {
    ServerModel m = ServerModels.create(spec(ServerKind.CONCURRENCY, Rate.perSecond(1), 2));
    Response r = new Response();
    m.decide(0, r);
    assertTrue(r.admitted());
    m.decide(0, r);
    assertTrue(r.admitted());
    m.decide(0, r);
    assertFalse(r.admitted());
    m.release(1);
    m.decide(2, r);
    assertTrue(r.admitted());
  }

  @Test
  void allowancePerKind() {
    assertEquals(150, ServerModels.allowance(spec(ServerKind.FIXED_WINDOW, Rate.of(50, Duration.ofSeconds(10)), 0),
        30 * S), 1e-9);
    assertEquals(611, ServerModels.allowance(spec(ServerKind.LEAKY_BUCKET, Rate.perSecond(20), 10), 30 * S), 1e-9);
    assertTrue(Double.isNaN(ServerModels.allowance(spec(ServerKind.CONCURRENCY, Rate.perSecond(1), 2), S)));
  }
}
