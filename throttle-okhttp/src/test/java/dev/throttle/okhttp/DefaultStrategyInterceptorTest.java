package dev.throttle.okhttp;

import dev.throttle.core.strategy.Strategies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.throttle.okhttp.WireMockSupport.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The interceptor with the library's default strategy (virtual time): Retry-After and exhausted quotas hold. */
class DefaultStrategyInterceptorTest {

  private static final long SECOND = 1_000_000_000L;
  private static WireMockServer server;
  private final VirtualTime vt = new VirtualTime();
  private final OkHttpClient client = new OkHttpClient.Builder()
      .addInterceptor(ThrottlingInterceptor.builder(() -> Strategies.defaultStrategy(7))
          .clock(vt.clock).sleeper(vt.sleeper).build())
      .addNetworkInterceptor(vt.recorder)
      .build();

  @BeforeAll
  static void start() {
    server = WireMockSupport.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @AfterEach
  void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private static Request get(String path) {
    return new Request.Builder().url(WireMockSupport.url(server, path)).build();
  }

  @Test
  void retries429NoEarlierThanRetryAfter() throws IOException {
    sequence(server, "/ra", aResponse().withStatus(429).withHeader("Retry-After", "2"),
        aResponse().withStatus(200));
    try (Response r = client.newCall(get("/ra")).execute()) {
      assertEquals(200, r.code());
    }
    assertEquals(2, vt.sendTimes.size());
    assertTrue(vt.gap(0) >= 2 * SECOND, "retried after " + vt.gap(0) + " ns");
  }

  @Test
  void exhaustedQuotaHoldsTheNextCallUntilTheReset() throws IOException {
    server.stubFor(any(urlEqualTo("/drained")).willReturn(aResponse().withStatus(200)
        .withHeader("RateLimit", "\"api\";r=0;t=1").withHeader("RateLimit-Policy", "\"api\";q=10;w=10")));
    for (int i = 0; i < 3; i++) {
      try (Response r = client.newCall(get("/drained")).execute()) {
        assertEquals(200, r.code());
      }
    }
    assertTrue(vt.gap(0) >= SECOND, "second call after " + vt.gap(0) + " ns");
    assertTrue(vt.gap(1) >= SECOND, "third call after " + vt.gap(1) + " ns");
  }
}
