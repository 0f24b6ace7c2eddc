package dev.throttle.examples;

import dev.throttle.core.headers.RateLimitHeaderWriter;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.KeyedRateLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.core.time.NanoClock;
import dev.throttle.redis.RedisConnection;
import dev.throttle.redis.RedisGcraLimiter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small HTTP API on 127.0.0.1 protected by a {@link KeyedRateLimiter}, by default the in-process
 * {@link KeyedGcraLimiter} or, to share the limit across a fleet of servers, {@link RedisGcraLimiter}
 * ({@link #start(KeyedRateLimiter, Quota, int)}; {@code --redis URI} on the command line): every request is charged to its
 * client's key (the {@code Authorization} header, else {@code X-Client-Id}, else {@code "anonymous"}) and
 * answered 200 or 429, with the {@code RateLimit}, {@code RateLimit-Policy}, {@code X-RateLimit-*} and (on
 * 429) {@code Retry-After} fields written by {@link RateLimitHeaderWriter#defaults()}. Counts admitted and
 * limited requests per key.
 *
 * <p>Run it on its own (Ctrl-C stops it):
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests
 * java -cp examples/target/throttle-examples.jar dev.throttle.examples.RateLimitedServer [port] [perSecond] [capacity] [--redis redis://127.0.0.1:6379]
 * curl -i -H 'Authorization: token-1' http://127.0.0.1:8080/
 * </pre>
 *
 * <p>Thread-safe; requests are handled on a small thread pool.
 */
public final class RateLimitedServer implements AutoCloseable {

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY each response then waits for the
    // client's delayed ACK (about 40 ms), which would make the server, not the limiter, set the pace. Read once,
    // when the JDK server first starts in this JVM.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** The header whose value is the rate-limit key, if present. */
  public static final String TOKEN_HEADER = "Authorization";
  /** The header used as the key when there is no token. */
  public static final String CLIENT_ID_HEADER = "X-Client-Id";

  private static final byte[] OK = "{\"ok\":true}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LIMITED = "{\"error\":\"rate limited\"}\n".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService threads;
  private final KeyedRateLimiter<String> limiter;
  private final RateLimitHeaderWriter writer = RateLimitHeaderWriter.defaults();
  private final Quota quota;
  private final NanoClock clock;
  private final long startNanos;
  private final Map<String, LongAdder> admitted = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> limited = new ConcurrentHashMap<>();

  private RateLimitedServer(KeyedRateLimiter<String> limiter, Quota quota, int port, NanoClock clock)
      throws IOException {
    this.quota = quota;
    this.clock = clock;
    this.limiter = limiter != null ? limiter
        : KeyedGcraLimiter.<String>builder().quota(quota).clock(clock).maxKeys(100_000).build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
    this.threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "rate-limited-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    this.startNanos = clock.nanoTime();
    server.start();
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param quota the limit each key gets
   * @param port the port, 0 for any free one
   * @return the running server
   * @throws IOException if the port cannot be bound
   * @throws NullPointerException if {@code quota} is null
   */
  public static RateLimitedServer start(Quota quota, int port) throws IOException {
    return new RateLimitedServer(null, Objects.requireNonNull(quota, "quota"), port, NanoClock.system());
  }

  /**
   * Starts a server on 127.0.0.1 that asks {@code limiter} (local or Redis-backed) for every request.
   *
   * @param limiter the limiter; its quotas decide, {@code quota} is what {@link #admissionBound} reports
   * @param quota the limit each key gets (the limiter's first quota)
   * @param port the port, 0 for any free one
   * @throws IOException if the port cannot be bound
   * @throws NullPointerException if an argument is null
   */
  public static RateLimitedServer start(KeyedRateLimiter<String> limiter, Quota quota, int port) throws IOException {
    return new RateLimitedServer(Objects.requireNonNull(limiter, "limiter"), Objects.requireNonNull(quota, "quota"),
        port, NanoClock.system());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String key = keyOf(exchange);
      RateLimitResult result = limiter.tryAcquire(key);
      writer.write(result, System.currentTimeMillis(), exchange.getResponseHeaders()::add);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] body;
      int status;
      if (result.allowed()) {
        admitted.computeIfAbsent(key, k -> new LongAdder()).increment();
        status = 200;
        body = OK;
      } else {
        limited.computeIfAbsent(key, k -> new LongAdder()).increment();
        status = 429;
        body = LIMITED;
      }
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String keyOf(HttpExchange exchange) {
    String token = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
    if (token != null && !token.isBlank()) {
      return token;
    }
    String client = exchange.getRequestHeaders().getFirst(CLIENT_ID_HEADER);
    return client != null && !client.isBlank() ? client : "anonymous";
  }

  /**
   * Returns the bound port.
   * @return the bound port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Returns the URL of {@code path} ({@code "/..."}) on this server.
   * @param path the path, starting with {@code /}
   * @return the URL of {@code path} ({@code "/..."}) on this server
   */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /**
   * Returns the quota every key gets.
   * @return the quota every key gets
   */
  public Quota quota() {
    return quota;
  }

  /**
   * Returns the nanoseconds since the server started, on its clock.
   * @return the nanoseconds since the server started, on its clock
   */
  public long uptimeNanos() {
    return clock.nanoTime() - startNanos;
  }

  /**
   * Returns the requests admitted (200) for {@code key} so far.
   * @param key the key
   * @return the requests admitted (200) for {@code key} so far
   */
  public long admitted(String key) {
    LongAdder n = admitted.get(key);
    return n == null ? 0 : n.sum();
  }

  /**
   * Returns the requests refused (429) for {@code key} so far.
   * @param key the key
   * @return the requests refused (429) for {@code key} so far
   */
  public long limited(String key) {
    LongAdder n = limited.get(key);
    return n == null ? 0 : n.sum();
  }

  /**
   * Returns the admitted count of every key seen, sorted by key.
   * @return the admitted count of every key seen, sorted by key
   */
  public Map<String, Long> admittedByKey() {
    Map<String, Long> out = new TreeMap<>();
    admitted.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * Returns the most requests GCRA may admit for one key within {@code elapsedNanos} of the server's start:
   * the capacity (an idle key's burst) plus {@code elapsed × count / period} (one per emission interval),
   * rounded up.
   * @param elapsedNanos nanoseconds since the server started
   * @return the most requests GCRA may admit for one key within {@code elapsedNanos}
   */
  public long admissionBound(long elapsedNanos) {
    java.math.BigInteger refill = java.math.BigInteger.valueOf(elapsedNanos)
        .multiply(java.math.BigInteger.valueOf(quota.rate().count()))
        .add(java.math.BigInteger.valueOf(quota.rate().period().toNanos() - 1))
        .divide(java.math.BigInteger.valueOf(quota.rate().period().toNanos()));
    return quota.capacity() + refill.longValueExact();
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /**
   * Runs the server until the process is stopped. Arguments: {@code [port] [perSecond] [capacity]
   * [--redis URI]}; with {@code --redis} the limit lives in Redis (shared by every server using it).
   */
  public static void main(String[] argv) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(argv));
    String redisUri = null;
    int r = args.indexOf("--redis");
    if (r >= 0) {
      redisUri = args.get(r + 1);
      args.remove(r + 1);
      args.remove(r);
    }
    int port = args.size() > 0 ? Integer.parseInt(args.get(0)) : 8080;
    long perSecond = args.size() > 1 ? Long.parseLong(args.get(1)) : 10;
    long capacity = args.size() > 2 ? Long.parseLong(args.get(2)) : 10;
    Quota quota = Quota.of("api", Rate.of(perSecond, Duration.ofSeconds(1)), capacity);
    RedisConnection redis = redisUri == null ? null : RedisConnection.open(redisUri, Duration.ofMillis(100));
    RateLimitedServer server = redis == null ? start(quota, port)
        : start(RedisGcraLimiter.builder(redis.commands()).quota(quota).build(), quota, port);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (redis != null) {
        redis.close();
      }
      System.out.println("admitted per key: " + server.admittedByKey());
    }));
    System.out.println("serving " + server.url("/") + " with " + server.quota() + " per key"
        + (redis == null ? "" : " in Redis at " + redisUri) + "; Ctrl-C to stop");
    Thread.currentThread().join();
  }
}
