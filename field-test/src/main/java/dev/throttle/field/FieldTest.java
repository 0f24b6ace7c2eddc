package dev.throttle.field;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The field test's command: for each server and client, starts a fresh real rate limiter on 127.0.0.1 at a
 * free port, drives the same load through the client ({@link LoadRun}), reads the server's own counts, stops
 * the server by its pid, and prints one table row; optionally writes every figure as CSV. Installs nothing: when
 * nginx, node or the npm packages are missing it says which command installs them and exits 2.
 *
 * <p>Run from the repository root: {@code bash field-test/run [options]} (builds the jar, then runs it).
 */
@Command(name = "field-test", mixinStandardHelpOptions = true,
    description = "Drives real OkHttp clients through Throttle strategies and peers against real rate limiters"
        + " (nginx limit_req, express-rate-limit) on 127.0.0.1.")
public final class FieldTest implements Callable<Integer> {

  @Option(names = "--servers", split = ",", description = "servers (default: ${DEFAULT-VALUE}); known: nginx,"
      + " express-draft8, express-draft7, express-legacy", defaultValue = "nginx,express-draft8,express-legacy")
  List<String> servers;

  @Option(names = "--clients", split = ",", description = "clients (default: ${DEFAULT-VALUE}): failsafe,"
      + " resilience4j, or a simulator strategy name", defaultValue = "default,eiprd,decorrelated-jitter,failsafe,"
      + "resilience4j")
  List<String> clients;

  @Option(names = "--threads", description = "threads through one OkHttpClient (default: ${DEFAULT-VALUE})",
      defaultValue = "8")
  int threads;

  @Option(names = "--duration", description = "measured time per run, e.g. 30s, 2m (default: ${DEFAULT-VALUE})",
      defaultValue = "30s")
  String duration;

  @Option(names = "--drain", description = "longest wait for the logical requests in flight at the end"
      + " (default: ${DEFAULT-VALUE})", defaultValue = "120s")
  String drain;

  @Option(names = "--seed", description = "seed of the Throttle strategies (default: ${DEFAULT-VALUE})",
      defaultValue = "1")
  long seed;

  @Option(names = "--node-dir", description = "the express app (default: ${DEFAULT-VALUE})",
      defaultValue = "field-test/node")
  Path nodeDir;

  @Option(names = "--csv", description = "also write every figure to this CSV file")
  Path csv;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new FieldTest()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<ServerKind> serverKinds = servers.stream().map(ServerKind::byId).toList();
    List<FieldClient> fieldClients = clients.stream().map(c -> FieldClient.byName(c, seed)).toList();
    if (threads < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be >= 1");
    }
    Duration d = parseDuration(duration);
    Duration dr = parseDuration(drain);
    Prerequisites pre = Prerequisites.check(nodeDir);
    List<String> missing = new ArrayList<>();
    for (ServerKind s : serverKinds) {
      for (String m : s.missing(pre)) {
        if (!missing.contains(m)) {
          missing.add(m);
        }
      }
    }
    PrintStream out = System.out;
    if (!missing.isEmpty()) {
      System.err.println("field-test cannot run; it installs nothing itself. Missing:");
      missing.forEach(m -> System.err.println("  - " + m));
      return 2;
    }
    out.printf(Locale.ROOT, "# field test %s: %d threads, %s each, drain <= %s, seed %d%n", Instant.now(),
        threads, d, dr, seed);
    out.println(markdownHeader());
    List<Cell> cells = new ArrayList<>();
    Path work = Files.createTempDirectory("throttle-field-");
    try {
      for (ServerKind s : serverKinds) {
        for (FieldClient c : fieldClients) {
          Cell cell = runCell(s, c, threads, d, dr, pre, work);
          cells.add(cell);
          out.println(markdownRow(cell));
          for (String v : cell.violations()) {
            out.println("  LIMIT EXCEEDED (server's own count): " + v);
          }
        }
      }
    } finally {
      deleteRecursively(work);
    }
    if (csv != null) {
      List<String> lines = new ArrayList<>();
      lines.add(Cell.csvHeader());
      cells.forEach(c -> lines.add(c.csvRow()));
      Files.write(csv, lines);
      out.println("wrote " + csv);
    }
    return cells.stream().anyMatch(c -> !c.violations().isEmpty() || c.errors() > 0) ? 1 : 0;
  }

  /** Starts a fresh server, runs the load through the client, reads the server's own counts, stops the server. */
  public static Cell runCell(ServerKind server, FieldClient client, int threads, Duration duration,
      Duration drain, Prerequisites pre, Path workDir) throws IOException, InterruptedException {
    try (RealServer real = server.start(pre, workDir)) {
      LoadRun.Result r = LoadRun.run(client, real.url(), threads, duration, drain);
      return Cell.of(server, client.name(), r, real.counts());
    }
  }

  /** The header of {@link #markdownRow}. */
  public static String markdownHeader() {
    return "| server | client | goodput r/s | of limit | 429s | p50 s | p99 s | max s | attempts (max) | Jain |"
        + " logical | gave up | errors | server admitted |\n"
        + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  }

  /** One markdown table row. */
  public static String markdownRow(Cell c) {
    return String.format(Locale.ROOT,
        "| %s | %s | %.2f | %.0f %% | %.0f %% | %s | %s | %s | %s (%d) | %s | %d | %d | %d | %d |",
        c.server().id(), c.client(), c.goodput(), 100 * c.goodputShare(), 100 * c.share429(), Cell.f(c.p50(), 2),
        Cell.f(c.p99(), 2), Cell.f(c.max(), 2), Cell.f(c.meanAttempts(), 2), c.maxAttempts(), Cell.f(c.jain(), 3),
        c.logical(), c.gaveUp(), c.errors() + c.unfinished(), c.serverAdmitted());
  }

  static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: '" + s + "' (use e.g. 500ms, 30s, 2m)", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }
}
