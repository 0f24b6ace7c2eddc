package dev.throttle.field;

import dev.failsafe.RetryPolicy;
import dev.failsafe.okhttp.FailsafeCall;
import dev.throttle.okhttp.ThrottlingInterceptor;
import dev.throttle.sim.strategy.StrategyRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One way a user sends requests to a rate-limited server: through a Throttle strategy in the
 * {@link ThrottlingInterceptor}, or through a peer's retry loop as its users typically configure it. A logical
 * request is one {@link #execute} call: its waits and retries are inside it.
 *
 * <p>Implementations are thread-safe: one instance serves all threads of a run.
 */
public interface FieldClient {

  /** Returns the name in the results table. */
  String name();

  /** Adds what this client needs to the run's one {@link OkHttpClient} (the Throttle interceptor, or nothing). */
  OkHttpClient.Builder configure(OkHttpClient.Builder builder);

  /**
   * Sends one logical request and returns its final response (2xx, or the last 429 when the client gave up).
   *
   * @throws IOException on I/O failure, interruption, or a give-up that throws
   */
  Response execute(OkHttpClient client, Request request) throws IOException;

  /** The peers' backoff set-up (client-peers.md): 500 ms initial, ×2, jitter 0.5, at most 10 s, 10 attempts. */
  Duration PEER_INITIAL = Duration.ofMillis(500);
  /** The peers' backoff multiplier. */
  double PEER_MULTIPLIER = 2.0;
  /** The peers' jitter / randomisation factor. */
  double PEER_JITTER = 0.5;
  /** The peers' longest backoff. */
  Duration PEER_MAX = Duration.ofSeconds(10);
  /** The peers' attempts, the first included (the same as Throttle's default policy). */
  int PEER_ATTEMPTS = 10;

  /**
   * Returns the client with this command-line name: {@code failsafe}, {@code resilience4j}, or a strategy name
   * of the simulator's {@link StrategyRegistry} (e.g. {@code default}, {@code eiprd}, {@code decorrelated-jitter})
   * run through the {@link ThrottlingInterceptor} with the default policy limits.
   *
   * @param seed the strategy's seed
   * @throws IllegalArgumentException naming the known clients if there is none by that name
   */
  static FieldClient byName(String name, long seed) {
    String n = name.trim();
    if (n.equalsIgnoreCase("failsafe")) {
      return failsafe();
    }
    if (n.equalsIgnoreCase("resilience4j")) {
      return resilience4j();
    }
    try {
      return throttle(StrategyRegistry.byId(n), seed);
    } catch (IllegalArgumentException e) {
      List<String> known = new ArrayList<>(List.of("failsafe", "resilience4j"));
      for (StrategyRegistry s : StrategyRegistry.values()) {
        known.add(s.id());
      }
      throw new IllegalArgumentException("unknown client '" + name + "'; known: " + String.join(", ", known), e);
    }
  }

  /** A Throttle strategy, one instance shared by all calls to the server (the interceptor's per-key default). */
  static FieldClient throttle(StrategyRegistry strategy, long seed) {
    return new FieldClient() {
      @Override
      public String name() {
        return strategy.id();
      }

      @Override
      public OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        return builder.addInterceptor(
            ThrottlingInterceptor.builder(() -> strategy.factory().create(seed, 0)).build());
      }

      @Override
      public Response execute(OkHttpClient client, Request request) throws IOException {
        return client.newCall(request).execute();
      }
    };
  }

  /**
   * Failsafe {@code RetryPolicy} on 429 through failsafe-okhttp's {@code FailsafeCall} (which closes each
   * discarded response): backoff 500 ms ×2 up to 10 s, jitter 0.5, 10 attempts.
   */
  static FieldClient failsafe() {
    RetryPolicy<Response> policy = RetryPolicy.<Response>builder()
        .handleResultIf(r -> r.code() == 429)
        .withBackoff(PEER_INITIAL, PEER_MAX, PEER_MULTIPLIER)
        .withJitter(PEER_JITTER)
        .withMaxAttempts(PEER_ATTEMPTS)
        .build();
    return new FieldClient() {
      @Override
      public String name() {
        return "failsafe";
      }

      @Override
      public OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        return builder;
      }

      @Override
      public Response execute(OkHttpClient client, Request request) throws IOException {
        return FailsafeCall.with(policy).compose(client.newCall(request)).execute();
      }
    };
  }

  /**
   * Resilience4j {@code Retry} with {@code IntervalFunction.ofExponentialRandomBackoff(500 ms, 2.0, 0.5, 10 s)},
   * 10 attempts, retrying on status 429 and closing each discarded response.
   */
  static FieldClient resilience4j() {
    RetryConfig config = RetryConfig.<Response>custom()
        .maxAttempts(PEER_ATTEMPTS)
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(PEER_INITIAL, PEER_MULTIPLIER, PEER_JITTER,
            PEER_MAX))
        .retryOnResult(r -> r.code() == 429)
        .consumeResultBeforeRetryAttempt((attempt, r) -> r.close())
        .build();
    Retry retry = Retry.of("field", config);
    return new FieldClient() {
      @Override
      public String name() {
        return "resilience4j";
      }

      @Override
      public OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        return builder;
      }

      @Override
      public Response execute(OkHttpClient client, Request request) throws IOException {
        try {
          return Retry.decorateCheckedSupplier(retry, () -> client.newCall(request).execute()).get();
        } catch (IOException | RuntimeException | Error e) {
          throw e;
        } catch (Throwable t) {
          throw new IOException(t);
        }
      }
    };
  }
}
