package dev.throttle.examples;

import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.SharedStateStrategy;
import dev.throttle.core.strategy.Strategies;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.okhttp.ThrottlingInterceptor;
import dev.throttle.redis.RedisConnection;
import dev.throttle.redis.RedisSharedThrottleState;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One client process of {@link FleetFieldRun}: {@code threads} threads share one OkHttp client with one
 * {@link ThrottlingInterceptor} (one strategy instance: the library default, optionally wrapped in
 * {@link SharedStateStrategy} over a {@link RedisSharedThrottleState} named after the token), loop on GET
 * until the deadline and print {@code requests=N successes=N limited=N}.
 *
 * <p>Args: url token threads seconds startEpochMillis seed (shared redisUri | alone).
 */
public final class FleetClientProcess {

  private FleetClientProcess() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String token = args[1];
    int threads = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    long startAt = Long.parseLong(args[4]);
    long seed = Long.parseLong(args[5]);
    boolean shared = args[6].equals("shared");
    // 250 ms: the shared 2-core machine runs other builds (load average ~20); Redis answers in well under 1 ms
    // when idle, but a 50 ms timeout would make the processes fall back to local state under that load
    RedisConnection redis = shared ? RedisConnection.open(args[7], Duration.ofMillis(250)) : null;
    ThrottleStrategy strategy = Strategies.defaultStrategy(seed);
    if (shared) {
      strategy = SharedStateStrategy.wrap(strategy, RedisSharedThrottleState.builder(redis.commands(), token)
          .timeout(Duration.ofMillis(250)).build());
    }
    AtomicLong requests = new AtomicLong();
    AtomicLong successes = new AtomicLong();
    AtomicLong limited = new AtomicLong();
    ThrottlePolicy policy = ThrottlePolicy.of(strategy);
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(ThrottlingInterceptor.builder(policy).build())
        .addNetworkInterceptor(chain -> {
          Response r = chain.proceed(chain.request());
          requests.incrementAndGet();
          if (r.code() == 429) {
            limited.incrementAndGet();
          }
          return r;
        })
        .build();
    client.dispatcher().setMaxRequestsPerHost(threads);
    Request request = new Request.Builder().url(url).header(RateLimitedServer.TOKEN_HEADER, token).build();
    long wait = startAt - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    // every process sends within the same wall-clock window, even one whose JVM started late
    long deadline = System.nanoTime() + Duration.ofMillis(startAt + seconds * 1000L - System.currentTimeMillis())
        .toNanos();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        while (deadline - System.nanoTime() > 0) {
          try (Response r = client.newCall(request).execute()) {
            r.body().bytes();
            if (r.isSuccessful() && deadline - System.nanoTime() > 0) {
              successes.incrementAndGet();
            }
          } catch (IOException | RuntimeException e) {
            // a cancelled wait at the deadline, or a give-up
          }
        }
      });
      ts.add(t);
      t.start();
    }
    long left = deadline - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
    client.dispatcher().cancelAll();
    for (Thread t : ts) {
      t.join(5000);
    }
    System.out.println("requests=" + requests.get() + " successes=" + successes.get() + " limited=" + limited.get());
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    if (redis != null) {
      redis.close();
    }
    System.exit(0);
  }
}
