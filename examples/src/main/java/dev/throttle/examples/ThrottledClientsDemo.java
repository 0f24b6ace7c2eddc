package dev.throttle.examples;

import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.Strategies;
import dev.throttle.core.strategy.ThrottleStrategy;

import dev.throttle.okhttp.ThrottlingInterceptor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.LongFunction;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Starts a {@link RateLimitedServer} and N OkHttp clients, each with its own {@link ThrottlingInterceptor} and
 * strategy (as N processes would have), all calling the API with <em>one shared token</em> so they compete for
 * one GCRA quota. Runs for a bounded time, then prints per client: requests sent (attempts, retries included),
 * successes, 429s, the retry rate and the longest single wait.
 *
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests
 * java -cp examples/target/throttle-examples.jar dev.throttle.examples.ThrottledClientsDemo [clients] [seconds] [perSecond] [capacity]
 * </pre>
 * Defaults: 5 clients, 10 seconds, 10 requests per second, capacity 30.
 */
public final class ThrottledClientsDemo {

  /** The token every client sends; the server's rate-limit key. */
  public static final String SHARED_TOKEN = "demo-token";

  private ThrottledClientsDemo() {}

  /**
   * The library's default strategy for client {@code i}: its own instance, its own jitter seed.
   * @param seed the jitter seed
   * @return a new strategy instance
   */
  public static ThrottleStrategy defaultStrategy(long seed) {
    return Strategies.defaultStrategy(seed);
  }

  /** What one client saw. Thread-safe counters. */
  public static final class ClientStats {
    private final String name;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final LongAccumulator maxWaitNanos = new LongAccumulator(Math::max, 0);

    ClientStats(String name) {
      this.name = name;
    }

    void onEvent(ThrottleEvent event) {
      if (event.type() != ThrottleEvent.Type.GIVE_UP) {
        maxWaitNanos.accumulate(event.delayNanos());
      }
    }

    /**
     * Returns the client's name.
     * @return the client's name
     */
    public String name() {
      return name;
    }

    /**
     * Returns the requests that reached the server (every attempt, retries included).
     * @return the requests that reached the server (every attempt, retries included)
     */
    public long requests() {
      return requests.get();
    }

    /**
     * Returns the calls that ended with a 2xx.
     * @return the calls that ended with a 2xx
     */
    public long successes() {
      return successes.get();
    }

    /**
     * Returns the 429 responses received (retried or not).
     * @return the 429 responses received (retried or not)
     */
    public long throttled() {
      return throttled.get();
    }

    /**
     * Returns the calls that ended with an exception other than the final cancel.
     * @return the calls that ended with an exception other than the final cancel
     */
    public long failures() {
      return failures.get();
    }

    /**
     * Returns the longest single wait (pacing or retry) the client was told to do, in nanoseconds.
     * @return the longest single wait (pacing or retry) the client was told to do, in nanoseconds
     */
    public long maxWaitNanos() {
      return maxWaitNanos.get();
    }

    /**
     * Returns 429s / requests, 0 without requests.
     * @return 429s / requests, 0 without requests
     */
    public double retryRate() {
      long n = requests();
      return n == 0 ? 0 : (double) throttled() / n;
    }
  }

  /**
   * Runs {@code clients} clients against {@code server} for {@code duration}, then cancels what is in flight.
   *
   * @param server the server to send to
   * @param clients the number of clients
   * @param duration how long the clients send
   * @param strategies makes client i's strategy from a seed (i + 1)
   * @return each client's statistics
   * @throws InterruptedException if interrupted while the clients run
   */
  public static List<ClientStats> run(RateLimitedServer server, int clients, Duration duration,
      LongFunction<? extends ThrottleStrategy> strategies) throws InterruptedException {
    List<ClientStats> stats = new ArrayList<>();
    List<OkHttpClient> okClients = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Request request = new Request.Builder().url(server.url("/resource"))
        .header(RateLimitedServer.TOKEN_HEADER, SHARED_TOKEN).build();
    warmUp(server);
    long deadline = System.nanoTime() + duration.toNanos();
    for (int i = 0; i < clients; i++) {
      ClientStats s = new ClientStats("client-" + (i + 1));
      ThrottlePolicy policy = ThrottlePolicy.builder(strategies.apply(i + 1)).name(s.name())
          .addListener(s::onEvent).build();
      OkHttpClient client = new OkHttpClient.Builder()
          .addInterceptor(ThrottlingInterceptor.builder(policy).build())
          .addNetworkInterceptor(chain -> { // sees every attempt, retries included
            Response r = chain.proceed(chain.request());
            s.requests.incrementAndGet();
            if (r.code() == 429) {
              s.throttled.incrementAndGet();
            }
            return r;
          })
          .build();
      stats.add(s);
      okClients.add(client);
      Thread t = new Thread(() -> loop(client, request, s, deadline), s.name());
      threads.add(t);
    }
    threads.forEach(Thread::start);
    long left = deadline - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
    okClients.forEach(c -> c.dispatcher().cancelAll()); // ends waits in progress
    for (Thread t : threads) {
      t.join();
    }
    okClients.forEach(c -> {
      c.dispatcher().executorService().shutdown();
      c.connectionPool().evictAll();
    });
    return stats;
  }

  /**
   * One request under a token of its own before the clock starts, so that loading OkHttp's classes and opening
   * the first connection (seconds on a loaded machine) is not counted against the clients' run time.
   */
  private static void warmUp(RateLimitedServer server) {
    OkHttpClient bare = new OkHttpClient();
    Request warm = new Request.Builder().url(server.url("/resource"))
        .header(RateLimitedServer.TOKEN_HEADER, "warm-up").build();
    try (Response r = bare.newCall(warm).execute()) {
      r.body().bytes();
    } catch (IOException e) {
      // The clients will meet the same failure and count it; nothing to warm.
    } finally {
      bare.dispatcher().executorService().shutdown();
      bare.connectionPool().evictAll();
    }
  }

  private static void loop(OkHttpClient client, Request request, ClientStats s, long deadline) {
    while (deadline - System.nanoTime() > 0) {
      try (Response r = client.newCall(request).execute()) {
        r.body().bytes();
        if (r.isSuccessful()) {
          s.successes.incrementAndGet();
        }
      } catch (IOException e) {
        if (deadline - System.nanoTime() > 0) {
          s.failures.incrementAndGet();
        }
      }
    }
  }

  /**
   * Formats the statistics as a table.
   * @param stats the statistics of one run
   * @return the table
   */
  public static String table(List<ClientStats> stats) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %9s %9s %6s %11s %13s%n",
        "client", "requests", "successes", "429s", "retry rate", "max wait (s)"));
    long requests = 0;
    long successes = 0;
    long throttled = 0;
    long maxWait = 0;
    for (ClientStats s : stats) {
      sb.append(String.format(Locale.ROOT, "%-10s %9d %9d %6d %10.2f%% %13.2f%n", s.name(), s.requests(),
          s.successes(), s.throttled(), 100 * s.retryRate(), s.maxWaitNanos() / 1e9));
      requests += s.requests();
      successes += s.successes();
      throttled += s.throttled();
      maxWait = Math.max(maxWait, s.maxWaitNanos());
    }
    sb.append(String.format(Locale.ROOT, "%-10s %9d %9d %6d %10.2f%% %13.2f%n", "all", requests, successes,
        throttled, requests == 0 ? 0 : 100.0 * throttled / requests, maxWait / 1e9));
    return sb.toString();
  }

  /**
   * Arguments: {@code [clients] [seconds] [perSecond] [capacity]}.
   * @param args the command line
   * @throws Exception if the example fails
   */
  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long perSecond = args.length > 2 ? Long.parseLong(args[2]) : 10;
    long capacity = args.length > 3 ? Long.parseLong(args[3]) : 30;
    Quota quota = Quota.of("api", Rate.of(perSecond, Duration.ofSeconds(1)), capacity);
    try (RateLimitedServer server = RateLimitedServer.start(quota, 0)) {
      System.out.printf(Locale.ROOT, "%d clients, one token, %s, for %d s against %s%n", clients, quota, seconds,
          server.url("/"));
      List<ClientStats> stats = run(server, clients, Duration.ofSeconds(seconds),
          ThrottledClientsDemo::defaultStrategy);
      long elapsed = server.uptimeNanos();
      System.out.print(table(stats));
      System.out.printf(Locale.ROOT, "server admitted %d for the token (GCRA bound after %.1f s: %d)%n",
          server.admitted(SHARED_TOKEN), elapsed / 1e9, server.admissionBound(elapsed));
    }
  }
}
