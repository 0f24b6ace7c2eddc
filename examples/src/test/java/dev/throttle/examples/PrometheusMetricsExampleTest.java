package dev.throttle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.micrometer.ThrottleMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusMetricsExampleTest {

  @Test
  void theMetricsEndpointServesTheThrottleMetersOnce() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ThrottleMetrics metrics = ThrottleMetrics.of(registry);
    ThrottlePolicy policy;
    // burst 2 then 20/s: 8 requests need throttling one way or another (pacing or 429 + Retry-After)
    try (RateLimitedServer api = RateLimitedServer.start(Quota.of(Rate.perSecond(20), 2), 0)) {
      policy = PrometheusMetricsExample.run(metrics, URI.create(api.url("/")), 8, 42);
      assertEquals(8, api.admitted("example"), "every request got through in the end");
      assertEquals(policy.retryBudgetTokens(), registry.get("throttle.retry.budget.tokens").gauge().value());
    }
    HttpServer server = PrometheusMetricsExample.serveMetrics(registry, 0);
    try {
      HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
      String text = scrape.body();
      double pacing = value(text, "throttle_waits_seconds_count", "kind=\"pacing\"");
      double retryWaits = value(text, "throttle_waits_seconds_count", "kind=\"retry\"");
      double retries429 = value(text, "throttle_retries_total", "status=\"429\"");
      assertEquals(retryWaits, retries429 + value(text, "throttle_retries_total", "status=\"503\""));
      assertTrue(pacing + retryWaits >= 1, "8 requests against a burst of 2 needed at least one wait:\n" + text);
      assertEquals(0.0, value(text, "throttle_giveups_total", "reason=\"max_attempts\""));
      double tokens = value(text, "throttle_retry_budget_tokens", "policy=\"demo-api\"");
      assertTrue(tokens > 5 && tokens <= 10, "budget level " + tokens);
      // the server's RateLimit headers (a burst of 2, far below what 20/s refills in a minute) made the default
      // strategy pace; the scrape shows the interval it reads now, in seconds
      double interval = value(text, "throttle_pacing_interval_seconds", "policy=\"demo-api\"");
      assertEquals(policy.strategy().pacingIntervalNanos() / 1e9, interval, 1e-9);
      assertTrue(interval > 0, "pacing interval " + interval);
    } finally {
      server.stop(0);
    }
  }

  /** The value of the one sample of {@code name} for policy demo-api whose labels contain {@code label}. */
  private static double value(String text, String name, String label) {
    List<String> lines = Arrays.stream(text.split("\n"))
        .filter(l -> l.startsWith(name + "{") && l.contains("policy=\"demo-api\"") && l.contains(label)).toList();
    assertEquals(1, lines.size(), name + " " + label + " in\n" + text);
    String line = lines.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
