package dev.throttle.okhttp;

import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.ThrottleStrategy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.throttle.okhttp.WireMockSupport.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptor against a real HTTP server (WireMock on 127.0.0.1): statuses, headers, bodies, cancel, timeouts. */
class ThrottlingInterceptorTest {

  private static final long SECOND = 1_000_000_000L;
  private static final MediaType TEXT = MediaType.get("text/plain");

  private static WireMockServer server;
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
  void reset() {
    server.resetAll();
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  private final List<ThrottleEvent> events = new CopyOnWriteArrayList<>();

  private ThrottlePolicy policy(int maxAttempts, Duration maxDelay) {
    return ThrottlePolicy.builder(new TestStrategy(100_000_000L)).maxAttempts(maxAttempts).maxDelay(maxDelay)
        .addListener(events::add).build();
  }

  /** Interceptor on virtual time: waits advance the clock instead of sleeping. */
  private ThrottlingInterceptor.Builder virtual(int maxAttempts, Duration maxDelay) {
    return ThrottlingInterceptor.builder(policy(maxAttempts, maxDelay))
        .strategyPerKey(() -> new TestStrategy(100_000_000L))
        .clock(vt.clock)
        .sleeper(vt.sleeper);
  }

  /** Interceptor on real time. */
  private ThrottlingInterceptor.Builder real(int maxAttempts, Duration maxDelay) {
    return ThrottlingInterceptor.builder(policy(maxAttempts, maxDelay))
        .strategyPerKey(() -> new TestStrategy(100_000_000L));
  }

  private OkHttpClient client(ThrottlingInterceptor interceptor) {
    return client(interceptor, new OkHttpClient.Builder());
  }

  private OkHttpClient client(ThrottlingInterceptor interceptor, OkHttpClient.Builder builder) {
    client = builder.addInterceptor(interceptor).addNetworkInterceptor(vt.recorder).build();
    return client;
  }

  private static Request get(String path) {
    return new Request.Builder().url(WireMockSupport.url(server, path)).build();
  }

  private static Request post(String path, RequestBody body) {
    return new Request.Builder().url(WireMockSupport.url(server, path)).post(body).build();
  }

  private static int requests(String path) {
    return server.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(int code) {
    return aResponse().withStatus(code).withBody("status " + code);
  }

  // ---- 429 and Retry-After

  @Test
  void retries429AfterRetryAfterSecondsAndCallerSeesThe200() throws IOException {
    sequence(server, "/a", status(429).withHeader("Retry-After", "2"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    try (Response r = c.newCall(get("/a")).execute()) {
      assertEquals(200, r.code());
      assertEquals("status 200", r.body().string());
    }
    assertEquals(2, requests("/a"));
    assertEquals(2 * SECOND, vt.gap(0));
    String key = "127.0.0.1:" + server.port();
    assertEquals(List.of(new ThrottleEvent(ThrottleEvent.Type.RETRY, key, 2, 429, 2 * SECOND)), events);
  }

  @Test
  void retryAfterAsHttpDateIsMeasuredAgainstTheWallClock() throws IOException {
    Instant now = Instant.parse("2026-01-01T12:00:00Z");
    // IMF-fixdate (RFC 9110): "Thu, 01 Jan 2026 12:00:02 GMT"
    String date = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
        .format(now.plusSeconds(2).atZone(ZoneOffset.UTC));
    sequence(server, "/date", status(429).withHeader("Retry-After", date), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).wallClock(Clock.fixed(now, ZoneOffset.UTC)).build());
    try (Response r = c.newCall(get("/date")).execute()) {
      assertEquals(200, r.code());
    }
    assertEquals(2 * SECOND, vt.gap(0));
  }

  @Test
  void realTimeWaitIsVisibleInTheServersRequestLog() throws IOException {
    sequence(server, "/real", status(429).withHeader("Retry-After", "1"), status(200));
    OkHttpClient c = client(real(5, Duration.ofMinutes(1)).build());
    try (Response r = c.newCall(get("/real")).execute()) {
      assertEquals(200, r.code());
    }
    List<LoggedRequest> log = server.findAll(anyRequestedFor(urlEqualTo("/real")));
    assertEquals(2, log.size());
    long gapMillis = Math.abs(log.get(1).getLoggedDate().getTime() - log.get(0).getLoggedDate().getTime());
    assertTrue(gapMillis >= 900, "second attempt came " + gapMillis + " ms after the first");
  }

  @Test
  void enqueueRetriesToo() throws Exception {
    sequence(server, "/async", status(429).withHeader("Retry-After", "1"), status(429), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    CompletableFuture<Integer> code = new CompletableFuture<>();
    c.newCall(get("/async")).enqueue(new Callback() {
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
    assertEquals(3, requests("/async"));
    assertEquals(SECOND, vt.gap(0));
    assertEquals(100_000_000L, vt.gap(1)); // no Retry-After: the strategy's own backoff
  }

  // ---- 503

  @Test
  void retries503WithRetryAfter() throws IOException {
    sequence(server, "/503", status(503).withHeader("Retry-After", "1"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    try (Response r = c.newCall(get("/503")).execute()) {
      assertEquals(200, r.code());
    }
    assertEquals(2, requests("/503"));
  }

  @Test
  void returns503WithoutRetryAfterAtOnce() throws IOException {
    sequence(server, "/503n", status(503), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    try (Response r = c.newCall(get("/503n")).execute()) {
      assertEquals(503, r.code());
      assertEquals("status 503", r.body().string());
    }
    assertEquals(1, requests("/503n"));
    assertEquals(0, vt.slept);
  }

  // ---- bad Retry-After values

  @Test
  void malformedAndNegativeRetryAfterAreIgnored() throws IOException {
    sequence(server, "/bad", status(429).withHeader("Retry-After", "soon"),
        status(429).withHeader("Retry-After", "-5"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    try (Response r = c.newCall(get("/bad")).execute()) {
      assertEquals(200, r.code());
    }
    assertEquals(3, requests("/bad"));
    assertEquals(100_000_000L, vt.gap(0)); // the strategy's own backoff, not the header
    assertEquals(100_000_000L, vt.gap(1));
  }

  @Test
  void hugeRetryAfterGivesUpAndReturnsThe429() throws IOException {
    sequence(server, "/huge", status(429).withHeader("Retry-After", "315360000"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(2)).build());
    try (Response r = c.newCall(get("/huge")).execute()) {
      assertEquals(429, r.code());
      assertEquals("status 429", r.body().string());
    }
    assertEquals(1, requests("/huge"));
    assertEquals(0, vt.slept);
  }

  @Test
  void hugeRetryAfterThrowsWhenConfiguredTo() {
    sequence(server, "/huge2", status(429).withHeader("Retry-After", "315360000"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(2)).onGiveUp(GiveUpAction.THROW).build());
    ThrottleGiveUpIOException e =
        assertThrows(ThrottleGiveUpIOException.class, () -> c.newCall(get("/huge2")).execute());
    assertEquals(ThrottleGiveUpException.Reason.MAX_DELAY, e.giveUp().reason());
    assertEquals(429, e.giveUp().lastStatus());
    assertEquals(1, e.giveUp().attempts());
    assertEquals("127.0.0.1:" + server.port(), e.key());
    assertEquals(1, requests("/huge2"));
  }

  @Test
  void maxAttemptsGivesUpWithTheLast429() throws IOException {
    sequence(server, "/always", status(429).withHeader("Retry-After", "1"));
    OkHttpClient c = client(virtual(3, Duration.ofMinutes(1)).build());
    try (Response r = c.newCall(get("/always")).execute()) {
      assertEquals(429, r.code());
    }
    assertEquals(3, requests("/always"));
  }

  // ---- proactive pacing from RateLimit headers

  @Test
  void rateLimitHeadersSlowTheClientBeforeAny429() throws IOException {
    server.stubFor(any(urlEqualTo("/paced")).willReturn(status(200)
        .withHeader("RateLimit", "\"default\";r=0;t=1")
        .withHeader("RateLimit-Policy", "\"default\";q=2;w=1")));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    for (int i = 0; i < 3; i++) {
      try (Response r = c.newCall(get("/paced")).execute()) {
        assertEquals(200, r.code());
      }
    }
    assertEquals(3, requests("/paced"));
    assertEquals(SECOND, vt.gap(0));
    assertEquals(SECOND, vt.gap(1));
  }

  @Test
  void callsOfOneKeyShareStateAndOtherKeysDoNot() throws IOException {
    server.stubFor(any(urlEqualTo("/k")).withHeader("Authorization", equalTo("A"))
        .willReturn(status(200).withHeader("RateLimit", "\"default\";r=0;t=1")));
    server.stubFor(any(urlEqualTo("/k")).withHeader("Authorization", equalTo("B"))
        .willReturn(status(200).withHeader("RateLimit", "\"default\";r=9;t=1")));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1))
        .keyFunction(r -> r.header("Authorization")).build());
    for (String token : new String[] {"A", "B", "A", "B"}) {
      Request r = get("/k").newBuilder().header("Authorization", token).build();
      c.newCall(r).execute().close();
    }
    assertEquals(0, vt.gap(0)); // B is not slowed by A's exhaustion
    assertEquals(SECOND, vt.gap(1)); // A's second call waits for A's reset
    assertEquals(0, vt.gap(2));
    assertEquals(List.of(new ThrottleEvent(ThrottleEvent.Type.THROTTLE, "A", 1, 0, SECOND)), events);
  }

  @Test
  void withoutAStrategyFactoryAllKeysShareThePolicy() throws IOException {
    server.stubFor(any(urlEqualTo("/s")).withHeader("Authorization", equalTo("A"))
        .willReturn(status(200).withHeader("RateLimit", "\"default\";r=0;t=1")));
    server.stubFor(any(urlEqualTo("/s")).withHeader("Authorization", equalTo("B"))
        .willReturn(status(200)));
    ThrottlePolicy shared = ThrottlePolicy.builder(new TestStrategy(1)).name("api").addListener(events::add).build();
    OkHttpClient c = client(ThrottlingInterceptor.builder(shared).keyFunction(r -> r.header("Authorization"))
        .clock(vt.clock).sleeper(vt.sleeper).build());
    for (String token : new String[] {"A", "B"}) {
      c.newCall(get("/s").newBuilder().header("Authorization", token).build()).execute().close();
    }
    assertEquals(SECOND, vt.gap(0)); // B waits for A's exhaustion: one shared strategy
    assertEquals(List.of(new ThrottleEvent(ThrottleEvent.Type.THROTTLE, "api", 1, 0, SECOND)), events);
  }

  @Test
  void defaultKeyIsHostAndPort() {
    assertEquals("127.0.0.1:" + server.port(), ThrottlingInterceptor.hostKey(get("/x")));
    assertEquals("example.com:443",
        ThrottlingInterceptor.hostKey(new Request.Builder().url("https://example.com/x").build()));
  }

  // ---- bodies and methods

  @Test
  void oneShotPostIsNotReplayed() throws IOException {
    sequence(server, "/oneshot", status(429).withHeader("Retry-After", "1"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    try (Response r = c.newCall(post("/oneshot", new SpecialBody(true, false))).execute()) {
      assertEquals(429, r.code());
    }
    assertEquals(1, requests("/oneshot"));
  }

  @Test
  void ordinaryPostIsRetriedOn429ButNotOn503ByDefault() throws IOException {
    sequence(server, "/post429", status(429).withHeader("Retry-After", "1"), status(200));
    sequence(server, "/post503", status(503).withHeader("Retry-After", "1"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    try (Response r = c.newCall(post("/post429", RequestBody.create("x", TEXT))).execute()) {
      assertEquals(200, r.code());
    }
    try (Response r = c.newCall(post("/post503", RequestBody.create("x", TEXT))).execute()) {
      assertEquals(503, r.code());
    }
    assertEquals(2, requests("/post429"));
    assertEquals(1, requests("/post503"));
    server.findAll(anyRequestedFor(urlEqualTo("/post429")))
        .forEach(r -> assertEquals("x", r.getBodyAsString()));
  }

  @Test
  void idempotencyKeyOrPutMakesA503Retryable() throws IOException {
    sequence(server, "/put", status(503).withHeader("Retry-After", "1"), status(200));
    sequence(server, "/idem", status(503).withHeader("Retry-After", "1"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).build());
    Request put = new Request.Builder().url(WireMockSupport.url(server, "/put"))
        .put(RequestBody.create("x", TEXT)).build();
    c.newCall(put).execute().close();
    Request idem = post("/idem", RequestBody.create("x", TEXT)).newBuilder()
        .header("Idempotency-Key", "k-1").build();
    c.newCall(idem).execute().close();
    assertEquals(2, requests("/put"));
    assertEquals(2, requests("/idem"));
  }

  @Test
  void nonIdempotentRetrySettingsAreHonoured() throws IOException {
    sequence(server, "/never", status(429).withHeader("Retry-After", "1"), status(200));
    sequence(server, "/always503", status(503).withHeader("Retry-After", "1"), status(200));
    OkHttpClient never = client(virtual(5, Duration.ofMinutes(1))
        .nonIdempotentRetry(NonIdempotentRetry.NEVER).build());
    try (Response r = never.newCall(post("/never", RequestBody.create("x", TEXT))).execute()) {
      assertEquals(429, r.code());
    }
    closeClient();
    OkHttpClient always = client(virtual(5, Duration.ofMinutes(1))
        .nonIdempotentRetry(NonIdempotentRetry.ALWAYS).build());
    try (Response r = always.newCall(post("/always503", RequestBody.create("x", TEXT))).execute()) {
      assertEquals(200, r.code());
    }
    assertEquals(1, requests("/never"));
    assertEquals(2, requests("/always503"));
  }

  // ---- cancel, interrupt, callTimeout

  @Test
  void cancelDuringAWaitEndsExecutePromptly() throws Exception {
    sequence(server, "/cancel", status(429).withHeader("Retry-After", "60"), status(200));
    OkHttpClient c = client(real(5, Duration.ofMinutes(2)).build());
    Call call = c.newCall(get("/cancel"));
    CompletableFuture<Response> result = CompletableFuture.supplyAsync(() -> {
      try {
        return call.execute();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    awaitRequests("/cancel", 1);
    call.cancel();
    // The wait was 60 s; a generous bound shows it ended because of the cancel.
    ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
    assertInstanceOf(IOException.class, e.getCause().getCause());
    assertEquals(1, requests("/cancel"));
  }

  @Test
  void cancelDuringAWaitEndsEnqueuedCallPromptly() throws Exception {
    sequence(server, "/cancel2", status(429).withHeader("Retry-After", "60"), status(200));
    OkHttpClient c = client(real(5, Duration.ofMinutes(2)).build());
    CompletableFuture<IOException> failure = new CompletableFuture<>();
    Call call = c.newCall(get("/cancel2"));
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        failure.complete(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        response.close();
        failure.completeExceptionally(new AssertionError("got a response: " + response.code()));
      }
    });
    awaitRequests("/cancel2", 1);
    call.cancel();
    assertInstanceOf(IOException.class, failure.get(5, TimeUnit.SECONDS));
    assertEquals(1, requests("/cancel2"));
    assertEquals(0, awaitNoRunningCalls(c)); // the Dispatcher slot is released
  }

  @Test
  void interruptDuringAWaitThrowsInterruptedIoAndKeepsTheFlag() throws Exception {
    sequence(server, "/interrupt", status(429).withHeader("Retry-After", "60"), status(200));
    OkHttpClient c = client(real(5, Duration.ofMinutes(2)).build());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        c.newCall(get("/interrupt")).execute().close();
      } catch (Throwable e) {
        thrown.set(e);
        flag.set(Thread.currentThread().isInterrupted());
      }
    });
    t.start();
    awaitRequests("/interrupt", 1);
    t.interrupt();
    t.join(5_000);
    assertInstanceOf(InterruptedIOException.class, thrown.get());
    assertEquals(Boolean.TRUE, flag.get());
  }

  @Test
  void waitBeyondCallTimeoutGivesUpAtOnceWithThe429() throws IOException {
    sequence(server, "/timeout", status(429).withHeader("Retry-After", "60"), status(200));
    OkHttpClient c = client(real(5, Duration.ofMinutes(2)).build(),
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(3)));
    // Without the deadline check OkHttp would cancel the sleeping call after 3 s and throw "timeout".
    try (Response r = c.newCall(get("/timeout")).execute()) {
      assertEquals(429, r.code());
    }
    assertEquals(1, requests("/timeout"));
  }

  @Test
  void waitBeyondCallTimeoutThrowsWhenConfiguredTo() {
    sequence(server, "/timeout2", status(429).withHeader("Retry-After", "60"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(2)).onGiveUp(GiveUpAction.THROW).build(),
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(3)));
    ThrottleGiveUpIOException e =
        assertThrows(ThrottleGiveUpIOException.class, () -> c.newCall(get("/timeout2")).execute());
    assertEquals(ThrottleGiveUpException.Reason.CALL_TIMEOUT, e.giveUp().reason());
    assertEquals(429, e.giveUp().lastStatus());
    assertEquals(60 * SECOND, e.giveUp().neededDelayNanos());
    assertEquals(0, vt.slept);
    assertEquals(ThrottleEvent.Type.GIVE_UP, events.get(events.size() - 1).type());
  }

  @Test
  void waitWithinCallTimeoutIsTaken() throws IOException {
    sequence(server, "/within", status(429).withHeader("Retry-After", "2"), status(200));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(2)).build(),
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)));
    try (Response r = c.newCall(get("/within")).execute()) {
      assertEquals(200, r.code());
    }
    assertEquals(2 * SECOND, vt.gap(0));
  }

  @Test
  void pacingWaitBeyondCallTimeoutThrowsBecauseThereIsNoResponseToReturn() throws IOException {
    server.stubFor(any(urlEqualTo("/drained")).willReturn(status(200)
        .withHeader("RateLimit", "\"default\";r=0;t=60")));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(2)).build(),
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(3)));
    c.newCall(get("/drained")).execute().close();
    ThrottleGiveUpIOException e =
        assertThrows(ThrottleGiveUpIOException.class, () -> c.newCall(get("/drained")).execute());
    assertEquals(0, e.giveUp().lastStatus());
    assertEquals(0, e.giveUp().attempts());
    assertEquals(1, requests("/drained"));
    assertEquals(new ThrottleEvent(ThrottleEvent.Type.GIVE_UP, "127.0.0.1:" + server.port(), 0, 0, 3 * SECOND,
            ThrottleGiveUpException.Reason.CALL_TIMEOUT),
        events.get(events.size() - 1));
  }

  @Test
  void aStrategyThatThrowsClosesTheResponseAndPropagates() throws Exception {
    server.stubFor(any(urlEqualTo("/broken")).willReturn(status(200).withBody("x".repeat(64 * 1024))));
    ThrottleStrategy broken = now -> new ThrottleStrategy.Call() {
      @Override
      public long delayNanos(long nowNanos) {
        return 0;
      }

      @Override
      public boolean onResponse(int status, dev.throttle.core.headers.RateLimitHeaders headers, long nowNanos) {
        throw new IllegalStateException("broken strategy");
      }
    };
    OkHttpClient c = client(ThrottlingInterceptor.builder(ThrottlePolicy.of(broken)).build());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.newCall(get("/broken")).execute());
    assertEquals("broken strategy", e.getMessage());
    long deadline = System.nanoTime() + 5 * SECOND;
    while (c.connectionPool().connectionCount() != c.connectionPool().idleConnectionCount()
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(c.connectionPool().connectionCount(), c.connectionPool().idleConnectionCount(),
        "the response's connection is still in use");
  }

  // ---- builder

  @Test
  void builderRejectsBadConfiguration() {
    ThrottlingInterceptor.Builder b = virtual(5, Duration.ofMinutes(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.maxKeys(0));
    assertTrue(e.getMessage().contains("maxKeys"));
    NullPointerException n = assertThrows(NullPointerException.class, () -> b.keyFunction(null));
    assertEquals("keyFunction", n.getMessage());
    assertThrows(NullPointerException.class, () -> b.onGiveUp(null));
    assertThrows(NullPointerException.class, () -> b.nonIdempotentRetry(null));
    assertThrows(NullPointerException.class, () -> b.clock(null));
    assertThrows(NullPointerException.class, () -> b.wallClock(null));
    assertThrows(NullPointerException.class, () -> b.scheduler(null));
  }

  @Test
  void aBrokenStrategyFactoryIsRefusedAtBuildTime() throws IOException {
    ThrottlePolicy policy = ThrottlePolicy.of(new TestStrategy(SECOND));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ThrottlingInterceptor.builder(policy).strategyPerKey(() -> null).build());
    assertEquals("strategyPerKey: the strategy factory returned null; it must return a new strategy on every call",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ThrottlingInterceptor.builder(() -> null));
    assertTrue(e.getMessage().contains("returned null"), e.getMessage());
    ThrottleStrategy shared = new TestStrategy(SECOND);
    e = assertThrows(IllegalArgumentException.class,
        () -> ThrottlingInterceptor.builder(policy).strategyPerKey(() -> shared).build());
    assertTrue(e.getMessage().contains("same instance"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ThrottlingInterceptor.builder(policy)
        .strategyPerKey(() -> { throw new IllegalStateException("no config"); }).build());
    assertTrue(e.getMessage().contains("no config"), e.getMessage());
    // a factory that passes the check but later returns null: the call is still made, under the template
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ThrottlingInterceptor lateNull = ThrottlingInterceptor.builder(policy)
        .strategyPerKey(() -> calls.incrementAndGet() <= 2 ? new TestStrategy(SECOND) : null).build();
    assertEquals(2, calls.get(), "build() calls the factory twice to check it");
    server.stubFor(any(urlEqualTo("/late-null")).willReturn(aResponse().withStatus(200)));
    try (Response r = client(lateNull).newCall(get("/late-null")).execute()) {
      assertEquals(200, r.code());
    }
  }

  @Test
  void nullKeyFallsBackToHostAndStillSharesState() throws IOException {
    server.stubFor(any(urlEqualTo("/nullkey")).willReturn(status(200)
        .withHeader("RateLimit", "\"default\";r=0;t=1")));
    OkHttpClient c = client(virtual(5, Duration.ofMinutes(1)).keyFunction(r -> null).build());
    c.newCall(get("/nullkey")).execute().close();
    c.newCall(get("/nullkey")).execute().close();
    assertEquals(SECOND, vt.gap(0));
  }

  // ---- helpers

  private static void awaitRequests(String path, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10 * SECOND;
    while (requests(path) < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(requests(path) >= n, "server never saw " + n + " request(s) to " + path);
    Thread.sleep(50); // let the client read the response and start its wait
  }

  private static int awaitNoRunningCalls(OkHttpClient c) throws InterruptedException {
    long deadline = System.nanoTime() + 5 * SECOND;
    while (c.dispatcher().runningCallsCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return c.dispatcher().runningCallsCount();
  }

  /** A request body with configurable one-shot / duplex flags. */
  static final class SpecialBody extends RequestBody {
    private final boolean oneShot;
    private final boolean duplex;

    SpecialBody(boolean oneShot, boolean duplex) {
      this.oneShot = oneShot;
      this.duplex = duplex;
    }

    @Override
    public MediaType contentType() {
      return TEXT;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.writeUtf8("payload");
    }

    @Override
    public boolean isOneShot() {
      return oneShot;
    }

    @Override
    public boolean isDuplex() {
      return duplex;
    }
  }
}
