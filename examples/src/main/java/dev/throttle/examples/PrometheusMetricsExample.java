package dev.throttle.examples;

import com.sun.net.httpserver.HttpServer;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.policy.RetryBudget;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.Strategies;
import dev.throttle.jdkhttp.ThrottlingHttpClient;
import dev.throttle.micrometer.ThrottleMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Throttle's client-side meters ({@code throttle-micrometer}) exposed for Prometheus: a {@link ThrottleMetrics}
 * listener on the policy of a {@link ThrottlingHttpClient} that calls a {@link RateLimitedServer} (with the gauges of
 * the policy's retry budget and pacing interval), and a JDK
 * {@link HttpServer} on 127.0.0.1 serving the {@link PrometheusMeterRegistry}'s text format at {@code /metrics}.
 *
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests
 * java -cp examples/target/throttle-examples.jar dev.throttle.examples.PrometheusMetricsExample [requests] [port]
 * curl http://127.0.0.1:9464/metrics
 * </pre>
 */
public final class PrometheusMetricsExample {

  /** The policy name, the {@code policy} tag of every meter. */
  public static final String POLICY = "demo-api";

  private PrometheusMetricsExample() {}

  /**
   * Serves {@code registry}'s scrape at {@code /metrics} on 127.0.0.1.
   *
   * @param registry the registry to expose
   * @param port the port, 0 for any free one
   * @return the started server; stop it with {@code stop(0)}
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static HttpServer serveMetrics(PrometheusMeterRegistry registry, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.createContext("/metrics", exchange -> {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code requests} GET requests to {@code uri} through a throttling client whose policy reports to
   * {@code metrics}, and returns the policy (whose retry budget and pacing interval the metrics observe: keep a
   * reference to it, the gauges hold it weakly).
   *
   * @param metrics the metrics listener
   * @param uri what to call
   * @param requests how many requests
   * @param seed the strategy's jitter seed
   * @return the policy the calls ran under
   */
  public static ThrottlePolicy run(ThrottleMetrics metrics, URI uri, int requests, long seed) {
    ThrottlePolicy policy = ThrottlePolicy.builder(Strategies.defaultStrategy(seed)).name(POLICY)
        .retryBudget(RetryBudget.of(10, 0.1)).addListener(metrics).build();
    metrics.bind(policy); // gauges: throttle_retry_budget_tokens, throttle_pacing_interval_seconds
    HttpClient client = ThrottlingHttpClient.builder(HttpClient.newHttpClient(), policy).build();
    HttpRequest request = HttpRequest.newBuilder(uri).header(RateLimitedServer.TOKEN_HEADER, "example").build();
    for (int i = 0; i < requests; i++) {
      try {
        client.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return policy;
      }
    }
    return policy;
  }

  /**
   * Runs the example: a server admitting 5 per second after a burst of 10, the requests, then the metrics on
   * {@code http://127.0.0.1:<port>/metrics} until the process is stopped.
   *
   * @param args {@code [requests] [port]}, default 30 and 9464
   * @throws Exception if the servers cannot start
   */
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 9464;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (RateLimitedServer api = RateLimitedServer.start(Quota.of(Rate.perSecond(5), 10), 0)) {
      ThrottlePolicy policy = run(ThrottleMetrics.of(registry), URI.create(api.url("/")), requests,
          ProcessHandle.current().pid());
      HttpServer metrics = serveMetrics(registry, port);
      System.out.println("Sent " + requests + " requests under " + policy.name() + "; metrics on http://127.0.0.1:"
          + metrics.getAddress().getPort() + "/metrics (Ctrl-C stops)");
      Thread.currentThread().join();
    }
  }
}
