package dev.throttle.sim.scenario;

import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Durations;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.Rates;
import dev.throttle.sim.model.ServerChange;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads scenarios from YAML (SnakeYAML Engine, YAML 1.2): one scenario per document, several documents per file
 * separated by {@code ---}. The format is documented with an example in {@code docs/simulator.md}; the built-in
 * catalogue ({@code scenarios/catalogue.yaml} on the class path) is written in it. Every key is checked: an
 * unknown key, a missing one or a bad value is an {@link IllegalArgumentException} naming the scenario and the
 * key. Stateless.
 */
public final class ScenarioFile {

  private static final Set<String> TOP = Set.of("id", "description", "duration", "latency", "share", "bins",
      "server", "clients");
  private static final Set<String> SERVER = Set.of("model", "rate", "capacity", "initial", "service", "dialect",
      "nodelay", "reject-status", "changes");
  private static final Set<String> CHANGE = Set.of("at", "rate", "capacity");
  private static final Set<String> GROUP = Set.of("count", "workload", "requests", "arrivals-per-second", "think",
      "join", "leave", "stop-at-remaining", "strategy");

  private ScenarioFile() {}

  /**
   * Parses every scenario in the text.
   *
   * @param yaml the file's content
   * @param source where it came from, for messages
   * @throws IllegalArgumentException if the text is not valid YAML or a scenario is invalid
   */
  public static List<Scenario> parse(String yaml, String source) {
    Load load = new Load(LoadSettings.builder().setLabel(source).build());
    List<Scenario> out = new ArrayList<>();
    try {
      for (Object doc : load.loadAllFromString(yaml)) {
        if (doc != null) {
          out.add(scenario(map(doc, source), source));
        }
      }
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + ": no scenario in the file");
    }
    return out;
  }

  private static Scenario scenario(Map<String, Object> m, String source) {
    String id = string(m, "id", source);
    String where = source + ": scenario '" + id + "'";
    check(m, TOP, where);
    try {
      Map<String, Object> s = map(require(m, "server", where), where + ", server");
      check(s, SERVER, where + ", server");
      ServerSpec server = server(s, where);
      List<ClientGroup> groups = new ArrayList<>();
      Object clients = require(m, "clients", where);
      if (!(clients instanceof List<?> list) || list.isEmpty()) {
        throw new IllegalArgumentException("'clients' must be a non-empty list of groups");
      }
      for (Object g : list) {
        Map<String, Object> gm = map(g, where + ", clients");
        check(gm, GROUP, where + ", clients");
        groups.add(group(gm));
      }
      SimConfig c = new SimConfig(server, latency(m.get("latency")), groups, duration(require(m, "duration", where)),
          integer(m.getOrDefault("share", 1)), integer(m.getOrDefault("bins", Scenario.DEFAULT_BINS)),
          SimConfig.DEFAULT_MAX_ATTEMPTS, 0);
      String description = m.containsKey("description") ? String.valueOf(m.get("description")).trim() : id;
      return new Scenario(id, description, c);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static ServerSpec server(Map<String, Object> s, String where) {
    ServerKind kind = ServerKind.byId(String.valueOf(require(s, "model", where + ", server")));
    List<ServerChange> changes = new ArrayList<>();
    if (s.get("changes") instanceof List<?> list) {
      for (Object o : list) {
        Map<String, Object> cm = map(o, where + ", changes");
        check(cm, CHANGE, where + ", changes");
        changes.add(new ServerChange(duration(cm.get("at")), Rates.parse(String.valueOf(cm.get("rate"))),
            longValue(cm.get("capacity"))));
      }
    } else if (s.containsKey("changes")) {
      throw new IllegalArgumentException("'changes' must be a list");
    }
    long capacity = s.containsKey("capacity") ? longValue(s.get("capacity")) : 1;
    long initial = s.containsKey("initial") ? longValue(s.get("initial")) : capacity;
    Object nodelay = s.getOrDefault("nodelay", Boolean.FALSE);
    if (!(nodelay instanceof Boolean)) {
      throw new IllegalArgumentException("'nodelay' must be true or false, was '" + nodelay + "'");
    }
    return new ServerSpec(kind, Rates.parse(String.valueOf(require(s, "rate", where + ", server"))), capacity,
        initial, latency(s.get("service")), Dialect.byId(String.valueOf(s.getOrDefault("dialect", "full"))),
        changes, (Boolean) nodelay, integer(s.getOrDefault("reject-status", 429)));
  }

  private static ClientGroup group(Map<String, Object> g) {
    String kind = String.valueOf(g.getOrDefault("workload", "closed"));
    Workload w = switch (kind) {
      case "closed" -> Workload.closed();
      case "job" -> Workload.finite(longValue(require(g, "requests", "a job group")));
      case "poisson" -> Workload.poisson(doubleValue(require(g, "arrivals-per-second", "a poisson group")));
      default -> throw new IllegalArgumentException("workload must be closed, job or poisson, was '" + kind + "'");
    };
    if (g.containsKey("stop-at-remaining")) {
      w = w.stoppingAtRemaining(longValue(g.get("stop-at-remaining")));
    }
    if (g.containsKey("think")) {
      w = w.thinking(duration(g.get("think")));
    }
    String strategy = null;
    if (g.containsKey("strategy")) {
      strategy = StrategyRegistry.byId(String.valueOf(g.get("strategy"))).id();
    }
    Object leave = g.getOrDefault("leave", "never");
    long leaveAt = "never".equals(String.valueOf(leave)) ? Long.MAX_VALUE : duration(leave);
    return new ClientGroup(integer(require(g, "count", "a client group")), w, duration(g.getOrDefault("join", 0)),
        leaveAt, strategy);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String where) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(where + ": expected a mapping, got '" + o + "'");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue());
    }
    return out;
  }

  private static void check(Map<String, Object> m, Set<String> known, String where) {
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(where + ": unknown key '" + k + "' (known: " + String.join(", ",
            new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  private static Object require(Map<String, Object> m, String key, String where) {
    Object v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException(where + ": missing '" + key + "'");
    }
    return v;
  }

  private static String string(Map<String, Object> m, String key, String where) {
    return String.valueOf(require(m, key, where)).trim();
  }

  private static long duration(Object o) {
    return Durations.parseNanos(String.valueOf(o));
  }

  private static Latency latency(Object o) {
    return o == null ? Latency.ZERO : Latency.parse(String.valueOf(o));
  }

  private static long longValue(Object o) {
    if (o instanceof Integer || o instanceof Long) {
      return ((Number) o).longValue();
    }
    throw new IllegalArgumentException("expected a whole number, got '" + o + "'");
  }

  private static int integer(Object o) {
    long v = longValue(o);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("number out of range: " + v);
    }
    return (int) v;
  }

  private static double doubleValue(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("expected a number, got '" + o + "'");
  }
}
