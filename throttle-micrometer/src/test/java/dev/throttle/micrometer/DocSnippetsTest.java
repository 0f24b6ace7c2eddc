package dev.throttle.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.core.policy.RetryBudget;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.BlockingThrottleRunner;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.strategy.Strategies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Compiles and runs the snippet of docs/adapters.md, section "Micrometer". */
class DocSnippetsTest {

  @Test
  void micrometerSnippet() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", e -> {
      e.sendResponseHeaders(200, -1);
      e.close();
    });
    server.start();
    try {
      MeterRegistry registry = new SimpleMeterRegistry();
      long seed = ProcessHandle.current().pid();
      ResponseAdapter<HttpResponse<String>> adapter = ResponseAdapter.of(HttpResponse::statusCode,
          r -> RateLimitHeaderParser.parseAll(r.headers()::allValues, System.currentTimeMillis()));
      KeyedGcraLimiter<String> limiter = KeyedGcraLimiter.<String>builder()
          .quota(Quota.of(Rate.perSecond(10), 10)).build();
      String clientId = "alice";

      // --- docs/adapters.md: Micrometer ---
      ThrottleMetrics metrics = ThrottleMetrics.of(registry);
      ThrottlePolicy policy = ThrottlePolicy.builder(Strategies.defaultStrategy(seed)).name("github")
          .retryBudget(RetryBudget.of(10, 0.1)).addListener(metrics).build();
      metrics.bind(policy); // the gauges: retry-budget level and pacing interval
      BlockingThrottleRunner<HttpResponse<String>> runner = BlockingThrottleRunner
          .builder(policy, metrics.meter("github", adapter)).build();

      LimiterMetrics limiterMetrics = LimiterMetrics.of(registry, "api").bindKeyTable(limiter);
      RateLimitResult result = limiterMetrics.record(limiter.tryAcquire(clientId));
      // --- end ---

      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build();
      HttpResponse<String> response = runner.call(() -> {
        try {
          return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(200, response.statusCode());
      assertEquals(1.0, registry.get("throttle.attempts").tags("policy", "github", "status", "2xx").counter()
          .count());
      assertEquals(10.0, registry.get("throttle.retry.budget.tokens").gauge().value());
      // one success without headers: the default, starting at 1 per second, probes at 2 per second
      assertEquals(0.5, registry.get("throttle.pacing.interval").tag("policy", "github").gauge().value());
      assertEquals(true, result.allowed());
      assertEquals(1.0, registry.get("throttle.limiter.decisions").tag("decision", "allowed").counter().count());
      assertEquals(1.0, registry.get("throttle.limiter.keys").gauge().value());
    } finally {
      server.stop(0);
    }
  }
}
