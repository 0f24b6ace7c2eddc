package dev.throttle.examples;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The example server: GCRA per key, 200/429 with the rate-limit fields a client can parse. */
class RateLimitedServerTest {

  private final OkHttpClient client = new OkHttpClient();

  @Test
  void admitsTheCapacityThenAnswers429WithRetryAfterPerKey() throws IOException {
    try (RateLimitedServer server = RateLimitedServer.start(Quota.of("api", Rate.perMinute(1), 2), 0)) {
      Request a = new Request.Builder().url(server.url("/x")).header("Authorization", "A").build();
      for (int i = 0; i < 2; i++) {
        try (Response r = client.newCall(a).execute()) {
          assertEquals(200, r.code());
          assertNull(r.header("Retry-After"));
          assertNotNull(r.header("RateLimit-Policy"));
        }
      }
      try (Response r = client.newCall(a).execute()) {
        assertEquals(429, r.code());
        RateLimitHeaders info = RateLimitHeaderParser.parseAll(r.headers()::values, System.currentTimeMillis());
        assertTrue(info.hasRetryAfter());
        assertTrue(info.retryAfterNanos() > 0 && info.retryAfterNanos() <= Duration.ofMinutes(1).toNanos());
        assertEquals(0, info.remaining());
        assertEquals(2, info.limit());
      }
      Request b = new Request.Builder().url(server.url("/x")).header("X-Client-Id", "B").build();
      try (Response r = client.newCall(b).execute()) {
        assertEquals(200, r.code()); // another key has its own quota
      }
      assertEquals(2, server.admitted("A"));
      assertEquals(1, server.limited("A"));
      assertEquals(1, server.admitted("B"));
      assertEquals(0, server.admitted("anonymous"));
    }
  }

  @Test
  void admissionBoundIsCapacityPlusRefill() throws IOException {
    try (RateLimitedServer server = RateLimitedServer.start(Quota.of(Rate.of(3, Duration.ofSeconds(1)), 5), 0)) {
      assertEquals(5, server.admissionBound(0));
      assertEquals(6, server.admissionBound(1)); // rounded up
      assertEquals(8, server.admissionBound(1_000_000_000L));
      assertEquals(5 + 3 * 3600, server.admissionBound(Duration.ofHours(1).toNanos()));
    }
  }
}
