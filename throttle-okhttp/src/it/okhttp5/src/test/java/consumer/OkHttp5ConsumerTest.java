package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.throttle.core.strategy.Strategies;
import dev.throttle.okhttp.ThrottlingInterceptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttp;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An OkHttp 5 (okhttp-jvm) user adds throttle-okhttp: one OkHttp, and a real throttled call works. */
class OkHttp5ConsumerTest {

  private HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    // First request: 429 with Retry-After: 1; every later one: 200 "hello".
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hello", exchange -> {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      if (hits.incrementAndGet() == 1) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        exchange.sendResponseHeaders(429, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void exactlyOneOkHttpAndItIs5() throws IOException {
    List<URL> copies = Collections.list(getClass().getClassLoader().getResources("okhttp3/OkHttpClient.class"));
    assertEquals(1, copies.size(), "okhttp3.OkHttpClient found in " + copies);
    assertTrue(OkHttp.VERSION.startsWith("5."), "OkHttp at run time: " + OkHttp.VERSION);
  }

  @Test
  void throttledCallWaitsOutRetryAfterAndSucceeds() throws IOException {
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(ThrottlingInterceptor.builder(() -> Strategies.defaultStrategy(42L)).build())
        .build();
    Request request = new Request.Builder()
        .url("http://127.0.0.1:" + server.getAddress().getPort() + "/hello")
        .build();

    long start = System.nanoTime();
    try (Response response = client.newCall(request).execute()) {
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, response.code());
      assertEquals("hello", response.body().string());
      assertTrue(elapsedMillis >= 900, "the retry waited out Retry-After: 1, took " + elapsedMillis + " ms");
    }
    assertEquals(2, hits.get(), "the 429 was retried once by the interceptor");
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
