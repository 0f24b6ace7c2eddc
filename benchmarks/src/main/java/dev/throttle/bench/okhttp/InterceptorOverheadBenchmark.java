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
 * with the interceptor, both calling a local JDK {@code HttpServer} on 127.0.0.1 that always answers 200, with
 * no rate-limit field ({@code fields=NONE}) or with generous rate-limit headers ({@code fields=RATE_LIMIT}:
 * {@code RateLimit}, {@code RateLimit-Policy}, {@code X-RateLimit-*}), so the interceptor (with the default
 * strategy) consults its policy and strategy, parses headers when there are any, and never waits. Each operation is one
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
 * java -jar benchmarks/target/benchmarks.jar InterceptorOverheadBenchmark -p target=IN_PROCESS -f 3 -wi 5 -i 5 \
 *     -w 1s -r 1s -prof gc
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

  /** What the server's 200 carries. */
  public enum Fields {
    /** No rate-limit field: the common unthrottled response (the interceptor does not parse). */
    NONE,
    /** Generous {@code RateLimit}, {@code RateLimit-Policy} and {@code X-RateLimit-*} fields (parsed). */
    RATE_LIMIT
  }

  @Param({"NONE", "RATE_LIMIT"})
  public Fields fields;

  private static boolean rateLimitFields;

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
    rateLimitFields = fields == Fields.RATE_LIMIT;
    server.createContext("/", exchange -> {
      if (rateLimitFields) {
        exchange.getResponseHeaders().add("RateLimit-Policy", "\"api\";q=1000000;w=3600");
        exchange.getResponseHeaders().add("RateLimit", "\"api\";r=999999;t=1");
        exchange.getResponseHeaders().add("X-RateLimit-Limit", "1000000");
        exchange.getResponseHeaders().add("X-RateLimit-Remaining", "999999");
        exchange.getResponseHeaders().add("X-RateLimit-Reset", "1");
      }
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
    Response.Builder b = new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200)
        .message("OK").header("Content-Type", "text/plain").header("Date", "Wed, 02 Dec 2026 15:00:00 GMT");
    if (rateLimitFields) {
      b.header("RateLimit-Policy", "\"api\";q=1000000;w=3600")
          .header("RateLimit", "\"api\";r=999999;t=1")
          .header("X-RateLimit-Limit", "1000000")
          .header("X-RateLimit-Remaining", "999999")
          .header("X-RateLimit-Reset", "1");
    }
    return b.body(ResponseBody.create(BODY, TEXT)).build();
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

  /**
   * A paired CPU measurement for loaded machines, where JMH's wall-clock times are dominated by other processes:
   * one JVM, the benchmark's two clients ({@code target=IN_PROCESS}), 40 rounds of 20,000 calls alternating bare
   * and with the interceptor, thread CPU time and allocated bytes per call; prints the medians and the median of
   * the per-round differences. Run: {@code java -cp benchmarks/target/benchmarks.jar
   * dev.throttle.bench.okhttp.InterceptorOverheadBenchmark\$PairedCpu}.
   */
  public static final class PairedCpu {
    private PairedCpu() {}

    /**
     * Runs the measurement for both {@link Fields} values.
     *
     * @param args ignored
     * @throws IOException if the setup fails
     */
    public static void main(String[] args) throws IOException {
      com.sun.management.ThreadMXBean mx =
          (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      long tid = Thread.currentThread().getId();
      int rounds = 40;
      int n = 20_000;
      for (Fields f : Fields.values()) {
        InterceptorOverheadBenchmark b = new InterceptorOverheadBenchmark();
        b.target = Target.IN_PROCESS;
        b.fields = f;
        b.setUp();
        double[] bareCpu = new double[rounds];
        double[] withCpu = new double[rounds];
        double[] diff = new double[rounds];
        double[] bareBytes = new double[rounds];
        double[] withBytes = new double[rounds];
        for (int w = 0; w < 5 * n; w++) {
          b.bareOkHttp();
          b.withThrottlingInterceptor();
        }
        for (int r = 0; r < rounds; r++) {
          long c0 = mx.getCurrentThreadCpuTime();
          long a0 = mx.getThreadAllocatedBytes(tid);
          for (int i = 0; i < n; i++) {
            b.bareOkHttp();
          }
          long c1 = mx.getCurrentThreadCpuTime();
          long a1 = mx.getThreadAllocatedBytes(tid);
          for (int i = 0; i < n; i++) {
            b.withThrottlingInterceptor();
          }
          long c2 = mx.getCurrentThreadCpuTime();
          long a2 = mx.getThreadAllocatedBytes(tid);
          bareCpu[r] = (c1 - c0) / (double) n;
          withCpu[r] = (c2 - c1) / (double) n;
          diff[r] = withCpu[r] - bareCpu[r];
          bareBytes[r] = (a1 - a0) / (double) n;
          withBytes[r] = (a2 - a1) / (double) n;
        }
        b.tearDown();
        System.out.printf(java.util.Locale.ROOT, "fields=%s: CPU bare %.3f us, with %.3f us, added %.3f us "
            + "(IQR %.3f to %.3f); bytes bare %.0f, with %.0f%n", f, quantile(bareCpu, 0.5) / 1e3,
            quantile(withCpu, 0.5) / 1e3, quantile(diff, 0.5) / 1e3, quantile(diff, 0.25) / 1e3,
            quantile(diff, 0.75) / 1e3, quantile(bareBytes, 0.5), quantile(withBytes, 0.5));
      }
    }

    private static double quantile(double[] values, double p) {
      double[] sorted = values.clone();
      java.util.Arrays.sort(sorted);
      return sorted[(int) Math.round(p * (sorted.length - 1))];
    }
  }
}
