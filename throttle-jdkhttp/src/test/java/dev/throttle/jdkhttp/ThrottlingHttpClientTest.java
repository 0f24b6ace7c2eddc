package dev.throttle.jdkhttp;

import dev.throttle.testing.ScriptedServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.Strategies;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.testing.ManualNanoClock;
import dev.throttle.testing.VirtualSleeper;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottlingHttpClientTest {

  /** Sends at once; retries a 429 or 503 after its Retry-After (0 without one). */
  static final ThrottleStrategy RETRY_AFTER = now -> new ThrottleStrategy.Call() {
    long next;

    @Override
    public long delayNanos(long nowNanos) {
      return next;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      next = headers.hasRetryAfter() ? headers.retryAfterNanos() : 0;
      return status == 429 || status == 503;
    }
  };

  final ScriptedServer server;
  final ExecutorService clientExecutor = Executors.newSingleThreadExecutor();
  final HttpClient plain = HttpClient.newBuilder().executor(clientExecutor).build();
  final ManualNanoClock clock = new ManualNanoClock();
  final VirtualSleeper sleeper = new VirtualSleeper(clock);
  final List<ThrottleEvent> events = new CopyOnWriteArrayList<>();

  ThrottlingHttpClientTest() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    server.close();
    clientExecutor.shutdownNow();
  }

  ThrottlePolicy.Builder policy(ThrottleStrategy strategy) {
    return ThrottlePolicy.builder(strategy).name("jdk").addListener(events::add);
  }

  HttpRequest get(String path) {
    return HttpRequest.newBuilder(server.uri(path)).build();
  }

  @Test
  void retryAfterIsHonouredBeforeTheRetry() throws Exception {
    server.script("/a", ScriptedServer.tooManyRequests(3));
    HttpClient client = ThrottlingHttpClient.builder(plain, policy(Strategies.defaultStrategy(7)).build())
        .clock(clock).sleeper(sleeper).build();

    HttpResponse<String> r = client.send(get("/a"), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, r.statusCode());
    assertEquals("200 /a", r.body());
    assertEquals(2, server.count("/a"));
    ThrottleEvent retry = events.get(0);
    assertEquals(ThrottleEvent.Type.RETRY, retry.type());
    assertEquals(429, retry.status());
    assertTrue(retry.delayNanos() >= TimeUnit.SECONDS.toNanos(3), "waited " + retry.delayNanos());
    assertTrue(sleeper.totalNanos() >= TimeUnit.SECONDS.toNanos(3));
  }

  @Test
  void pacingFromHeadersHoldsBackTheNextCall() throws Exception {
    // nothing remains, the next unit is back in 2 s (draft RateLimit fields)
    server.script("/p", new ScriptedServer.Reply(200, Map.of("RateLimit", "\"default\";r=0;t=2",
        "RateLimit-Policy", "\"default\";q=10;w=60")));
    HttpClient client = ThrottlingHttpClient.builder(plain, policy(Strategies.defaultStrategy(7)).build())
        .clock(clock).sleeper(sleeper).build();

    assertEquals(200, client.send(get("/p"), HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(0, sleeper.totalNanos(), "nothing known before the first response");
    assertEquals(200, client.send(get("/p"), HttpResponse.BodyHandlers.ofString()).statusCode());

    assertTrue(sleeper.totalNanos() >= TimeUnit.SECONDS.toNanos(2), "paced " + sleeper.totalNanos());
    assertEquals(ThrottleEvent.Type.THROTTLE, events.get(0).type());
    assertEquals(2, server.count("/p"), "pacing is not a retry");
  }

  @Test
  void givingUpReturnsTheLast429OrThrowsAsConfigured() throws Exception {
    server.fallback(ScriptedServer.tooManyRequests(1));
    ThrottlePolicy twoAttempts = policy(RETRY_AFTER).maxAttempts(2).build();

    HttpClient returning = ThrottlingHttpClient.builder(plain, twoAttempts).clock(clock).sleeper(sleeper).build();
    HttpResponse<String> last = returning.send(get("/g"), HttpResponse.BodyHandlers.ofString());
    assertEquals(429, last.statusCode());
    assertEquals(2, server.count("/g"));

    HttpClient throwing = ThrottlingHttpClient.builder(plain, twoAttempts).clock(clock).sleeper(sleeper)
        .onGiveUp(GiveUpAction.THROW).build();
    ThrottleGiveUpException e = assertThrows(ThrottleGiveUpException.class,
        () -> throwing.send(get("/t"), HttpResponse.BodyHandlers.ofInputStream()));
    assertEquals(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, e.reason());
    assertEquals(429, e.lastStatus());
    assertEquals(2, server.count("/t"));

    ExecutionException async = assertThrows(ExecutionException.class, () -> ThrottlingHttpClient
        .builder(plain, twoAttempts).onGiveUp(GiveUpAction.THROW).build()
        .sendAsync(get("/async"), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS));
    assertInstanceOf(ThrottleGiveUpException.class, async.getCause());
  }

  @Test
  void maxDelayGivesUpAtOnceWithoutWaiting() throws Exception {
    server.script("/long", ScriptedServer.tooManyRequests(3600));
    HttpClient client = ThrottlingHttpClient.builder(plain,
        policy(RETRY_AFTER).maxDelay(Duration.ofMinutes(1)).build()).clock(clock).sleeper(sleeper).build();
    HttpResponse<String> r = client.send(get("/long"), HttpResponse.BodyHandlers.ofString());
    assertEquals(429, r.statusCode());
    assertEquals(0, sleeper.totalNanos());
    assertEquals(ThrottleGiveUpException.Reason.MAX_DELAY, events.get(events.size() - 1).reason());
  }

  @Test
  void discardedStreamingBodiesAreClosedAndTheKeptOneIsReadable() throws Exception {
    server.script("/s", ScriptedServer.tooManyRequests(1));
    HttpClient client = ThrottlingHttpClient.builder(plain, policy(RETRY_AFTER).build()).clock(clock)
        .sleeper(sleeper).build();
    HttpResponse<InputStream> r = client.send(get("/s"), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      assertEquals("200 /s", new String(in.readAllBytes()));
    }
  }

  @Test
  void sendAsyncNeverBlocksAThreadWhileWaiting() throws Exception {
    // 20 calls, each first answered 429 Retry-After: 1. One scheduler thread and one client thread: if a wait
    // held a thread, the 20 one-second waits would take about 20 s one after the other.
    int calls = 20;
    for (int i = 0; i < calls; i++) {
      server.script("/c" + i, ScriptedServer.tooManyRequests(1));
    }
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      HttpClient client = ThrottlingHttpClient.builder(plain, policy(RETRY_AFTER).build()).scheduler(scheduler)
          .build();
      long start = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        futures.add(client.sendAsync(get("/c" + i), HttpResponse.BodyHandlers.ofString()));
      }
      long submitted = System.nanoTime() - start;
      // a call that needs no wait is answered while the others wait
      HttpResponse<String> free = client.sendAsync(get("/free"), HttpResponse.BodyHandlers.ofString())
          .get(5, TimeUnit.SECONDS);
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long elapsed = System.nanoTime() - start;

      for (int i = 0; i < calls; i++) {
        assertEquals(200, futures.get(i).get().statusCode());
        assertEquals(2, server.count("/c" + i));
      }
      assertEquals(200, free.statusCode());
      // generous bounds for a loaded machine: one after the other the 20 waits would take 20 s
      assertTrue(submitted < TimeUnit.SECONDS.toNanos(5), "sendAsync returned at once: " + submitted);
      long freeArrived = arrival("/free", 0);
      for (int i = 0; i < calls; i++) {
        assertTrue(freeArrived < arrival("/c" + i, 1), "the free call went before every retry");
        assertTrue(arrival("/c" + i, 1) - arrival("/c" + i, 0) >= TimeUnit.MILLISECONDS.toNanos(950));
      }
      assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "waits overlapped: " + elapsed);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void anInterruptDuringAWaitThrowsInterruptedException() throws Exception {
    server.script("/i", ScriptedServer.tooManyRequests(30));
    HttpClient client = ThrottlingHttpClient.builder(plain, policy(RETRY_AFTER).build()).build(); // real sleeper
    Thread caller = Thread.currentThread();
    ScheduledExecutorService interrupter = Executors.newSingleThreadScheduledExecutor();
    try {
      interrupter.schedule(caller::interrupt, 300, TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      assertThrows(InterruptedException.class, () -> client.send(get("/i"), HttpResponse.BodyHandlers.ofString()));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "stopped waiting at once");
      assertEquals(1, server.count("/i"));
    } finally {
      interrupter.shutdownNow();
      Thread.interrupted();
    }
  }

  private long arrival(String path, int index) {
    return server.requests().stream().filter(r -> r.path().equals(path)).skip(index).findFirst().orElseThrow()
        .atNanos();
  }

  @Test
  void builderAndDelegationChecks() {
    assertThrows(NullPointerException.class, () -> ThrottlingHttpClient.builder(null, policy(RETRY_AFTER).build()));
    assertThrows(NullPointerException.class, () -> ThrottlingHttpClient.builder(plain, null));
    ThrottlingHttpClient c = ThrottlingHttpClient.builder(plain, policy(RETRY_AFTER).build()).build();
    assertEquals(plain.version(), c.version());
    assertEquals(plain.followRedirects(), c.followRedirects());
    assertEquals("jdk", c.policy().name());
  }
}
