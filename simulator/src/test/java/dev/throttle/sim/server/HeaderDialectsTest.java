package dev.throttle.sim.server;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.Rate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.ServerSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every dialect written as strings for a fixed window of 50 per 10 s and read back by the real parser. */
class HeaderDialectsTest {

  static final long S = 1_000_000_000L;

  /** The first response of a window opened at 0 (49 left, 10 s to go), or the 51st (refused). */
  static Map<String, String> headers(Dialect d, int requests) {
    ServerSpec spec = new ServerSpec(ServerKind.FIXED_WINDOW, Rate.of(50, Duration.ofSeconds(10)), 0, 0,
        Latency.ZERO, d, List.of(), false, 429);
    ServerModel m = ServerModels.create(spec);
    Response r = new Response();
    for (int i = 0; i < requests; i++) {
      m.decide(0, r);
    }
    Map<String, String> h = new LinkedHashMap<>();
    HeaderDialects.write(d, r, 0, h::put);
    return h;
  }

  static RateLimitHeaders parse(Map<String, String> h) {
    return RateLimitHeaderParser.parse(h::get, HeaderDialects.EPOCH_MILLIS_AT_ZERO);
  }

  @Test
  void draft8AsExpressWritesIt() {
    Map<String, String> h = headers(Dialect.DRAFT8, 1);
    assertEquals("\"50-in-10sec\"; q=50; w=10; pk=:MTI3LjAuMC4x:", h.get("RateLimit-Policy"));
    assertEquals("\"50-in-10sec\"; r=49; t=10", h.get("RateLimit"));
    RateLimitHeaders i = parse(h);
    assertEquals(49, i.remaining());
    assertEquals(50, i.limit());
    assertEquals(10 * S, i.windowNanos());
    assertEquals(10 * S, i.resetNanos());
    Map<String, String> refused = headers(Dialect.DRAFT8, 51);
    assertEquals("10", refused.get("Retry-After"));
    assertEquals(10 * S, parse(refused).retryAfterNanos());
  }

  @Test
  void draft7AsExpressWritesIt() {
    Map<String, String> h = headers(Dialect.DRAFT7, 1);
    assertEquals("50;w=10", h.get("RateLimit-Policy"));
    assertEquals("limit=50, remaining=49, reset=10", h.get("RateLimit"));
    RateLimitHeaders i = parse(h);
    assertEquals(49, i.remaining());
    assertEquals(50, i.limit());
    assertEquals(10 * S, i.resetNanos());
  }

  @Test
  void legacyEpochResetIsReadAsADelay() {
    Map<String, String> h = headers(Dialect.X_EPOCH, 1);
    assertEquals("50", h.get("X-RateLimit-Limit"));
    assertEquals("49", h.get("X-RateLimit-Remaining"));
    assertEquals(Long.toString(HeaderDialects.EPOCH_MILLIS_AT_ZERO / 1000 + 10), h.get("X-RateLimit-Reset"));
    RateLimitHeaders i = parse(h);
    assertEquals(10 * S, i.resetNanos());
    assertFalse(i.hasWindow(), "legacy headers carry no window");
  }

  @Test
  void theOtherDialects() {
    assertEquals("10", headers(Dialect.X_DELAY, 1).get("X-RateLimit-Reset"));
    RateLimitHeaders d10 = parse(headers(Dialect.DRAFT10, 1));
    assertEquals(49, d10.remaining());
    assertEquals(10 * S, d10.windowNanos());
    assertEquals(Map.of("RateLimit-Remaining", "49"), headers(Dialect.REMAINING, 1));
    assertEquals(Map.of(), headers(Dialect.RETRY_AFTER, 1));
    assertEquals(Map.of("Retry-After", "10"), headers(Dialect.RETRY_AFTER, 51));
    assertEquals(Map.of(), headers(Dialect.NONE, 51));
    RateLimitHeaders full = parse(headers(Dialect.FULL, 51));
    assertEquals(0, full.remaining());
    assertTrue(full.hasRetryAfter());
  }

  @Test
  void gcraThroughTheCoreWriterMatchesItsClientView() {
    ServerSpec spec = new ServerSpec(Rate.perSecond(5), 3, 1, Latency.ZERO, Dialect.FULL, List.of());
    ServerModel m = ServerModels.create(spec);
    Response r = new Response();
    for (int i = 0; i < 3; i++) {
      m.decide(i * 10_000_000L, r);
      Map<String, String> h = new LinkedHashMap<>();
      HeaderDialects.write(Dialect.FULL, r, 0, h::put);
      assertEquals(dev.throttle.core.headers.RateLimitHeaderWriter.defaults().clientView(r.gcra()),
          RateLimitHeaderParser.parse(h::get, 0));
    }
  }
}
