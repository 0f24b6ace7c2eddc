package dev.throttle.field;

import dev.throttle.testing.RedisServerProcess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Field run of fleet-wide client throttling against a server that sends no rate-limit headers (docs/redis.md):
 * nginx {@code limit_req} (20 r/s, burst 10, nodelay, 429, no headers; one limit for every client, since all
 * connect from 127.0.0.1) and a real redis-server on free ports of 127.0.0.1, then client JVMs
 * ({@link FleetFieldClient}, the same java and class path) each with several threads:
 * <ul>
 *   <li>{@code one}: one JVM with {@code 3 × threads} threads (one strategy instance), the reference;
 *   <li>{@code fleet}: three JVMs of {@code threads} threads, sharing the throttle state through Redis;
 *   <li>{@code alone}: the same three JVMs without the shared state.
 * </ul>
 * Every configuration gets a fresh nginx (a fresh bucket) and a fresh Redis key; every client JVM warms up
 * first, and all start together a second after the last is ready. The 429 share is 429s / attempts, goodput is
 * 200s received within the run / (20 r/s × seconds); nginx's own access log is checked for breaches of its limit.
 *
 * <pre>
 * mvn -B -q -pl field-test -am package -DskipTests
 * java -cp field-test/target/throttle-field-test.jar dev.throttle.field.FleetFieldRun \
 *     [--threads 4] [--seconds 30] [--strategies default] [--modes one,fleet,alone] [--reps 1]
 * </pre>
 */
public final class FleetFieldRun {

  private FleetFieldRun() {}

  /**
   * One configuration's totals.
   *
   * @param strategy the strategy name
   * @param mode one, fleet or alone
   * @param rep the repetition
   * @param processes client JVMs
   * @param threads threads per JVM
   * @param seconds the run's length
   * @param attempts responses received within the run
   * @param ok 2xx among them
   * @param limited 429s among them
   * @param other other statuses
   * @param redisDown Redis outages seen by the clients (their fallback to a local state)
   * @param reserves slots reserved in the shared state, all JVMs (fleet only)
   * @param minReserves the fewest slots one JVM reserved (fleet only)
   * @param meanSlotWaitMs the mean extra wait a shared slot added (fleet only)
   * @param serverAdmitted nginx's own count of 200s
   * @param violations breaches of nginx's limit in its own log
   */
  public record Row(String strategy, String mode, int rep, int processes, int threads, int seconds, long attempts,
      long ok, long limited, long other, long redisDown, long reserves, long minReserves, double meanSlotWaitMs,
      long serverAdmitted,
      int violations) {

    /** Returns 429s / attempts in per cent. */
    public double limitedShare() {
      return attempts == 0 ? 0 : 100.0 * limited / attempts;
    }

    /** Returns the 2xx received per second over nginx's 20 r/s, in per cent. */
    public double goodput() {
      return 100.0 * ok / (ServerKind.NGINX_RATE * (double) seconds);
    }

    /** Returns the row as a Markdown table line. */
    public String markdown() {
      return String.format(Locale.ROOT, "| %s | %s (rep %d) | %d × %d | %d | %d | %d | %.2f %% | %.1f %% | %s | %d | %d |",
          strategy, mode, rep, processes, threads, attempts, ok, limited, limitedShare(), goodput(),
          mode.equals("fleet") ? String.format(Locale.ROOT, "%.0f", meanSlotWaitMs) : "–", redisDown, violations);
    }
  }

  /** The Markdown table's header. */
  public static final String HEADER = "| strategy | run | JVMs × threads | attempts | 200s | 429s | 429 share | goodput "
      + "| mean slot wait ms | Redis outages | nginx breaches |\n|---|---|---|---|---|---|---|---|---|---|---|";

  /**
   * Runs the configurations and prints one table.
   *
   * @param args {@code --threads N --seconds N --strategies a,b --modes one,fleet,alone --reps N}
   * @throws Exception on a broken set-up
   */
  public static void main(String[] args) throws Exception {
    int threads = 4;
    int seconds = 30;
    int reps = 1;
    List<String> strategies = List.of("default");
    List<String> modes = List.of("one", "fleet", "alone");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        case "--strategies" -> strategies = List.of(args[i + 1].split(","));
        case "--modes" -> modes = List.of(args[i + 1].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; known: --threads --seconds --strategies --modes --reps");
      }
    }
    List<Row> rows = run(strategies, modes, threads, seconds, reps, System.out::println);
    System.out.println();
    System.out.println(HEADER);
    rows.forEach(r -> System.out.println(r.markdown()));
  }

  /**
   * Runs every strategy × mode × repetition against a fresh nginx, with one redis-server for all.
   *
   * @param strategies strategy names of the simulator's registry
   * @param modes {@code one}, {@code fleet}, {@code alone}
   * @param threads threads per fleet JVM ({@code one} gets three times as many)
   * @param seconds length of each run
   * @param reps repetitions
   * @param log where progress lines go
   * @return one row per run
   * @throws Exception if nginx or redis-server cannot run, or a client JVM fails
   */
  public static List<Row> run(List<String> strategies, List<String> modes, int threads, int seconds, int reps,
      java.util.function.Consumer<String> log) throws Exception {
    Prerequisites p = Prerequisites.check(Path.of("field-test/node"));
    List<String> missing = p.missingForNginx();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(String.join("; ", missing));
    }
    Path work = Files.createTempDirectory("fleet-field-");
    List<Row> rows = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      log.accept("redis-server pid " + redis.pid() + " at " + redis.uri());
      for (int rep = 0; rep < reps; rep++) {
        for (String strategy : strategies) {
          for (String mode : modes) {
            Row row = runOne(p, work, redis.uri(), strategy, mode, rep, threads, seconds, log);
            log.accept(row.markdown());
            rows.add(row);
          }
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    return rows;
  }

  private static Row runOne(Prerequisites p, Path work, String redisUri, String strategy, String mode, int rep,
      int threads, int seconds, java.util.function.Consumer<String> log) throws Exception {
    boolean one = mode.equals("one");
    if (!one && !mode.equals("fleet") && !mode.equals("alone")) {
      throw new IllegalArgumentException("unknown mode " + mode + "; known: one, fleet, alone");
    }
    int processes = one ? 1 : 3;
    int perProcess = one ? 3 * threads : threads;
    String token = "fleet-" + strategy + "-" + mode + "-" + rep + "-" + System.nanoTime();
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    List<Process> ps = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    try (NginxServer nginx = NginxServer.start(p.nginx().orElseThrow(), work, ServerKind.NGINX_RATE,
        ServerKind.NGINX_BURST)) {
      for (int i = 0; i < processes; i++) {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp, FleetFieldClient.class.getName(),
            nginx.url().toString(), strategy, Long.toString(1000L * rep + i + 1), Integer.toString(perProcess),
            Integer.toString(seconds)));
        if (mode.equals("fleet")) {
          cmd.addAll(List.of("shared", redisUri, token));
        } else {
          cmd.add("alone");
        }
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ps.add(proc);
        outs.add(new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8)));
      }
      try {
        for (int i = 0; i < ps.size(); i++) {
          String l = outs.get(i).readLine();
          while (l != null && !l.equals("ready")) {
            log.accept("  [" + mode + " " + i + "] " + l);
            l = outs.get(i).readLine();
          }
          if (l == null) {
            throw new IllegalStateException("client JVM " + i + " exited before it was ready");
          }
        }
        Thread.sleep(1000); // the warm-up requests' share of nginx's bucket refills (20/s)
        for (Process proc : ps) {
          proc.getOutputStream().write('\n');
          proc.getOutputStream().flush();
        }
        long[] sum = new long[6];
        long minReserves = Long.MAX_VALUE;
        double slotWait = 0;
        for (int i = 0; i < ps.size(); i++) {
          String result = null;
          for (String l = outs.get(i).readLine(); l != null; l = outs.get(i).readLine()) {
            if (l.startsWith("result ")) {
              result = l;
            } else {
              log.accept("  [" + mode + " " + i + "] " + l);
            }
          }
          if (!ps.get(i).waitFor(seconds + 60L, TimeUnit.SECONDS) || result == null) {
            throw new IllegalStateException("client JVM " + i + " ended without a result");
          }
          log.accept("  [" + strategy + " " + mode + " " + i + "] " + result);
          String[] f = result.split("[ =]");
          sum[0] += Long.parseLong(f[2]);
          sum[1] += Long.parseLong(f[4]);
          sum[2] += Long.parseLong(f[6]);
          sum[3] += Long.parseLong(f[8]);
          sum[4] += Long.parseLong(f[16]);
          sum[5] += Long.parseLong(f[10]);
          minReserves = Math.min(minReserves, Long.parseLong(f[10]));
          slotWait += Double.parseDouble(f[14]) / ps.size();
        }
        RealServer.ServerCounts counts = nginx.counts();
        counts.violations().forEach(v -> log.accept("  nginx breach: " + v));
        return new Row(strategy, mode, rep, processes, perProcess, seconds, sum[0], sum[1], sum[2], sum[3], sum[4],
            sum[5], minReserves, slotWait, counts.admitted(), counts.violations().size());
      } finally {
        for (Process proc : ps) {
          if (proc.isAlive()) {
            proc.destroyForcibly();
            proc.waitFor(5, TimeUnit.SECONDS);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + mode + ": " + e, e);
    }
  }
}
