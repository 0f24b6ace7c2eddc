package dev.throttle.spring;

import dev.throttle.testing.ScriptedServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.ThrottleStrategy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class ThrottlingExchangeFilterFunctionTest {

  final ScriptedServer server;
  final List<ThrottleEvent> events = new CopyOnWriteArrayList<>();
  final Scheduler timers = Schedulers.newSingle("throttle-test-timer");

  ThrottlingExchangeFilterFunctionTest() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    server.close();
    timers.dispose();
  }

  ThrottlePolicy.Builder policy(ThrottleStrategy strategy) {
    return ThrottlePolicy.builder(strategy).name("webclient").addListener(events::add);
  }

  WebClient webClient(ThrottlingExchangeFilterFunction filter) {
    return WebClient.builder().clientConnector(new JdkClientHttpConnector(java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build())).filter(filter).build();
  }

  @Test
  void retryAfterIsHonouredWithATimer() {
    server.script("/a", ScriptedServer.tooManyRequests(1));
    WebClient client = webClient(ThrottlingExchangeFilterFunction
        .builder(policy(TestStrategies.RETRY_AFTER).build()).scheduler(timers).build());

    long start = System.nanoTime();
    String body = client.get().uri(server.uri("/a")).retrieve().bodyToMono(String.class)
        .block(Duration.ofSeconds(10));
    long elapsed = System.nanoTime() - start;

    assertEquals("200 /a", body);
    assertEquals(2, server.count("/a"));
    assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(950), "waited " + elapsed);
    List<ScriptedServer.Request> reqs = server.requests();
    assertTrue(reqs.get(1).atNanos() - reqs.get(0).atNanos() >= TimeUnit.MILLISECONDS.toNanos(950));
    assertEquals(ThrottleEvent.Type.RETRY, events.get(0).type());
  }

  @Test
  void manyWaitingExchangesShareOneTimerThreadWithoutBlockingIt() {
    int calls = 20;
    for (int i = 0; i < calls; i++) {
      server.script("/c" + i, ScriptedServer.tooManyRequests(1));
    }
    WebClient client = webClient(ThrottlingExchangeFilterFunction
        .builder(policy(TestStrategies.RETRY_AFTER).build()).scheduler(timers).build());
    client.get().uri(server.uri("/warm-up")).retrieve().toBodilessEntity().block(Duration.ofSeconds(10));

    long start = System.nanoTime();
    Mono<List<String>> all = Flux.range(0, calls)
        .flatMap(i -> client.get().uri(server.uri("/c" + i)).retrieve().bodyToMono(String.class), calls)
        .collectList();
    Mono<String> free = client.get().uri(server.uri("/free")).retrieve().bodyToMono(String.class);
    List<String> bodies = Mono.zip(all, free).block(Duration.ofSeconds(30)).getT1();
    long elapsed = System.nanoTime() - start;

    assertEquals(calls, bodies.size());
    for (int i = 0; i < calls; i++) {
      assertEquals(2, server.count("/c" + i));
    }
    assertEquals(1, server.count("/free"));
    long freeArrived = arrival("/free", 0);
    for (int i = 0; i < calls; i++) {
      assertTrue(freeArrived < arrival("/c" + i, 1), "the free call went before every retry");
      assertTrue(arrival("/c" + i, 1) - arrival("/c" + i, 0) >= TimeUnit.MILLISECONDS.toNanos(950));
    }
    // one after the other the 20 one-second waits would take 20 s; generous for a loaded machine
    assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "the 20 one-second waits overlapped: " + elapsed);
  }

  private long arrival(String path, int index) {
    return server.requests().stream().filter(r -> r.path().equals(path)).skip(index).findFirst().orElseThrow()
        .atNanos();
  }

  @Test
  void giveUpFailsTheMonoOrEmitsTheLast429() {
    server.fallback(ScriptedServer.tooManyRequests(1));
    ThrottlePolicy noRetry = policy(TestStrategies.RETRY_AFTER).maxAttempts(1).build();

    WebClient throwing = webClient(ThrottlingExchangeFilterFunction.builder(noRetry)
        .onGiveUp(GiveUpAction.THROW).build());
    ThrottleGiveUpException e = assertThrows(ThrottleGiveUpException.class,
        () -> throwing.get().uri(server.uri("/t")).retrieve().toBodilessEntity().block(Duration.ofSeconds(10)));
    assertEquals(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, e.reason());
    assertEquals(1, server.count("/t"));

    WebClient returning = webClient(ThrottlingExchangeFilterFunction.builder(noRetry).build());
    Integer status = returning.get().uri(server.uri("/r")).exchangeToMono(r -> r.releaseBody()
        .thenReturn(r.statusCode().value())).block(Duration.ofSeconds(10));
    assertEquals(429, status);
    assertEquals(ThrottleEvent.Type.GIVE_UP, events.get(events.size() - 1).type());
  }

  @Test
  void cancellingDuringAWaitSendsNothingMore() throws Exception {
    server.script("/x", ScriptedServer.tooManyRequests(2));
    WebClient client = webClient(ThrottlingExchangeFilterFunction
        .builder(policy(TestStrategies.RETRY_AFTER).build()).scheduler(timers).build());
    var subscription = client.get().uri(server.uri("/x")).retrieve().bodyToMono(String.class).subscribe();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.count("/x") < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(200);
    subscription.dispose();
    Thread.sleep(2500);
    assertEquals(1, server.count("/x"));
  }
}
