package dev.throttle.sim.cli;

import dev.throttle.core.limiter.Rate;

import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.report.Columns;
import dev.throttle.sim.report.ReportFormat;
import dev.throttle.sim.scenario.ScenarioOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code simulate} and {@code compare}: scenario overrides, replications, output. */
final class SimOptions {

  /** The default first seed. */
  static final long DEFAULT_SEED = 42;

  @Option(names = "--clients", paramLabel = "N", description = "Number of clients (default: the scenario's).")
  Integer clients;

  @Option(names = "--duration", paramLabel = "TIME", converter = Converters.DurationNanos.class,
      description = "Simulated run length, e.g. 30m, 2h (default: the scenario's).")
  Long duration;

  @Option(names = "--rate", paramLabel = "COUNT/PERIOD", converter = Converters.RateConverter.class,
      description = "Server rate, e.g. 4500/h, 10/s (default: the scenario's).")
  Rate rate;

  @Option(names = "--capacity", paramLabel = "UNITS", description = "Server capacity (default: the scenario's).")
  Long capacity;

  @Option(names = "--initial", paramLabel = "UNITS",
      description = "Units available at the start; 0 = drained (default: the scenario's).")
  Long initial;

  @Option(names = "--latency", paramLabel = "DIST", converter = Converters.LatencyConverter.class,
      description = "One-way network latency: 20ms, uniform:10ms-50ms or exp:20ms (default: the scenario's).")
  Latency latency;

  @Option(names = "--service", paramLabel = "DIST", converter = Converters.LatencyConverter.class,
      description = "Server service time, same forms as --latency (default: the scenario's).")
  Latency service;

  @Option(names = "--share", paramLabel = "K",
      description = "Clients sharing one strategy instance (Heroku: 5 threads per process); default 1.")
  Integer share;

  @Option(names = {"--dialect", "--headers"}, paramLabel = "DIALECT", converter = Converters.DialectConverter.class,
      description = "Rate-limit header dialect the server writes (see the dialects command; default: the scenario's).")
  Dialect dialect;

  @Option(names = "--server", paramLabel = "MODEL", converter = Converters.ServerKindConverter.class,
      description = "Server model (see the servers command; default: the scenario's).")
  ServerKind server;

  @Option(names = "--nodelay", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
      description = "Leaky bucket: pass requests within the burst at once (nginx nodelay) or delay them.")
  Boolean nodelay;

  @Option(names = "--reject-status", paramLabel = "CODE",
      description = "Status of a refused request (default: the scenario's, normally 429).")
  Integer rejectStatus;

  @Option(names = "--scenario-file", paramLabel = "FILE",
      description = "Also run the scenarios of this YAML file (format: docs/simulator.md).")
  Path scenarioFile;

  @Option(names = "--seed", paramLabel = "SEED", description = "First seed; run r uses seed + r (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULT_SEED;

  @Option(names = "--runs", paramLabel = "R", description = "Replications per cell, reported as mean ±95%% CI.")
  Integer runs;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ReportFormat format = ReportFormat.TABLE;

  @Option(names = "--columns", paramLabel = "LIST", converter = Converters.ColumnsConverter.class,
      description = "Table (and CSV) columns: default (those that fit 120 characters), all, or names such as "
          + "strategy,retry%%,max-sleep-s; an unknown name lists the known ones. jain-stage: Jain's index per stage "
          + "(the run split at every join and leave, over the clients present throughout), minimum over stages; "
          + "jain-settled: the same after each stage's first 2 min. The legend under the table defines every column.")
  Columns columns = Columns.DEFAULT;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write a self-contained HTML report with charts.")
  Path report;

  @Option(names = "--svg-dir", paramLabel = "DIR", description = "Also write each chart as an SVG file into DIR.")
  Path svgDir;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads for independent runs (default: available processors); results do not depend on it.")
  Integer threads;

  @Option(names = "--bins", paramLabel = "N", description = "Time bins in the charts (default: 120).")
  Integer bins;

  ScenarioOptions overrides() {
    return ScenarioOptions.builder().clients(clients).durationNanos(duration).rate(rate).capacity(capacity)
        .initialRemaining(initial).networkLatency(latency).serviceLatency(service).share(share).dialect(dialect)
        .timeBins(bins).server(server).nodelay(nodelay).rejectStatus(rejectStatus).build();
  }
}
