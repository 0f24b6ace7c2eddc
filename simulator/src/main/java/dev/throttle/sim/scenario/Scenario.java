package dev.throttle.sim.scenario;

import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named scenario: a {@link SimConfig} with documented defaults, which the CLI's options may override
 * ({@link #config(ScenarioOptions)}). The built-in catalogue is read at class initialisation from
 * {@code scenarios/catalogue.yaml} on the class path, in the same format as user scenario files
 * ({@link ScenarioFile}, {@link #fromFile(Path)}). Immutable.
 */
public final class Scenario {

  /** Default number of time bins for charts. */
  public static final int DEFAULT_BINS = 120;

  private static final Map<String, Scenario> CATALOGUE = loadCatalogue();

  /** Heroku's published bench: 10 busy clients, 4500/h GCRA, capacity 4500 starting drained, 30 min. */
  public static final Scenario HEROKU = byId("heroku");
  /** 30 busy clients, 10/s, capacity 100 starting full, 10 min. */
  public static final Scenario STEADY = byId("steady");
  /** Heroku's time-to-clear bench (bucket of 4500 that does not refill, stop at remaining {@code <= 10}). */
  public static final Scenario CLEAR = byId("clear");
  /** Heroku's server with clients joining and leaving. */
  public static final Scenario JOIN = byId("join");
  /** Heroku's server whose limit drops at 15 minutes. */
  public static final Scenario CAPACITY_DROP = byId("capacity-drop");
  /** Heroku's bench with network and service latency. */
  public static final Scenario LATENCY = byId("latency");
  /** Open-loop Poisson demand above the limit. */
  public static final Scenario POISSON = byId("poisson");
  /** Finite jobs; the metric is the time until all are done. */
  public static final Scenario JOB = byId("job");

  /** Scenarios {@code compare} runs when none is named. */
  public static final List<Scenario> COMPARE_DEFAULTS = List.of(HEROKU, CLEAR, JOIN, CAPACITY_DROP, STEADY);

  private final String id;
  private final String description;
  private final SimConfig defaults;

  Scenario(String id, String description, SimConfig defaults) {
    if (id.isEmpty() || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("scenario id must be letters, digits, '.', '_' or '-', was '" + id + "'");
    }
    this.id = id;
    this.description = Objects.requireNonNull(description, "description");
    this.defaults = Objects.requireNonNull(defaults, "defaults");
  }

  /**
   * Returns the name used on the command line.
   * @return the name used on the command line
   */
  public String id() {
    return id;
  }

  /**
   * Returns the one-line description.
   * @return the one-line description
   */
  public String description() {
    return description;
  }

  /**
   * Returns the scenario's default configuration.
   * @return the scenario's default configuration
   */
  public SimConfig defaults() {
    return defaults;
  }

  /** Returns every built-in scenario, in catalogue order. */
  public static List<Scenario> values() {
    return List.copyOf(CATALOGUE.values());
  }

  /**
   * Reads the scenarios of a YAML file.
   *
   * @throws IllegalArgumentException if the file cannot be read or is invalid (the message says where)
   */
  public static List<Scenario> fromFile(Path file) {
    try {
      return ScenarioFile.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read scenario file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns the configuration with the overrides applied.
   *
   * @param o the overrides
   * @return the configuration with the overrides applied
   * @throws IllegalArgumentException if an override is out of range
   */
  public SimConfig config(ScenarioOptions o) {
    SimConfig c = defaults;
    c = c.withServer(server(c.server(), o));
    if (o.networkLatency() != null) {
      c = c.withNetworkLatency(o.networkLatency());
    }
    if (o.durationNanos() != null) {
      c = c.withDuration(o.durationNanos());
    }
    if (o.share() != null) {
      c = c.withShare(o.share());
    }
    if (o.timeBins() != null) {
      c = c.withTimeBins(o.timeBins());
    }
    if (o.clients() != null) {
      c = c.withGroups(scale(c.groups(), o.clients()));
    }
    return c;
  }

  private static ServerSpec server(ServerSpec s, ScenarioOptions o) {
    if (o.server() != null) {
      s = s.withKind(o.server());
    }
    if (o.rate() != null) {
      s = s.withRate(o.rate());
    }
    if (o.capacity() != null) {
      boolean startsFull = s.initialRemaining() == s.capacity();
      s = s.withCapacity(o.capacity());
      if (startsFull) {
        s = s.withInitialRemaining(s.capacity());
      }
    }
    if (o.initialRemaining() != null) {
      s = s.withInitialRemaining(o.initialRemaining());
    }
    if (o.serviceLatency() != null) {
      s = s.withServiceLatency(o.serviceLatency());
    }
    if (o.dialect() != null) {
      s = s.withDialect(o.dialect());
    }
    if (o.nodelay() != null) {
      s = s.withNodelay(o.nodelay());
    }
    if (o.rejectStatus() != null) {
      s = s.withRejectStatus(o.rejectStatus());
    }
    return s;
  }

  /**
   * Finds a built-in scenario by its command-line name (case-insensitive).
   *
   * @param name the command-line name
   * @return the scenario
   * @throws IllegalArgumentException naming the known scenarios if there is none by that name
   */
  public static Scenario byId(String name) {
    Scenario s = CATALOGUE.get(name.trim().toLowerCase(java.util.Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException("unknown scenario '" + name + "'; known: "
          + String.join(", ", CATALOGUE.keySet()) + " (or a scenario file: --scenario-file FILE)");
    }
    return s;
  }

  /** Splits {@code total} clients over the groups in proportion to their default sizes, each at least 1. */
  static List<ClientGroup> scale(List<ClientGroup> groups, int total) {
    if (total < groups.size()) {
      throw new IllegalArgumentException(
          "this scenario has " + groups.size() + " client groups; --clients must be at least " + groups.size());
    }
    int defaultTotal = 0;
    for (ClientGroup g : groups) {
      defaultTotal += g.count();
    }
    List<ClientGroup> out = new ArrayList<>();
    int assigned = 0;
    for (int i = 0; i < groups.size(); i++) {
      ClientGroup g = groups.get(i);
      int count = i == groups.size() - 1 ? total - assigned
          : Math.max(1, (int) Math.round((double) g.count() * total / defaultTotal));
      count = Math.max(1, Math.min(count, total - assigned - (groups.size() - 1 - i)));
      assigned += count;
      out.add(g.withCount(count));
    }
    return out;
  }

  private static Map<String, Scenario> loadCatalogue() {
    String resource = "/scenarios/catalogue.yaml";
    try (InputStream in = Scenario.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + resource);
      }
      Map<String, Scenario> m = new LinkedHashMap<>();
      for (Scenario s : ScenarioFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource)) {
        if (m.put(s.id.toLowerCase(java.util.Locale.ROOT), s) != null) {
          throw new IllegalStateException("duplicate scenario id " + s.id + " in " + resource);
        }
      }
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
