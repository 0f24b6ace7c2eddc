package dev.throttle.bench.redis;

import dev.throttle.testing.RedisServerProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Starts one redis-server (127.0.0.1, free port), runs {@link RedisLimiterBenchmark} against it for 1, 8 and 64
 * threads in throughput and sample-time mode (both implementations in the same run), stops the server by pid
 * and prints a Markdown table: decisions per second (median of the 5 measurement iterations), p50 / p99
 * latency (over all samples), then Redis commands and redis-server CPU time per decision.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.throttle.bench.redis.RedisBenchmarkMain [seconds per iteration]
 * </pre>
 */
public final class RedisBenchmarkMain {

  private RedisBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Path commands = Files.createTempFile("redis-bench-commands", ".txt");
    List<String> rows = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      System.out.println("redis-server pid " + redis.pid() + " at " + redis.uri());
      for (int threads : new int[] {1, 8, 64}) {
        Collection<RunResult> tput = run(redis, commands, threads, Mode.Throughput, seconds);
        Collection<RunResult> sample = run(redis, commands, threads, Mode.SampleTime, seconds);
        for (RunResult t : tput) {
          String impl = t.getParams().getParam("impl");
          String keys = t.getParams().getParam("keys");
          RunResult s = sample.stream().filter(r -> r.getParams().getParam("impl").equals(impl)
              && r.getParams().getParam("keys").equals(keys)).findFirst().orElseThrow();
          rows.add(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %.0f | %.0f |", impl, keys, threads,
              t.getPrimaryResult().getStatistics().getPercentile(50), s.getPrimaryResult().getStatistics().getPercentile(50),
              s.getPrimaryResult().getStatistics().getPercentile(99)));
        }
      }
    }
    System.out.println();
    System.out.println("| impl | keys | callers | decisions/s | p50 µs | p99 µs |");
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.println("Redis commands and redis-server CPU µs per decision (impl keys threads commands/decision"
        + " cpu/decision, one line per trial):");
    System.out.print(Files.readString(commands));
  }

  private static Collection<RunResult> run(RedisServerProcess redis, Path commands, int threads, Mode mode,
      int seconds) throws Exception {
    Options o = new OptionsBuilder()
        .include(RedisLimiterBenchmark.class.getName() + ".decide")
        .mode(mode)
        .timeUnit(mode == Mode.Throughput ? TimeUnit.SECONDS : TimeUnit.MICROSECONDS)
        .threads(threads)
        .forks(1)
        .warmupIterations(2).warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(5).measurementTime(TimeValue.seconds(seconds))
        .jvmArgsAppend("-Dredis.uri=" + redis.uri(), "-Dredis.commandsFile=" + commands,
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
        .build();
    return new Runner(o).run();
  }
}
