package dev.throttle.okhttp;

import dev.throttle.core.policy.ThrottlePolicy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * For any script of server answers (200, 500, 429 and 503 with or without a valid, malformed or zero
 * Retry-After) and any attempt limit: the interceptor sends exactly as many requests as the policy allows, hands
 * the caller the last response sent, never retries before Retry-After, and leaves no connection in use. Real HTTP
 * (WireMock on 127.0.0.1), virtual time. The model includes OkHttp's own single retry of a 503 with
 * {@code Retry-After: 0}, which happens below an application interceptor.
 */
class InterceptorProperties {

  private static final long SECOND = 1_000_000_000L;
  private static final long BACKOFF = 100_000_000L; // TestStrategy's own wait without Retry-After
  private static final AtomicInteger PATHS = new AtomicInteger();
  private static WireMockServer server;

  /** One scripted answer; retryAfter: null = none, "" = malformed, else seconds. */
  record Answer(int status, String retryAfter) {
    boolean retryable() {
      return status == 429 || (status == 503 && retryAfter != null && !retryAfter.isEmpty());
    }

    long minWaitNanos() {
      return retryAfter == null || retryAfter.isEmpty() ? BACKOFF : Long.parseLong(retryAfter) * SECOND;
    }

    ResponseDefinitionBuilder response() {
      ResponseDefinitionBuilder r = aResponse().withStatus(status).withBody("answer " + status);
      if (retryAfter != null) {
        r = r.withHeader("Retry-After", retryAfter.isEmpty() ? "soon" : retryAfter);
      }
      return r;
    }
  }

  private static Answer answer(List<Answer> script, int i) {
    return script.get(Math.min(i, script.size() - 1)); // the last answer repeats
  }

  @BeforeContainer
  static void start() {
    server = WireMockSupport.start();
  }

  @AfterContainer
  static void stop() {
    server.stop();
  }

  @Provide
  Arbitrary<List<Answer>> scripts() {
    Arbitrary<Integer> status = Arbitraries.of(200, 500, 429, 429, 503);
    Arbitrary<String> retryAfter = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.just(""),
        Arbitraries.integers().between(0, 3).map(String::valueOf));
    return Combinators.combine(status, retryAfter).as(Answer::new).list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 60)
  void sendsWhatThePolicyAllowsReturnsTheLastAndWaitsAtLeastRetryAfter(
      @ForAll("scripts") List<Answer> script, @ForAll @IntRange(min = 1, max = 5) int maxAttempts)
      throws IOException {
    String path = "/p" + PATHS.incrementAndGet();
    WireMockSupport.sequence(server, path, script.stream().map(Answer::response)
        .toArray(ResponseDefinitionBuilder[]::new));
    VirtualTime vt = new VirtualTime();
    ThrottlePolicy policy = ThrottlePolicy.builder(new TestStrategy(BACKOFF)).maxAttempts(maxAttempts)
        .maxDelay(Duration.ofMinutes(1)).build();
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(ThrottlingInterceptor.builder(policy).clock(vt.clock).sleeper(vt.sleeper).build())
        .addNetworkInterceptor(vt.recorder).connectionPool(new ConnectionPool()).build();
    try {
      // Model. Each chain.proceed() consumes one answer, except that OkHttp itself retries a 503 with
      // "Retry-After: 0" once at once (RetryAndFollowUpInterceptor), consuming the next answer too. The
      // interceptor goes on while the final answer is retryable and attempts remain.
      List<Integer> firstSendOfProceed = new ArrayList<>();
      List<Answer> finalAnswers = new ArrayList<>();
      int sends = 0;
      Answer last;
      do {
        firstSendOfProceed.add(sends);
        last = answer(script, sends++);
        if (last.status() == 503 && "0".equals(last.retryAfter())) {
          last = answer(script, sends++);
        }
        finalAnswers.add(last);
      } while (last.retryable() && finalAnswers.size() < maxAttempts);

      try (Response r = client.newCall(new Request.Builder().url(WireMockSupport.url(server, path)).build())
          .execute()) {
        assertEquals(last.status(), r.code());
        assertEquals("answer " + last.status(), r.body().string());
      }
      assertEquals(sends, server.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount());
      assertEquals(sends, vt.sendTimes.size());
      for (int k = 1; k < firstSendOfProceed.size(); k++) {
        int send = firstSendOfProceed.get(k);
        long waited = vt.sendTimes.get(send) - vt.sendTimes.get(send - 1);
        assertTrue(waited >= finalAnswers.get(k - 1).minWaitNanos(), "attempt " + (k + 1) + " after " + waited);
      }
      ConnectionPool pool = client.connectionPool();
      assertEquals(pool.connectionCount(), pool.idleConnectionCount(), "a connection is still in use");
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
