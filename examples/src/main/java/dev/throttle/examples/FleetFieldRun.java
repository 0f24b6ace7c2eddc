package dev.throttle.examples;

import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.testing.RedisServerProcess;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Field run of fleet-wide client throttling (docs/redis.md): a real redis-server and the example
 * {@link RateLimitedServer} on 127.0.0.1, then client JVMs ({@link FleetClientProcess}) sharing one API token:
 * <ol>
 *   <li><b>one</b>: one process with {@code 3k} threads (one strategy instance), the reference;
 *   <li><b>fleet</b>: three processes of {@code k} threads, sharing the throttle state through Redis;
 *   <li><b>alone</b>: the same three processes without the shared state.
 * </ol>
 * Each configuration gets a fresh token (a fresh key on the server) and runs for the same time; the table shows
 * the 429 share of all attempts and the goodput (successes / what the quota allows in that time).
 *
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests
 * java -cp examples/target/throttle-examples.jar dev.throttle.examples.FleetFieldRun [k] [seconds] [perSecond] [capacity] [reps] [one,fleet,alone]
 * </pre>
 */
public final class FleetFieldRun {

  private FleetFieldRun() {}

  public static void main(String[] args) throws Exception {
    int k = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    long perSecond = args.length > 2 ? Long.parseLong(args[2]) : 20;
    long capacity = args.length > 3 ? Long.parseLong(args[3]) : 20;
    int reps = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    List<String> modes = List.of((args.length > 5 ? args[5] : "one,fleet,alone").split(","));
    Quota quota = Quota.of("api", Rate.perSecond(perSecond), capacity);
    List<String> rows = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start();
        RateLimitedServer server = RateLimitedServer.start(quota, 0)) {
      System.out.printf(Locale.ROOT, "redis-server pid %d at %s; server %s with %s; k=%d, %d s per run%n",
          redis.pid(), redis.uri(), server.url("/"), quota, k, seconds);
      for (int rep = 0; rep < reps; rep++) {
        for (String mode : modes) {
          rows.add(run(server, redis, mode, mode.equals("one") ? 1 : 3, mode.equals("one") ? 3 * k : k, seconds, rep,
              quota));
        }
      }
    }
    System.out.println();
    System.out.println("| run | processes x threads | requests | successes | 429s | 429 share | goodput |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static String run(RateLimitedServer server, RedisServerProcess redis, String mode, int processes,
      int threads, int seconds, int rep, Quota quota) throws Exception {
    String token = "token-" + mode + "-" + rep + "-" + System.nanoTime();
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    long startAt = System.currentTimeMillis() + 8000;
    List<Process> ps = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      ps.add(new ProcessBuilder(java, "-Xmx256m", "-cp", cp, FleetClientProcess.class.getName(), server.url("/"),
          token, Integer.toString(threads), Integer.toString(seconds), Long.toString(startAt),
          Long.toString(1000L * rep + p + 1), mode.equals("fleet") ? "shared" : "alone", redis.uri())
          .redirectErrorStream(true).start());
    }
    List<BufferedReader> outs = new ArrayList<>();
    for (Process p : ps) {
      outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }
    // every process warmed up (connected, classes loaded): start them all together
    for (BufferedReader r : outs) {
      for (String l = r.readLine(); l != null && !l.equals("ready"); l = r.readLine()) {
        if (l.contains("Exception")) {
          System.out.println("  [" + mode + "] " + l);
        }
      }
    }
    for (Process p : ps) {
      p.getOutputStream().write('\n');
      p.getOutputStream().flush();
    }
    long requests = 0;
    long successes = 0;
    long limited = 0;
    for (int i = 0; i < ps.size(); i++) {
      Process p = ps.get(i);
      String line = "";
      BufferedReader r = outs.get(i);
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (l.startsWith("requests=")) {
          line = l;
          System.out.println("  [" + mode + "] " + l);
        } else if (l.contains("WARN") || l.contains("Exception")) {
          System.out.println("  [" + mode + "] " + l);
        }
      }
      if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      String[] f = line.split("[ =]");
      if (f.length >= 6) {
        requests += Long.parseLong(f[1]);
        successes += Long.parseLong(f[3]);
        limited += Long.parseLong(f[5]);
      }
    }
    double allowed = quota.capacity() + (double) seconds * quota.rate().count()
        / (quota.rate().period().toNanos() / 1e9);
    String row = String.format(Locale.ROOT, "| %s (rep %d) | %d x %d | %d | %d | %d | %.2f%% | %.1f%% |", mode, rep,
        processes, threads, requests, successes, limited, requests == 0 ? 0 : 100.0 * limited / requests,
        100.0 * successes / allowed);
    System.out.println(row);
    return row;
  }

}
