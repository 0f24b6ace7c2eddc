package dev.throttle.bench.okhttp;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.strategy.Strategies;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The parts of the interceptor's per-call cost with rate-limit fields, one at a time: parsing the benchmark's
 * {@code RateLimit}, {@code RateLimit-Policy} and {@code X-RateLimit-*} fields from OkHttp {@link Headers} in place
 * ({@code parseIndexed}, what the interceptor does), through per-name value lists ({@code parseAll}, what other
 * adapters do), and one policy call of the default strategy answered with those figures or with none. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar HeaderParsingBenchmark -bm avgt -tu ns -prof gc}.
 */
@State(Scope.Thread)
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderParsingBenchmark {

  private static final long NOW_MILLIS = 1_764_000_000_000L;
  private static final Clock WALL = Clock.systemUTC();

  private static final RateLimitHeaderParser.IndexedFields<Headers> OKHTTP =
      new RateLimitHeaderParser.IndexedFields<>() {
        @Override
        public int size(Headers fields) {
          return fields.size();
        }

        @Override
        public String name(Headers fields, int index) {
          return fields.name(index);
        }

        @Override
        public String value(Headers fields, int index) {
          return fields.value(index);
        }
      };

  private final Headers headers = new Headers.Builder().add("Content-Type", "text/plain")
      .add("Date", "Wed, 02 Dec 2026 15:00:00 GMT").add("RateLimit-Policy", "\"api\";q=1000000;w=3600")
      .add("RateLimit", "\"api\";r=999999;t=1").add("X-RateLimit-Limit", "1000000")
      .add("X-RateLimit-Remaining", "999999").add("X-RateLimit-Reset", "1").add("Content-Length", "2").build();
  private final RateLimitHeaders info = RateLimitHeaderParser.parseIndexed(headers, OKHTTP, WALL);
  private final ThrottlePolicy policy = ThrottlePolicy.of(Strategies.defaultStrategy(1));

  /**
   * Parses the fields in place, as the OkHttp interceptor does.
   *
   * @return the figures
   */
  @Benchmark
  public RateLimitHeaders parseIndexed() {
    return RateLimitHeaderParser.parseIndexed(headers, OKHTTP, WALL);
  }

  /**
   * Parses the fields through OkHttp's per-name value lists.
   *
   * @return the figures
   */
  @Benchmark
  public RateLimitHeaders parseAllValues() {
    return RateLimitHeaderParser.parseAll(headers::values, NOW_MILLIS);
  }

  /**
   * One policy call of the default strategy, answered 200 with the parsed figures.
   *
   * @return whether to retry
   */
  @Benchmark
  public Object policyCallWithFigures() {
    return call(info);
  }

  /**
   * One policy call of the default strategy, answered 200 without any figure.
   *
   * @return whether to retry
   */
  @Benchmark
  public Object policyCallWithoutFigures() {
    return call(RateLimitHeaders.EMPTY);
  }

  private Object call(RateLimitHeaders figures) {
    long now = System.nanoTime();
    ThrottledCall c = policy.newCall(now);
    c.delayNanos(now);
    return c.onResponse(200, figures, System.nanoTime());
  }
}
