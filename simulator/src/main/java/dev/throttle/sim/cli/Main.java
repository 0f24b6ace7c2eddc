package dev.throttle.sim.cli;

import dev.throttle.core.limiter.Rate;

import dev.throttle.sim.Cell;
import dev.throttle.sim.Experiment;
import dev.throttle.sim.engine.Simulation;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Durations;
import dev.throttle.sim.model.Rates;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.report.Columns;
import dev.throttle.sim.report.HtmlReport;
import dev.throttle.sim.report.ReportFormat;
import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.scenario.ScenarioOptions;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The simulator's command line: {@code compare}, {@code simulate}, {@code throughput} (how fast the engine
 * runs), and the listings {@code scenarios}, {@code strategies}, {@code servers}, {@code dialects}.
 *
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; java -jar simulator/target/throttle-simulator.jar compare
 * java -jar simulator/target/throttle-simulator.jar simulate --strategy eiprd --scenario heroku --runs 10
 * </pre>
 *
 * <p>Results go to standard output (deterministic for the same options and seed); the throughput figure and
 * the progress bar go to standard error. Bad options exit with code 2 and a message.
 */
@Command(name = "throttle-simulator", mixinStandardHelpOptions = true, version = "throttle-simulator 0.1.0",
    description = "Discrete-event simulator scoring client throttling strategies against modelled rate-limited servers.",
    subcommands = {Main.Compare.class, Main.Simulate.class, Main.Scenarios.class, Main.Strategies.class,
        Main.Servers.class, Main.Dialects.class, Main.Throughput.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @Spec
  CommandSpec spec;

  /**
   * Runs the CLI and exits with its code.
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
  }

  /**
   * Runs the CLI with the given streams and returns the exit code (0 ok, 2 usage error, 1 failure).
   * @param out where results go
   * @param err where errors and usage go
   * @param args the command line
   * @return the exit code: 0 ok, 2 usage error, 1 failure
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // a simulated give-up (e.g. the AWS adaptive mode's third attempt) is counted in the gave-up column; one warn
    // line per give-up would bury the table
    if (System.getProperty("org.slf4j.simpleLogger.log.dev.throttle.core.policy") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.dev.throttle.core.policy", "error");
    }
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
      commandLine.getErr().flush();
      return 1;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: use compare, simulate, scenarios, strategies, servers or dialects");
  }

  /** Scores every strategy (or the chosen ones) in the chosen scenarios. */
  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Score strategies x scenarios with replications (the README's main job).")
  static final class Compare implements Runnable {
    /** Replications per cell when --runs is not given; keeps the default run well under 10 s. */
    static final int DEFAULT_RUNS = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    SimOptions options;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME", converter = Converters.ScenarioConverter.class,
        description = "Scenarios to run (default: heroku,clear,join,capacity-drop,steady).")
    List<Scenario> scenarios;

    @Option(names = "--sweep-clients", split = ",", paramLabel = "N",
        description = "Run every scenario once per client count, e.g. 3,10,30,60 (rows named scenario@N).")
    List<Integer> sweep;

    @Option(names = "--strategies", split = ",", paramLabel = "NAME", converter = Converters.StrategyConverter.class,
        description = "Strategies to score (default: all but greedy).")
    List<StrategyRegistry> strategies;

    @Override
    public void run() {
      CommandLine cl = spec.commandLine();
      requireNonEmpty(cl, "--strategies", strategies);
      requireNonEmpty(cl, "--scenarios", scenarios);
      requireNonEmpty(cl, "--sweep-clients", sweep);
      if (sweep != null && options.clients != null) {
        throw new ParameterException(cl, "use either --clients or --sweep-clients, not both");
      }
      List<Scenario> sc = withFile(cl, options, scenarios != null ? scenarios
          : options.scenarioFile != null ? List.of() : Scenario.COMPARE_DEFAULTS);
      List<StrategyRegistry> st = strategies != null ? strategies : StrategyRegistry.compared();
      runCells(cl, options, sc, st, options.runs != null ? options.runs : DEFAULT_RUNS, sweep);
    }
  }

  /** Runs one strategy in one scenario. */
  @Command(name = "simulate", mixinStandardHelpOptions = true,
      description = "Run one strategy in one scenario (with --runs R replications).")
  static final class Simulate implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    SimOptions options;

    @Option(names = "--strategy", paramLabel = "NAME", converter = Converters.StrategyConverter.class,
        description = "Strategy to run (default: the library default).")
    StrategyRegistry strategy;

    @Option(names = "--scenario", paramLabel = "NAME", converter = Converters.ScenarioConverter.class,
        description = "Scenario (default: heroku, or the one in --scenario-file).")
    Scenario scenario;

    @Override
    public void run() {
      CommandLine cl = spec.commandLine();
      List<Scenario> sc = withFile(cl, options, scenario != null ? List.of(scenario)
          : options.scenarioFile != null ? List.of() : List.of(Scenario.HEROKU));
      if (sc.size() != 1) {
        throw new ParameterException(cl, "simulate runs one scenario; the file has " + sc.size()
            + " (use compare, or --scenario with a built-in one)");
      }
      runCells(cl, options, sc, List.of(strategy != null ? strategy : StrategyRegistry.DEFAULT),
          options.runs != null ? options.runs : 1, null);
    }
  }

  /** Lists the scenarios. */
  @Command(name = "scenarios", mixinStandardHelpOptions = true, description = "List the scenarios.")
  static final class Scenarios implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (Scenario s : Scenario.values()) {
        out.printf(Locale.ROOT, "%-20s %s%n", s.id(), s.description());
        out.printf(Locale.ROOT, "%-20s %s%n", "", describe(s.defaults()));
      }
      out.flush();
    }
  }

  /** Lists the strategies. */
  @Command(name = "strategies", mixinStandardHelpOptions = true, description = "List the strategies.")
  static final class Strategies implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (StrategyRegistry s : StrategyRegistry.values()) {
        out.printf(Locale.ROOT, "%-22s %s%s%n", s.id(), s.description(), s == StrategyRegistry.DEFAULT ? " [default]" : "");
      }
      out.flush();
    }
  }

  /** Lists the server models. */
  @Command(name = "servers", mixinStandardHelpOptions = true, description = "List the server models (--server).")
  static final class Servers implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (ServerKind k : ServerKind.values()) {
        out.printf(Locale.ROOT, "%-16s %s%n", k.id(), k.description());
      }
      out.flush();
    }
  }

  /** Lists the header dialects. */
  @Command(name = "dialects", mixinStandardHelpOptions = true, description = "List the header dialects (--dialect).")
  static final class Dialects implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (Dialect d : Dialect.values()) {
        out.printf(Locale.ROOT, "%-12s %s%n", d.id(), d.description());
      }
      out.flush();
    }
  }

  /** Measures the engine's speed on one large run: simulated requests per second of wall time. */
  @Command(name = "throughput", mixinStandardHelpOptions = true,
      description = "Measure simulated requests per second of wall time on one large run (one thread).")
  static final class Throughput implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--clients", paramLabel = "N", description = "Clients (default: ${DEFAULT-VALUE}).")
    int clients = 100;

    @Option(names = "--duration", paramLabel = "TIME", converter = Converters.DurationNanos.class,
        description = "Simulated time (default: 10h).")
    long duration = 36_000_000_000_000L;

    @Option(names = "--strategy", paramLabel = "NAME", converter = Converters.StrategyConverter.class,
        description = "Strategy (default: ${DEFAULT-VALUE}; it sends many requests).")
    StrategyRegistry strategy = StrategyRegistry.EXPONENTIAL_BACKOFF;

    @Option(names = "--warmup", paramLabel = "N",
        description = "Untimed warm-up runs of a tenth of the length (default: ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Override
    public void run() {
      if (clients < 1 || warmup < 0) {
        throw new ParameterException(spec.commandLine(), "--clients must be >= 1 and --warmup >= 0");
      }
      SimConfig c = Scenario.STEADY.config(ScenarioOptions.builder().clients(clients).durationNanos(duration)
          .rate(Rate.perSecond(1000)).capacity(1000L).build());
      checkMemory(spec.commandLine(), List.of(c), 1, false);
      for (int i = 0; i < warmup; i++) {
        Simulation.of(c.withDuration(Math.max(1, duration / 10)), strategy.factory(), i).recordSeries(false).run();
      }
      long start = System.nanoTime();
      RunResult r = Simulation.of(c, strategy.factory(), SimOptions.DEFAULT_SEED).recordSeries(false).run();
      long wall = System.nanoTime() - start;
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%s strategy=%s%n", describe(c), strategy.id());
      if (r.truncated()) {
        out.printf(Locale.ROOT, "stopped at the safety limit of %,d attempts after %s of %s simulated time%n",
            c.maxAttempts(), Durations.format(r.elapsedNanos()), Durations.format(duration));
      }
      out.printf(Locale.ROOT,
          "simulated %,d requests in %.2f s of wall time on one thread: %.2f million simulated requests/s%n",
          r.totalAttempts(), wall / 1e9, r.totalAttempts() / (wall / 1e9) / 1e6);
      out.flush();
    }
  }

  /** Returns a one-line summary of a configuration. */
  static String describe(SimConfig c) {
    ServerSpec s = c.server();
    return String.format(Locale.ROOT,
        "server=%s clients=%d rate=%s capacity=%d initial=%d duration=%s latency=%s service=%s share=%d dialect=%s%s%s%s",
        s.kind().id(), c.clientCount(), Rates.format(s.rate()), s.capacity(), s.initialRemaining(),
        Durations.format(c.durationNanos()), c.networkLatency(), s.serviceLatency(), c.share(), s.dialect().id(),
        s.kind() == ServerKind.LEAKY_BUCKET ? " nodelay=" + s.nodelay() : "",
        s.rejectStatus() != 429 ? " reject=" + s.rejectStatus() : "",
        s.changes().isEmpty() ? "" : " changes=" + s.changes().size());
  }

  private static void requireNonEmpty(CommandLine cl, String option, List<?> values) {
    if (values != null && values.isEmpty()) {
      throw new ParameterException(cl, option + " needs at least one name (got none)");
    }
  }

  /** Adds the scenarios of {@code --scenario-file}, if given, after {@code chosen}. */
  private static List<Scenario> withFile(CommandLine cl, SimOptions o, List<Scenario> chosen) {
    if (o.scenarioFile == null) {
      return chosen;
    }
    List<Scenario> all = new ArrayList<>(chosen);
    try {
      all.addAll(Scenario.fromFile(o.scenarioFile));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage());
    }
    return all;
  }

  /** A configuration with its row label. */
  private record Labeled(String label, SimConfig config) {}

  private static void runCells(CommandLine cl, SimOptions o, List<Scenario> scenarios,
      List<StrategyRegistry> strategies, int runs, List<Integer> sweep) {
    int threads = checkOptions(cl, o, runs);
    List<Labeled> configs = configs(cl, o, scenarios, sweep);
    boolean series = o.report != null || o.svgDir != null;
    checkMemory(cl, configs.stream().map(Labeled::config).toList(), Math.min(threads,
        configs.size() * strategies.size() * runs), series);
    String description = describeAll(configs, o.seed, runs);
    List<Experiment.Plan> plans = new ArrayList<>();
    for (Labeled c : configs) {
      for (StrategyRegistry st : strategies) {
        plans.add(new Experiment.Plan(st.id(), c.label(), c.config(), st.factory()));
      }
    }
    Progress progress = Progress.forTerminal(cl.getErr(), (long) runs * plans.size());
    long start = System.nanoTime();
    List<Cell> cells = Experiment.runAll(plans, o.seed, runs, threads, series, progress::step);
    long wall = System.nanoTime() - start;
    progress.finish();
    printResults(cl.getOut(), o.format, o.columns, description, cells);
    printSpeed(cl.getErr(), cells, wall, threads);
    writeCharts(cl.getErr(), o, description, cells);
  }

  /** Checks the options that do not depend on the scenario; returns the number of worker threads. */
  private static int checkOptions(CommandLine cl, SimOptions o, int runs) {
    if (runs < 1) {
      throw new ParameterException(cl, "--runs must be >= 1, was " + runs);
    }
    if (o.seed > Long.MAX_VALUE - (runs - 1)) {
      throw new ParameterException(cl, "--seed " + o.seed + " with --runs " + runs + " would need seeds beyond "
          + Long.MAX_VALUE + "; use a seed of at most " + (Long.MAX_VALUE - (runs - 1)));
    }
    if (o.clients != null && (o.clients < 1 || o.clients > SimConfig.MAX_CLIENTS)) {
      throw new ParameterException(cl, "--clients must be in [1, " + SimConfig.MAX_CLIENTS + "], was " + o.clients);
    }
    if (o.share != null && o.share < 1) {
      throw new ParameterException(cl, "--share must be >= 1, was " + o.share);
    }
    int threads = o.threads != null ? o.threads : Runtime.getRuntime().availableProcessors();
    if (threads < 1) {
      throw new ParameterException(cl, "--threads must be >= 1, was " + threads);
    }
    checkWritable(cl, "--report", o.report, false);
    checkWritable(cl, "--svg-dir", o.svgDir, true);
    return threads;
  }

  /** Refuses an output path that cannot be written, before anything runs. */
  private static void checkWritable(CommandLine cl, String option, Path path, boolean directory) {
    if (path == null) {
      return;
    }
    Path abs = path.toAbsolutePath();
    if (directory ? Files.exists(abs) && !Files.isDirectory(abs) : Files.isDirectory(abs)) {
      throw new ParameterException(cl, option + " " + path + (directory ? " is not a directory" : " is a directory"));
    }
    Path dir = directory ? abs : abs.getParent();
    while (dir != null && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)
        || (!directory && Files.exists(abs) && !Files.isWritable(abs))) {
      throw new ParameterException(cl, option + " " + path + " cannot be written (nearest existing parent: " + dir
          + ")");
    }
  }

  /** Builds every scenario (x client count) with the overrides applied; a bad override is a usage error. */
  private static List<Labeled> configs(CommandLine cl, SimOptions o, List<Scenario> scenarios, List<Integer> sweep) {
    List<Labeled> out = new ArrayList<>();
    for (Scenario s : scenarios) {
      for (Integer n : sweep != null ? sweep : Collections.<Integer>singletonList(null)) {
        if (n != null && (n < 1 || n > SimConfig.MAX_CLIENTS)) {
          throw new ParameterException(cl, "--sweep-clients values must be in [1, " + SimConfig.MAX_CLIENTS
              + "], was " + n);
        }
        String label = n == null ? s.id() : s.id() + "@" + n;
        try {
          ScenarioOptions ov = o.overrides();
          out.add(new Labeled(label, s.config(n == null ? ov : ov.toBuilder().clients(n).build())));
        } catch (IllegalArgumentException e) {
          throw new ParameterException(cl, "scenario " + label + ": " + e.getMessage());
        }
      }
    }
    return out;
  }

  /** Bytes one client costs in a run without time series (arrays, client, policy, strategy, events), rounded up. */
  static final long BYTES_PER_CLIENT = 1_000;

  /** Bytes one client's time series cost per bin (successes, 429s, wait sum and count). */
  static final long SERIES_BYTES_PER_BIN = 20;

  /**
   * Refuses, before anything runs, a set of runs whose estimated memory exceeds what this JVM may use: the largest
   * configuration's clients times {@link #BYTES_PER_CLIENT} (plus the time series when charts are asked for),
   * times the runs in flight at once.
   */
  static void checkMemory(CommandLine cl, List<SimConfig> configs, int parallel, boolean series) {
    long perRun = 0;
    for (SimConfig c : configs) {
      long perClient = BYTES_PER_CLIENT + (series ? SERIES_BYTES_PER_BIN * c.timeBins() + 64 : 0);
      perRun = Math.max(perRun, c.clientCount() * perClient);
    }
    long needed = perRun * Math.max(1, parallel);
    long available = Runtime.getRuntime().maxMemory() - 64L * 1024 * 1024;
    if (needed > available) {
      throw new ParameterException(cl, String.format(Locale.ROOT,
          "these runs need about %,d MB (%,d MB per run x %d run(s) at once%s) but this JVM may use %,d MB: lower"
              + " --clients or --threads%s, or raise -Xmx", needed >> 20, perRun >> 20, Math.max(1, parallel),
          series ? ", with per-client time series for the charts" : "", Runtime.getRuntime().maxMemory() >> 20,
          series ? ", drop --report/--svg-dir" : ""));
    }
  }

  private static String describeAll(List<Labeled> configs, long seed, int runs) {
    StringBuilder d = new StringBuilder();
    for (Labeled c : configs) {
      d.append(String.format(Locale.ROOT, "%-14s %s%n", c.label(), describe(c.config())));
    }
    return d.append(String.format(Locale.ROOT, "runs=%d seeds=%d..%d%n", runs, seed, seed + runs - 1)).toString();
  }

  private static void printResults(PrintWriter out, ReportFormat format, Columns columns, String description,
      List<Cell> cells) {
    if (format == ReportFormat.TABLE) {
      out.print(description);
      out.println();
    }
    out.print(format.format(cells, columns));
    if (format == ReportFormat.TABLE) {
      printDeterministic(out, cells);
      out.println();
      out.print(ReportFormat.legend());
    }
    out.flush();
  }

  /** Names the cells whose replications were all identical: one outcome, shown without a confidence interval. */
  private static void printDeterministic(PrintWriter out, List<Cell> cells) {
    List<String> names = new ArrayList<>();
    for (Cell c : cells) {
      if (c.deterministic()) {
        names.add(c.strategy() + " in " + c.scenario());
      }
    }
    if (names.isEmpty()) {
      return;
    }
    out.println("deterministic (all " + cells.get(0).replications() + " replications identical; shown as 1 run,"
        + " no confidence interval):");
    StringBuilder line = new StringBuilder(" ");
    for (int i = 0; i < names.size(); i++) {
      String item = " " + names.get(i) + (i + 1 < names.size() ? "," : "");
      if (line.length() + item.length() > 120) {
        out.println(line);
        line = new StringBuilder(" ");
      }
      line.append(item);
    }
    out.println(line);
  }

  private static void printSpeed(PrintWriter err, List<Cell> cells, long wall, int threads) {
    long attempts = 0;
    for (Cell c : cells) {
      attempts += c.totalAttempts();
    }
    err.printf(Locale.ROOT,
        "simulated %,d requests in %.2f s of wall time on %d thread%s: %.2f million simulated requests/s%n",
        attempts, wall / 1e9, threads, threads == 1 ? "" : "s", attempts / (wall / 1e9) / 1e6);
    err.flush();
  }

  private static void writeCharts(PrintWriter err, SimOptions o, String description, List<Cell> cells) {
    try {
      if (o.report != null) {
        writeFile(o.report, HtmlReport.render("Throttle simulator report", description, cells));
        err.println("report written to " + o.report);
      }
      if (o.svgDir != null) {
        Files.createDirectories(o.svgDir);
        for (Map.Entry<String, String> e : HtmlReport.charts(cells).entrySet()) {
          writeFile(o.svgDir.resolve(e.getKey() + ".svg"), e.getValue());
        }
        err.println("charts written to " + o.svgDir);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write output: " + e, e);
    }
  }

  private static void writeFile(Path path, String content) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(path, content, StandardCharsets.UTF_8);
  }
}
