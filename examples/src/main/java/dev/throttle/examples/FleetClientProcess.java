package dev.throttle.examples;

import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.SharedStateStrategy;
import dev.throttle.core.strategy.SharedThrottleState;
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
 * <p>Args: url token threads seconds unused seed (shared redisUri | alone). Prints {@code ready} when warmed up,
 * then starts on a line on stdin.
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
    AtomicLong reserves = new AtomicLong();
    AtomicLong reserveNanos = new AtomicLong();
    AtomicLong slotWaitNanos = new AtomicLong();
    if (shared) {
      SharedThrottleState redisState = RedisSharedThrottleState.builder(redis.commands(), token)
          .timeout(Duration.ofMillis(250)).build();
      // counts the round trips and the waits they hand out (printed at the end)
      SharedThrottleState counted = new SharedThrottleState() {
        @Override
        public long reserveSlot(long nowNanos, long minDelayNanos) {
          long t0 = System.nanoTime();
          long d = redisState.reserveSlot(nowNanos, minDelayNanos);
          reserveNanos.addAndGet(System.nanoTime() - t0);
          slotWaitNanos.addAndGet(d - minDelayNanos);
          reserves.incrementAndGet();
          return d;
        }

        @Override
        public void learn(long nowNanos, long holdOffNanos, long intervalNanos) {
          redisState.learn(nowNanos, holdOffNanos, intervalNanos);
        }

        @Override
        public long intervalNanos() {
          return redisState.intervalNanos();
        }
      };
      strategy = SharedStateStrategy.wrap(strategy, counted);
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
    // warm up before the measured window (a JVM with Lettuce starts slowly on a loaded machine): connect and
    // load the script (a learn call that changes nothing), and one request on a different key
    if (shared) {
      ((SharedStateStrategy) strategy).state().learn(System.nanoTime(), 0, -1);
    }
    OkHttpClient plain = new OkHttpClient();
    try (Response r = plain.newCall(new Request.Builder().url(url)
        .header(RateLimitedServer.TOKEN_HEADER, token + "-warmup").build()).execute()) {
      r.body().bytes();
    }
    System.out.println("ready");
    System.out.flush();
    new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
        .readLine();
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
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
    long n = Math.max(1, reserves.get());
    System.out.println("requests=" + requests.get() + " successes=" + successes.get() + " limited=" + limited.get()
        + " reserves=" + reserves.get() + " meanReserveMs=" + reserveNanos.get() / n / 1e6
        + " meanExtraWaitMs=" + slotWaitNanos.get() / n / 1e6);
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    if (redis != null) {
      redis.close();
    }
    System.exit(0);
  }
}
