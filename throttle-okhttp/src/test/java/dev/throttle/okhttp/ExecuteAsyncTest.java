package dev.throttle.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.AsyncThrottleRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ThrottlingInterceptor#executeAsync}: waits are scheduled, never slept on a Dispatcher thread. Against a
 * real JDK HTTP server on 127.0.0.1: {@code /limited?id=N} answers the first request of each id with 429 and
 * {@code Retry-After: 1}, later ones with 200; {@code /free} always answers 200. Keys are the path, so the free
 * call has a key of its own and may go at once.
 */
class ExecuteAsyncTest {

  private static final long SECOND = 1_000_000_000L;

  private HttpServer server;
  private ExecutorService serverThreads;
  private final Set<String> seenIds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<OkHttpClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String query = exchange.getRequestURI().getQuery();
      boolean limited = exchange.getRequestURI().getPath().equals("/limited");
      int status = 200;
      if (limited && seenIds.add(query)) {
        status = 429;
        exchange.getResponseHeaders().add("Retry-After", "1");
      }
      byte[] body = ("" + status).getBytes();
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    serverThreads = Executors.newFixedThreadPool(8);
    server.setExecutor(serverThreads);
    server.start();
  }

  @AfterEach
  void stop() {
    for (OkHttpClient c : clients) {
      c.dispatcher().executorService().shutdown();
      c.connectionPool().evictAll();
    }
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private Request request(String pathAndQuery) {
    return new Request.Builder().url("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery).build();
  }

  private ThrottlingInterceptor.Builder perPath() {
    return ThrottlingInterceptor.builder(() -> new TestStrategy(SECOND)).keyFunction(r -> r.url().encodedPath());
  }

  private OkHttpClient client(ThrottlingInterceptor interceptor) {
    OkHttpClient c = new OkHttpClient.Builder().addInterceptor(interceptor).build(); // Dispatcher defaults: 64 / 5 per host
    clients.add(c);
    return c;
  }

  /** Waits until the server has seen {@code n} requests (the 429s of the first attempts). */
  private void awaitRequests(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 30 * SECOND;
    while (requests.get() < n) {
      assertTrue(System.nanoTime() < deadline, "server saw only " + requests.get() + " of " + n + " requests");
      Thread.sleep(5);
    }
  }

  /** Threads that are inside the interceptor's sleeping wait right now. */
  private static List<String> threadsSleepingInTheInterceptor() {
    List<String> sleeping = new ArrayList<>();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      for (StackTraceElement frame : e.getValue()) {
        if (frame.getClassName().startsWith(ThrottlingInterceptor.class.getName())
            && frame.getMethodName().equals("await")) {
          sleeping.add(e.getKey().getName() + " " + e.getKey().getState());
          break;
        }
      }
    }
    return sleeping;
  }

  @Test
  void fiftyCallsUnderRetryAfterHoldNoDispatcherThreadAndTheFreeCallGoesAtOnce() throws Exception {
    ThrottlingInterceptor interceptor = perPath().build();
    OkHttpClient client = client(interceptor);
    long t0 = System.nanoTime();
    List<CompletableFuture<Response>> limited = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      limited.add(interceptor.executeAsync(client, request("/limited?id=" + i)));
    }
    awaitRequests(50); // every first attempt got its 429: 50 waits of 1 s are now scheduled

    AtomicInteger limitedDoneWhenFreeAnswered = new AtomicInteger(-1);
    long freeStart = System.nanoTime();
    CompletableFuture<Response> free = interceptor.executeAsync(client, request("/free"));
    free.whenComplete((r, e) -> limitedDoneWhenFreeAnswered.set(
        (int) limited.stream().filter(CompletableFuture::isDone).count()));
    try (Response r = free.get(30, TimeUnit.SECONDS)) {
      assertEquals(200, r.code());
    }
    long freeMillis = (System.nanoTime() - freeStart) / 1_000_000;
    // Promptly: before any throttled call got its retry through (their waits are 1 s). The sleeping
    // interceptor under enqueue kept it 9.9 s behind them.
    assertEquals(0, limitedDoneWhenFreeAnswered.get(), "the free call waited for throttled ones (" + freeMillis + " ms)");
    // While the 50 wait, nothing runs on the Dispatcher and no thread sleeps in the interceptor.
    if (limited.stream().noneMatch(CompletableFuture::isDone)) {
      assertEquals(0, client.dispatcher().runningCallsCount());
      assertEquals(0, client.dispatcher().queuedCallsCount());
      assertEquals(List.of(), threadsSleepingInTheInterceptor());
    }
    for (CompletableFuture<Response> f : limited) {
      try (Response r = f.get(60, TimeUnit.SECONDS)) {
        assertEquals(200, r.code());
      }
    }
    long totalMillis = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(101, requests.get(), "50 x (429, 200) + the free call");
    // About 1 s of Retry-After, not 50 / 5 per host x 1 s = 10 s; generous for a loaded machine.
    assertTrue(totalMillis < 8_000, "50 async calls under a 1 s Retry-After took " + totalMillis + " ms");
  }

  /** The same shape through the sleeping interceptor with enqueue: the free call does wait (the test can fail). */
  @Test
  void controlTheSleepingInterceptorUnderEnqueueMakesTheFreeCallWait() throws Exception {
    OkHttpClient client = client(perPath().build());
    int n = 10;
    List<CompletableFuture<Integer>> limited = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      limited.add(enqueue(client, request("/limited?id=" + i)));
    }
    awaitRequests(5); // five dispatcher threads per host, each now sleeping 1 s in the interceptor
    assertTrue(client.dispatcher().runningCallsCount() >= 5);
    CompletableFuture<Integer> free = enqueue(client, request("/free"));
    assertEquals(200, free.get(60, TimeUnit.SECONDS));
    assertTrue(limited.stream().anyMatch(CompletableFuture::isDone), "the free call went before every limited one");
    for (CompletableFuture<Integer> f : limited) {
      assertEquals(200, f.get(60, TimeUnit.SECONDS));
    }
  }

  private static CompletableFuture<Integer> enqueue(OkHttpClient client, Request request) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        f.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          f.complete(response.code());
        }
      }
    });
    return f;
  }

  @Test
  void cancellingTheFutureDropsTheScheduledWait() throws Exception {
    ScheduledThreadPoolExecutor scheduler = AsyncThrottleRunner.newScheduler("test-async", 1);
    try {
      ThrottlingInterceptor interceptor = perPath().scheduler(scheduler).build();
      OkHttpClient client = client(interceptor);
      CompletableFuture<Response> f = interceptor.executeAsync(client, request("/limited?id=cancel"));
      awaitRequests(1);
      long deadline = System.nanoTime() + 30 * SECOND;
      while (scheduler.getQueue().isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "no wait was scheduled");
        Thread.sleep(5);
      }
      assertTrue(f.cancel(false));
      // the wait is dropped from the queue at once (or, if the Dispatcher thread had not yet stored its handle,
      // by that thread right after): never left there until it falls due
      deadline = System.nanoTime() + 5 * SECOND;
      while (!scheduler.getQueue().isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the cancelled wait stayed queued");
        Thread.sleep(1);
      }
      Thread.sleep(1_500); // past the Retry-After: no retry is sent
      assertEquals(1, requests.get());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void giveUpWithThrowCompletesWithTheIoExceptionAndOtherwiseReturnsTheLast429() throws Exception {
    ThrottlePolicy oneAttempt = ThrottlePolicy.builder(new TestStrategy(SECOND)).maxAttempts(1).build();
    ThrottlingInterceptor throwing = ThrottlingInterceptor.builder(oneAttempt).onGiveUp(GiveUpAction.THROW).build();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> throwing.executeAsync(client(throwing), request("/limited?id=a")).get(30, TimeUnit.SECONDS));
    ThrottleGiveUpIOException io = assertInstanceOf(ThrottleGiveUpIOException.class, e.getCause());
    assertEquals(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, io.giveUp().reason());

    ThrottlingInterceptor returning = ThrottlingInterceptor.builder(oneAttempt).build();
    try (Response r = returning.executeAsync(client(returning), request("/limited?id=b")).get(30, TimeUnit.SECONDS)) {
      assertEquals(429, r.code());
    }
  }

  @Test
  void aWaitPastTheCallTimeoutGivesUpAtOnce() throws Exception {
    ThrottlingInterceptor interceptor = perPath().build();
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(java.time.Duration.ofMillis(500)).build();
    clients.add(client);
    long start = System.nanoTime();
    try (Response r = interceptor.executeAsync(client, request("/limited?id=t")).get(30, TimeUnit.SECONDS)) {
      assertEquals(429, r.code(), "the 1 s Retry-After would pass the 500 ms call timeout: the last response");
    }
    assertEquals(1, requests.get());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
  }
}
