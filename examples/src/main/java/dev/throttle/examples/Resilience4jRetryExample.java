package dev.throttle.examples;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.strategy.Strategies;

import dev.throttle.resilience4j.ThrottleRetry;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The library's default strategy inside a Resilience4j {@code Retry} ({@code throttle-resilience4j}'s
 * {@link ThrottleRetry}) around a plain OkHttp client, without the interceptor: Resilience4j does the waiting
 * and publishes its retry events, the strategy decides how long (never less than {@code Retry-After}). Calls a
 * {@link RateLimitedServer} that admits a burst of 10 and then 5 per second, N times in a row, while another
 * (unthrottled) client spends the burst and then, for 1.5 s, every unit as soon as it frees up: the first
 * calls get 429s with {@code Retry-After} and are retried, later ones are paced from the {@code RateLimit}
 * headers.
 *
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests
 * java -cp examples/target/throttle-examples.jar dev.throttle.examples.Resilience4jRetryExample [requests]
 * </pre>
 */
public final class Resilience4jRetryExample {

  private Resilience4jRetryExample() {}

  /** Sends requests without any throttling for 1.5 s after its first 429. */
  private static void hog(OkHttpClient client, Request request, RateLimitedServer server) {
    boolean refused = false;
    long until = 0;
    while (!refused || System.nanoTime() - until < 0) {
      try (Response r = client.newCall(request).execute()) {
        if (r.code() == 429 && !refused) {
          refused = true;
          until = System.nanoTime() + 1_500_000_000L;
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  /**
   * Arguments: {@code [requests]}, default 6.
   * @param args the command line
   * @throws Exception if the example fails
   */
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    Quota quota = Quota.of("api", Rate.of(5, Duration.ofSeconds(1)), 10);
    OkHttpClient client = new OkHttpClient();
    try (RateLimitedServer server = RateLimitedServer.start(quota, 0)) {
      ThrottleRetry<Response> throttle = ThrottleRetry.builder(
          ThrottlePolicy.builder(Strategies.defaultStrategy(42)).name("api").build(),
          ResponseAdapter.of(Response::code,
              r -> RateLimitHeaderParser.parseAll(r.headers()::values, System.currentTimeMillis()),
              Response::close))
          .build();
      AtomicInteger retries = new AtomicInteger();
      throttle.retry().getEventPublisher().onRetry(e -> {
        retries.incrementAndGet();
        System.out.printf(Locale.ROOT, "  resilience4j: retry %d in %d ms%n", e.getNumberOfRetryAttempts(),
            e.getWaitInterval().toMillis());
      });
      Request request = new Request.Builder().url(server.url("/resource"))
          .header(RateLimitedServer.TOKEN_HEADER, "r4j-example").build();
      ThrottleRetry.CheckedAttempt<Response, IOException> send =
          throttle.decorateCheckedSupplier(() -> client.newCall(request).execute());
      Thread greedy = new Thread(() -> hog(client, request, server), "greedy-client");
      greedy.start();
      while (server.limited("r4j-example") == 0) { // until the greedy client has spent the burst
        Thread.sleep(5);
      }
      long start = System.nanoTime();
      int ok = 0;
      for (int i = 1; i <= requests; i++) {
        try (Response response = send.get()) {
          System.out.printf(Locale.ROOT, "request %2d -> %d at %.2f s%n", i, response.code(),
              (System.nanoTime() - start) / 1e9);
          if (response.isSuccessful()) {
            ok++;
          }
        }
      }
      greedy.join();
      System.out.printf(Locale.ROOT, "%d/%d succeeded after %d retries%n", ok, requests, retries.get());
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
