package dev.throttle.bench.okhttp;

import dev.throttle.core.strategy.Strategies;

import com.sun.net.httpserver.HttpServer;
import dev.throttle.okhttp.ThrottlingInterceptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@code ThrottlingInterceptor} costs on the path where nothing is throttled: bare OkHttp against OkHttp
 * with the interceptor, both calling a local JDK {@code HttpServer} on 127.0.0.1 that always answers 200 with
 * generous rate-limit headers ({@code RateLimit}, {@code RateLimit-Policy}, {@code X-RateLimit-*}), so the
 * interceptor (with the default strategy) parses headers, consults its policy and strategy, and never waits. Each operation is one
 * complete call: execute, read the 2-byte body, close. Throughput in calls per second; the ratio of the two
 * scores is the overhead. The round trip through the loopback and the server dominates both.
 *
 * <p>{@code target=IN_PROCESS} answers from a last application interceptor instead (same status, headers and
 * body, no socket): it isolates the CPU cost of the interceptor against OkHttp's own per-call machinery, an
 * upper bound on the relative overhead that no real server round trip would show.
 *
 * <p>Run (a few minutes):
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar InterceptorOverheadBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InterceptorOverheadBenchmark {

  private static final MediaType TEXT = MediaType.get("text/plain");
  private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

  /** Where the responses come from. */
  public enum Target {
    /** A JDK HttpServer on 127.0.0.1. */
    LOOPBACK,
    /** An interceptor that answers without I/O. */
    IN_PROCESS
  }

  /** Where the responses come from in this trial. */
  @Param({"LOOPBACK", "IN_PROCESS"})
  public Target target;

  private HttpServer server;
  private ExecutorService serverThreads;
  private OkHttpClient bare;
  private OkHttpClient throttled;
  private Request request;

  /**
   * Starts the loopback server and builds both clients.
   *
   * @throws IOException if the server cannot start
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
    // ~40 ms per call, measuring the kernel instead of the client.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("RateLimit-Policy", "\"api\";q=1000000;w=1");
      exchange.getResponseHeaders().add("RateLimit", "\"api\";r=999999;t=1");
      exchange.getResponseHeaders().add("X-RateLimit-Limit", "1000000");
      exchange.getResponseHeaders().add("X-RateLimit-Remaining", "999999");
      exchange.getResponseHeaders().add("X-RateLimit-Reset", "1");
      exchange.sendResponseHeaders(200, BODY.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(BODY);
      }
    });
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    server.start();
    request = new Request.Builder()
        .url("http://127.0.0.1:" + server.getAddress().getPort() + "/resource").build();
    ThrottlingInterceptor interceptor = ThrottlingInterceptor.builder(() -> Strategies.defaultStrategy(1)).build();
    OkHttpClient base = new OkHttpClient.Builder().build();
    if (target == Target.LOOPBACK) {
      bare = base;
      throttled = base.newBuilder().addInterceptor(interceptor).build();
    } else {
      bare = base.newBuilder().addInterceptor(InterceptorOverheadBenchmark::canned).build();
      throttled = base.newBuilder().addInterceptor(interceptor)
          .addInterceptor(InterceptorOverheadBenchmark::canned).build();
    }
  }

  /** Stops the server and the clients' threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    bare.dispatcher().executorService().shutdown();
    bare.connectionPool().evictAll();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  /** The server's answer, made in process. */
  private static Response canned(Interceptor.Chain chain) {
    return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
        .header("RateLimit-Policy", "\"api\";q=1000000;w=1")
        .header("RateLimit", "\"api\";r=999999;t=1")
        .header("X-RateLimit-Limit", "1000000")
        .header("X-RateLimit-Remaining", "999999")
        .header("X-RateLimit-Reset", "1")
        .body(ResponseBody.create(BODY, TEXT)).build();
  }

  /**
   * One call through plain OkHttp.
   *
   * @return the status code
   * @throws IOException if the call fails
   */
  @Benchmark
  public int bareOkHttp() throws IOException {
    return call(bare);
  }

  /**
   * One call through OkHttp with the {@code ThrottlingInterceptor}.
   *
   * @return the status code
   * @throws IOException if the call fails
   */
  @Benchmark
  public int withThrottlingInterceptor() throws IOException {
    return call(throttled);
  }

  private int call(OkHttpClient client) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.code() + response.body().bytes().length;
    }
  }
}
