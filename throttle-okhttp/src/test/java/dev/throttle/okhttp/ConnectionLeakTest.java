package dev.throttle.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.throttle.okhttp.WireMockSupport.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every response the interceptor discards is closed: after many retried calls no connection is left in use,
 * and OkHttp's leak detector (which logs "A connection to ... was leaked" on {@code okhttp3.OkHttpClient} when it
 * finds a call that was garbage-collected with its response open) stays silent. A control test shows that the
 * detector does fire on a real leak in this setup.
 */
class ConnectionLeakTest {

  private static WireMockServer server;
  private static final Logger OKHTTP_LOGGER = Logger.getLogger(OkHttpClient.class.getName());

  private final List<String> leakMessages = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage();
      if (message != null && message.contains("was leaked")) {
        leakMessages.add(message);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private final VirtualTime vt = new VirtualTime();
  private OkHttpClient client;

  @BeforeAll
  static void startServer() {
    server = WireMockSupport.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @BeforeEach
  void setUp() {
    server.resetAll();
    OKHTTP_LOGGER.addHandler(handler);
    // Bodies large enough that OkHttp cannot have read them along with the headers.
    String big = "x".repeat(64 * 1024);
    sequence(server, "/leak", aResponse().withStatus(429).withHeader("Retry-After", "1").withBody(big),
        aResponse().withStatus(503).withHeader("Retry-After", "1").withBody(big),
        aResponse().withStatus(200).withBody("ok"));
    ThrottlingInterceptor interceptor = ThrottlingInterceptor.builder(() -> new TestStrategy(1_000_000L))
        .clock(vt.clock).sleeper(vt.sleeper).build();
    client = new OkHttpClient.Builder().addInterceptor(interceptor)
        .connectionPool(new ConnectionPool(5, 1, TimeUnit.MINUTES)).build();
  }

  @AfterEach
  void tearDown() {
    OKHTTP_LOGGER.removeHandler(handler);
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private Request get() {
    return new Request.Builder().url(WireMockSupport.url(server, "/leak")).build();
  }

  @Test
  void retriedCallsLeaveNoConnectionInUseAndNoLeakWarning() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.setScenarioState("/leak", Scenario.STARTED);
      try (Response r = client.newCall(get()).execute()) {
        assertEquals(200, r.code());
      }
      server.setScenarioState("/leak", Scenario.STARTED);
      Request post = get().newBuilder().post(RequestBody.create("p", MediaType.get("text/plain")))
          .header("Idempotency-Key", "k" + i).build();
      try (Response r = client.newCall(post).execute()) {
        assertEquals(200, r.code());
      }
      server.setScenarioState("/leak", Scenario.STARTED);
      CompletableFuture<Integer> code = new CompletableFuture<>();
      client.newCall(get()).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          code.completeExceptionally(e);
        }

        @Override
        public void onResponse(Call call, Response response) {
          try (response) {
            code.complete(response.code());
          }
        }
      });
      assertEquals(200, code.get(10, TimeUnit.SECONDS));
    }
    assertEquals(45, server.getAllServeEvents().size());
    awaitIdle();
    ConnectionPool pool = client.connectionPool();
    assertTrue(pool.connectionCount() >= 1);
    assertEquals(pool.connectionCount(), pool.idleConnectionCount(), "a connection is still in use");
    runLeakDetector();
    assertEquals(List.of(), leakMessages);
  }

  @Test
  void controlTheDetectorSeesARealLeak() throws Exception {
    server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/plain")
        .willReturn(aResponse().withStatus(200).withBody("x".repeat(64 * 1024))));
    OkHttpClient bare = new OkHttpClient.Builder().connectionPool(client.connectionPool()).build();
    leakOneResponse(bare);
    ConnectionPool pool = client.connectionPool();
    assertEquals(1, pool.connectionCount() - pool.idleConnectionCount(), "the leaked response holds a connection");
    runLeakDetector();
    assertEquals(1, leakMessages.size(), "leak detector did not fire: " + leakMessages);
  }

  private void leakOneResponse(OkHttpClient c) throws IOException {
    Response leaked = c.newCall(new Request.Builder().url(WireMockSupport.url(server, "/plain")).build()).execute();
    assertEquals(200, leaked.code()); // and dropped without close()
  }

  private void awaitIdle() throws InterruptedException {
    ConnectionPool pool = client.connectionPool();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pool.connectionCount() != pool.idleConnectionCount() && System.nanoTime() < deadline) {
      Thread.sleep(10); // enqueue's callback closes its response on a Dispatcher thread
    }
  }

  /** Collects garbage, then runs the pool's maintenance pass, which is where OkHttp reports leaked calls. */
  private void runLeakDetector() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
    }
    Object pool = client.connectionPool().getDelegate$okhttp();
    try { // the maintenance pass is closeConnections(now) in OkHttp 5, cleanup(now) in 4.x (profile okhttp4)
      Method pass;
      try {
        pass = pool.getClass().getMethod("closeConnections", long.class);
      } catch (NoSuchMethodException e) {
        pass = pool.getClass().getMethod("cleanup", long.class);
      }
      pass.invoke(pool, System.nanoTime());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot run OkHttp's connection pool maintenance", e);
    }
  }
}
