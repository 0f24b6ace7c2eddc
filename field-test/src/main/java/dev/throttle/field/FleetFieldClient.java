package dev.throttle.field;

import dev.throttle.core.strategy.SharedStateStrategy;
import dev.throttle.core.strategy.SharedThrottleState;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.okhttp.ThrottlingInterceptor;
import dev.throttle.redis.RedisConnection;
import dev.throttle.redis.RedisHealthListener;
import dev.throttle.redis.RedisSharedThrottleState;
import dev.throttle.sim.strategy.StrategyRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One client JVM of {@link FleetFieldRun}: {@code threads} threads share one OkHttp client whose
 * {@link ThrottlingInterceptor} holds one strategy instance (a {@link StrategyRegistry} name), optionally wrapped in
 * {@link SharedStateStrategy} over a {@link RedisSharedThrottleState} named after the token; each thread loops on
 * GET until the deadline. Prints {@code ready} once warmed up, starts on a line on stdin, and ends with one line
 * {@code result attempts=N ok=N 429=N other=N reserves=N meanReserveMs=X meanSlotWaitMs=X redisDown=N}
 * (responses received before the deadline).
 *
 * <p>Args: {@code url strategy seed threads seconds (shared redisUri token | alone)}.
 */
public final class FleetFieldClient {

  private FleetFieldClient() {}

  /**
   * Runs one client process.
   *
   * @param args url strategy seed threads seconds (shared redisUri token | alone)
   * @throws Exception on a broken set-up
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    StrategyRegistry registry = StrategyRegistry.byId(args[1]);
    long seed = Long.parseLong(args[2]);
    int threads = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    boolean shared = args[5].equals("shared");
    SharedThrottleState fleetState = null;
    AtomicLong reserves = new AtomicLong();
    AtomicLong reserveNanos = new AtomicLong();
    AtomicLong slotWaitNanos = new AtomicLong();
    AtomicLong redisDown = new AtomicLong();
    RedisConnection redis = null;
    if (shared) {
      // 250 ms: Redis answers in well under 1 ms when idle, but this 2-core machine is shared with other builds;
      // a shorter timeout would make a process fall back to its local state under that load (counted below)
      redis = RedisConnection.open(args[6], Duration.ofMillis(250));
      SharedThrottleState state = RedisSharedThrottleState.builder(redis.commands(), args[7])
          .timeout(Duration.ofMillis(250))
          .listener(new RedisHealthListener() {
            @Override
            public void onRedisDown(String component, Throwable cause) {
              redisDown.incrementAndGet();
            }
          })
          .build();
      state.learn(System.nanoTime(), 0, -1); // connect and load the script before the start (changes nothing)
      SharedThrottleState counted = new SharedThrottleState() {
        @Override
        public long reserveSlot(long nowNanos, long minDelayNanos) {
          long t0 = System.nanoTime();
          long d = state.reserveSlot(nowNanos, minDelayNanos);
          reserveNanos.addAndGet(System.nanoTime() - t0);
          slotWaitNanos.addAndGet(d - Math.max(0, minDelayNanos));
          reserves.incrementAndGet();
          return d;
        }

        @Override
        public void learn(long nowNanos, long holdOffNanos, long intervalNanos) {
          state.learn(nowNanos, holdOffNanos, intervalNanos);
        }

        @Override
        public long intervalNanos() {
          return state.intervalNanos();
        }
      };
      fleetState = counted;
    }
    SharedThrottleState fleet = fleetState;
    // one strategy per key (the interceptor's default): one key here, the server's host
    Supplier<ThrottleStrategy> strategies = () -> fleet == null ? registry.factory().create(seed, 0)
        : SharedStateStrategy.wrap(registry.factory().create(seed, 0), fleet);
    AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
    AtomicLong attempts = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong limited = new AtomicLong();
    AtomicLong other = new AtomicLong();
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(ThrottlingInterceptor.builder(strategies).build())
        .addNetworkInterceptor(chain -> {
          Response r = chain.proceed(chain.request());
          if (System.nanoTime() - deadline.get() < 0) {
            attempts.incrementAndGet();
            if (r.isSuccessful()) {
              ok.incrementAndGet();
            } else if (r.code() == 429) {
              limited.incrementAndGet();
            } else {
              other.incrementAndGet();
            }
          }
          return r;
        })
        .build();
    client.dispatcher().setMaxRequestsPerHost(threads);
    client.dispatcher().setMaxRequests(threads);
    Request request = new Request.Builder().url(url).build();
    // load OkHttp's classes and open a connection without touching the strategy: a HEAD costs one request of the
    // server's budget per process, refilled before the start (the coordinator waits a second after every ready)
    try (Response r = new OkHttpClient().newCall(request.newBuilder().head().build()).execute()) {
      r.code();
    }
    System.out.println("ready");
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    deadline.set(System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() - deadline.get() < 0) {
          try (Response r = client.newCall(request).execute()) {
            r.body().bytes();
          } catch (IOException | RuntimeException e) {
            // a give-up, or a wait cancelled at the deadline
          }
        }
      }, "fleet-client-" + i);
      ts.add(t);
      t.start();
    }
    long left = deadline.get() - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000 + 1);
    }
    client.dispatcher().cancelAll();
    for (Thread t : ts) {
      t.interrupt();
      t.join(5000);
    }
    long n = Math.max(1, reserves.get());
    System.out.println(String.format(Locale.ROOT,
        "result attempts=%d ok=%d 429=%d other=%d reserves=%d meanReserveMs=%.2f meanSlotWaitMs=%.1f redisDown=%d",
        attempts.get(), ok.get(), limited.get(), other.get(), reserves.get(), reserveNanos.get() / n / 1e6,
        slotWaitNanos.get() / n / 1e6, redisDown.get()));
    System.out.flush();
    if (redis != null) {
      redis.close();
    }
    System.exit(0);
  }
}
