package dev.throttle.sim.cli;

import dev.throttle.core.limiter.Rate;
import dev.throttle.core.strategy.Strategies;

import dev.throttle.sim.Cell;
import dev.throttle.sim.Experiment;
import dev.throttle.sim.engine.Simulation;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.model.Durations;
import dev.throttle.sim.model.Rates;
import dev.throttle.sim.model.SimConfig;
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
 * The simulator's command line: {@code compare}, {@code simulate}, {@code scenarios}, {@code strategies}.
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
    description = "Discrete-event simulator scoring client throttling strategies against the core GCRA limiter.",
    subcommands = {Main.Compare.class, Main.Simulate.class, Main.Scenarios.class, Main.Strategies.class,
        Main.Throughput.class,
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
    throw new ParameterException(spec.commandLine(), "missing command: use compare, simulate, scenarios or strategies");
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
        description = "Strategies to score (default: all).")
    List<StrategyRegistry> strategies;

    @Override
    public void run() {
      List<Scenario> sc = scenarios != null ? scenarios : Scenario.COMPARE_DEFAULTS;
      List<StrategyRegistry> st = strategies != null ? strategies : List.of(StrategyRegistry.values());
      if (sweep != null && options.clients != null) {
        throw new ParameterException(spec.commandLine(), "use either --clients or --sweep-clients, not both");
      }
      runCells(spec, options, sc, st, options.runs != null ? options.runs : DEFAULT_RUNS, sweep);
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
        description = "Scenario (default: heroku).")
    Scenario scenario = Scenario.HEROKU;

    @Override
    public void run() {
      runCells(spec, options, List.of(scenario), List.of(strategy != null ? strategy : StrategyRegistry.DEFAULT),
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
        out.printf(Locale.ROOT, "%-14s %s%n", s.id(), s.description());
        out.printf(Locale.ROOT, "%-14s %s%n", "", describe(s.defaults()));
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
      SimConfig c = Scenario.STEADY.config(new ScenarioOptions(clients, duration, Rate.perSecond(1000), 1000L, null,
          null, null, null, null, null));
      for (int i = 0; i < warmup; i++) {
        Simulation.of(c.withDuration(Math.max(1, duration / 10)), strategy.factory(), i).run();
      }
      long start = System.nanoTime();
      RunResult r = Simulation.of(c, strategy.factory(), SimOptions.DEFAULT_SEED).run();
      long wall = System.nanoTime() - start;
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%s strategy=%s%n", describe(c), strategy.id());
      out.printf(Locale.ROOT,
          "simulated %,d requests in %.2f s of wall time on one thread: %.2f million simulated requests/s%n",
          r.totalAttempts(), wall / 1e9, r.totalAttempts() / (wall / 1e9) / 1e6);
      out.flush();
    }
  }

  /** Returns a one-line summary of a configuration. */
  static String describe(SimConfig c) {
    return String.format(Locale.ROOT,
        "clients=%d rate=%s capacity=%d initial=%d duration=%s latency=%s service=%s share=%d headers=%s%s",
        c.clientCount(), Rates.format(c.server().rate()), c.server().capacity(), c.server().initialRemaining(),
        Durations.format(c.durationNanos()), c.networkLatency(), c.server().serviceLatency(), c.share(),
        c.server().headers().name().toLowerCase(Locale.ROOT),
        c.server().changes().isEmpty() ? "" : " changes=" + c.server().changes().size());
  }

  private static void runCells(CommandSpec spec, SimOptions o, List<Scenario> scenarios,
      List<StrategyRegistry> strategies, int runs, List<Integer> sweep) {
    CommandLine cl = spec.commandLine();
    if (runs < 1) {
      throw new ParameterException(cl, "--runs must be >= 1, was " + runs);
    }
    if (o.clients != null && o.clients < 1) {
      throw new ParameterException(cl, "--clients must be >= 1, was " + o.clients);
    }
    if (o.share != null && o.share < 1) {
      throw new ParameterException(cl, "--share must be >= 1, was " + o.share);
    }
    List<SimConfig> configs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    StringBuilder description = new StringBuilder();
    for (Scenario s : scenarios) {
      for (Integer n : sweep != null ? sweep : java.util.Collections.<Integer>singletonList(null)) {
        if (n != null && n < 1) {
          throw new ParameterException(cl, "--sweep-clients values must be >= 1, was " + n);
        }
        String label = n == null ? s.id() : s.id() + "@" + n;
        try {
          ScenarioOptions ov = o.overrides();
          SimConfig c = s.config(n == null ? ov : new ScenarioOptions(n, ov.durationNanos(), ov.rate(), ov.capacity(),
              ov.initialRemaining(), ov.networkLatency(), ov.serviceLatency(), ov.share(), ov.headers(),
              ov.timeBins()));
          configs.add(c);
          labels.add(label);
          description.append(String.format(Locale.ROOT, "%-14s %s%n", label, describe(c)));
        } catch (IllegalArgumentException e) {
          throw new ParameterException(cl, "scenario " + label + ": " + e.getMessage());
        }
      }
    }
    description.append(String.format(Locale.ROOT, "runs=%d seeds=%d..%d%n", runs, o.seed, o.seed + runs - 1));
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    Progress progress = Progress.forTerminal(err, (long) runs * configs.size() * strategies.size());
    List<Experiment.Plan> plans = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      for (StrategyRegistry st : strategies) {
        plans.add(new Experiment.Plan(st.id(), labels.get(i), configs.get(i), st.factory()));
      }
    }
    int threads = o.threads != null ? o.threads : Runtime.getRuntime().availableProcessors();
    if (threads < 1) {
      throw new ParameterException(cl, "--threads must be >= 1, was " + threads);
    }
    long start = System.nanoTime();
    List<Cell> cells = Experiment.runAll(plans, o.seed, runs, threads, progress::step);
    long attempts = 0;
    for (Cell c : cells) {
      attempts += c.totalAttempts();
    }
    long wall = System.nanoTime() - start;
    progress.finish();
    if (o.format == ReportFormat.TABLE) {
      out.print(description);
      out.println();
    }
    out.print(o.format.format(cells, o.columns));
    if (o.format == ReportFormat.TABLE) {
      out.println();
      out.print(ReportFormat.legend());
    }
    out.flush();
    err.printf(Locale.ROOT,
        "simulated %,d requests in %.2f s of wall time on %d thread%s: %.2f million simulated requests/s%n",
        attempts, wall / 1e9, threads, threads == 1 ? "" : "s", attempts / (wall / 1e9) / 1e6);
    err.flush();
    try {
      if (o.report != null) {
        writeFile(o.report, HtmlReport.render("Throttle simulator report", description.toString(), cells));
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
