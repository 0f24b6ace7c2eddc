package dev.throttle.spring;

import dev.throttle.testing.ScriptedServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.Strategies;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.testing.ManualNanoClock;
import dev.throttle.testing.VirtualSleeper;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

class ThrottlingClientHttpRequestInterceptorTest {

  final ScriptedServer server;
  final ManualNanoClock clock = new ManualNanoClock();
  final VirtualSleeper sleeper = new VirtualSleeper(clock);
  final List<ThrottleEvent> events = new CopyOnWriteArrayList<>();

  ThrottlingClientHttpRequestInterceptorTest() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  ThrottlePolicy.Builder policy(ThrottleStrategy strategy) {
    return ThrottlePolicy.builder(strategy).name("spring").addListener(events::add);
  }

  RestClient restClient(ThrottlingClientHttpRequestInterceptor interceptor) {
    return RestClient.builder().requestFactory(new JdkClientHttpRequestFactory()).requestInterceptor(interceptor)
        .build();
  }

  @Test
  void restClientHonoursRetryAfter() {
    server.script("/a", ScriptedServer.tooManyRequests(2));
    RestClient client = restClient(ThrottlingClientHttpRequestInterceptor
        .builder(policy(Strategies.defaultStrategy(7)).build()).clock(clock).sleeper(sleeper).build());

    String body = client.get().uri(server.uri("/a")).retrieve().body(String.class);

    assertEquals("200 /a", body);
    assertEquals(2, server.count("/a"));
    assertEquals(ThrottleEvent.Type.RETRY, events.get(0).type());
    assertTrue(events.get(0).delayNanos() >= TimeUnit.SECONDS.toNanos(2), "waited " + events.get(0));
    assertTrue(sleeper.totalNanos() >= TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void restClientPacesFromHeaders() {
    server.script("/p", new ScriptedServer.Reply(200, Map.of("RateLimit", "\"default\";r=0;t=2",
        "RateLimit-Policy", "\"default\";q=10;w=60")));
    RestClient client = restClient(ThrottlingClientHttpRequestInterceptor
        .builder(policy(Strategies.defaultStrategy(7)).build()).clock(clock).sleeper(sleeper).build());

    client.get().uri(server.uri("/p")).retrieve().toBodilessEntity();
    assertEquals(0, sleeper.totalNanos());
    client.get().uri(server.uri("/p")).retrieve().toBodilessEntity();

    assertTrue(sleeper.totalNanos() >= TimeUnit.SECONDS.toNanos(2), "paced " + sleeper.totalNanos());
    assertEquals(ThrottleEvent.Type.THROTTLE, events.get(0).type());
    assertEquals(2, server.count("/p"));
  }

  @Test
  void giveUpThrowsOrHandsTheLast429ToSpring() {
    server.fallback(ScriptedServer.tooManyRequests(1));
    ThrottlePolicy twoAttempts = policy(TestStrategies.RETRY_AFTER).maxAttempts(2).build();

    RestClient throwing = restClient(ThrottlingClientHttpRequestInterceptor.builder(twoAttempts).clock(clock)
        .sleeper(sleeper).onGiveUp(GiveUpAction.THROW).build());
    ThrottleGiveUpException e = assertThrows(ThrottleGiveUpException.class,
        () -> throwing.get().uri(server.uri("/t")).retrieve().body(String.class));
    assertEquals(ThrottleGiveUpException.Reason.MAX_ATTEMPTS, e.reason());
    assertEquals(2, server.count("/t"));

    RestTemplate template = new RestTemplate(new JdkClientHttpRequestFactory());
    template.getInterceptors().add(ThrottlingClientHttpRequestInterceptor.builder(twoAttempts).clock(clock)
        .sleeper(sleeper).build());
    assertThrows(HttpClientErrorException.TooManyRequests.class,
        () -> template.getForObject(server.uri("/r"), String.class));
    assertEquals(2, server.count("/r"));
  }

  @Test
  void restTemplateRetriesAndReturnsTheSuccess() {
    server.script("/rt", ScriptedServer.tooManyRequests(1), new ScriptedServer.Reply(503, Map.of("Retry-After", "1")));
    RestTemplate template = new RestTemplate(new JdkClientHttpRequestFactory());
    template.getInterceptors().add(ThrottlingClientHttpRequestInterceptor
        .builder(policy(TestStrategies.RETRY_AFTER).build()).clock(clock).sleeper(sleeper).build());
    ResponseEntity<String> r = template.getForEntity(server.uri("/rt"), String.class);
    assertEquals(200, r.getStatusCode().value());
    assertEquals("200 /rt", r.getBody());
    assertEquals(3, server.count("/rt"));
    assertEquals(TimeUnit.SECONDS.toNanos(2), sleeper.totalNanos());
  }
}
