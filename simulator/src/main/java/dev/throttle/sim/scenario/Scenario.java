package dev.throttle.sim.scenario;

import dev.throttle.core.limiter.Rate;

import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.HeaderMode;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerChange;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The named scenarios: each a factory of a {@link SimConfig} with documented defaults, which the CLI's options
 * may override ({@link #config(ScenarioOptions)}). All servers answer with the full rate-limit headers unless
 * {@code --headers} says otherwise.
 */
public enum Scenario {

  /**
   * Heroku's published set-up: 10 always-busy clients, 4500/h (T = 0.8 s), capacity 4500, starting drained,
   * 30 simulated minutes, no latency (their server ran on localhost). One strategy instance per client
   * ({@code --share 5} reproduces their 5 threads per process sharing one instance).
   */
  HEROKU("heroku", "Heroku's bench: 10 busy clients, 4500/h, capacity 4500 starting drained, 30 min, no latency",
      () -> config(heroku(), Duration.ofMinutes(30), Latency.ZERO, 0,
          List.of(ClientGroup.always(10, Workload.closed())))),

  /** 30 always-busy clients on a faster API: 10/s, capacity 100 starting full, 10 minutes. */
  STEADY("steady", "30 busy clients, 10/s, capacity 100 starting full, 10 min",
      () -> config(new ServerSpec(Rate.perSecond(10), 100, 100, Latency.ZERO, HeaderMode.FULL, List.of()),
          Duration.ofMinutes(10), Latency.ZERO, 0, List.of(ClientGroup.always(30, Workload.closed())))),

  /**
   * Heroku's time-to-clear bench: the bucket starts full at 4500 and (almost) does not refill (1 unit per day;
   * Heroku's server did not refill at all); 10 clients with a starting sleep of 1 s leave after a response with
   * RateLimit-Remaining at most 10. The metric is the time until the last client left. Capped at 2 h.
   * Every request takes a 50 ms round trip (25 ms each way): without latency a client that stops sleeping
   * would clear the bucket in zero time. (Heroku's real localhost HTTP, scaled ×10, cost about 165 simulated
   * ms per request, judging by their ExponentialBackoff figure of 74 s for 450 requests per client.)
   */
  CLEAR("clear", "time to clear a full bucket of 4500 that does not refill (1/day); stop at remaining <= 10; 50 ms RTT",
      () -> config(new ServerSpec(Rate.of(1, Duration.ofDays(1)), 4500, 4500, Latency.ZERO, HeaderMode.FULL,
              List.of()), Duration.ofHours(2), Latency.fixed(Duration.ofMillis(25).toNanos()),
          Duration.ofSeconds(1).toNanos(),
          List.of(ClientGroup.always(10, Workload.closed().stoppingAtRemaining(10))))),

  /**
   * Clients joining and leaving on Heroku's server: 5 clients for the whole run, 5 more leaving at 20 min, and
   * 5 joining at 10 min; 30 minutes.
   */
  JOIN("join", "Heroku's server; 15 clients: 5 throughout, 5 leave at 20 min, 5 join at 10 min; 30 min",
      () -> config(heroku(), Duration.ofMinutes(30), Latency.ZERO, 0, List.of(
          ClientGroup.always(5, Workload.closed()),
          new ClientGroup(5, Workload.closed(), 0, Duration.ofMinutes(20).toNanos()),
          new ClientGroup(5, Workload.closed(), Duration.ofMinutes(10).toNanos(), Long.MAX_VALUE)))),

  /**
   * Heroku's server whose limit drops at 15 minutes to half the rate (2250/h) and a capacity of 1000;
   * 10 busy clients, 30 minutes.
   */
  CAPACITY_DROP("capacity-drop", "Heroku's server; at 15 min rate halves to 2250/h and capacity drops to 1000",
      () -> config(heroku().withChanges(List.of(new ServerChange(Duration.ofMinutes(15).toNanos(),
              Rate.perHour(2250), 1000))), Duration.ofMinutes(30), Latency.ZERO, 0,
          List.of(ClientGroup.always(10, Workload.closed())))),

  /** Heroku's bench with latency: 50 ms one-way network latency and exponential service time, mean 100 ms. */
  LATENCY("latency", "Heroku's bench with 50 ms one-way network latency and exp(100 ms) service time",
      () -> config(heroku().withServiceLatency(Latency.exponential(Duration.ofMillis(100).toNanos())),
          Duration.ofMinutes(30), Latency.fixed(Duration.ofMillis(50).toNanos()), 0,
          List.of(ClientGroup.always(10, Workload.closed())))),

  /** Open-loop demand above the limit: 20 clients each with Poisson arrivals of 0.1/s (2/s against 1.25/s). */
  POISSON("poisson", "Heroku's server; 20 clients with Poisson arrivals of 0.1/s each (overload 1.6x); 30 min",
      () -> config(heroku(), Duration.ofMinutes(30), Latency.ZERO, 0,
          List.of(ClientGroup.always(20, Workload.poisson(0.1))))),

  /**
   * Finite jobs: 10 clients with 300 requests each against Heroku's rate with 1000 units banked; the metric is
   * the time until the last job is done (optimum (3000 - 1000) x 0.8 s = 1600 s). Capped at 2 h.
   */
  JOB("job", "10 clients x 300 requests, 4500/h with 1000 banked; time until all jobs are done",
      () -> config(heroku().withInitialRemaining(1000), Duration.ofHours(2), Latency.ZERO, 0,
          List.of(ClientGroup.always(10, Workload.finite(300)))));

  /** Scenarios {@code compare} runs when none is named. */
  public static final List<Scenario> COMPARE_DEFAULTS = List.of(HEROKU, CLEAR, JOIN, CAPACITY_DROP, STEADY);

  /** Default number of time bins for charts. */
  public static final int DEFAULT_BINS = 120;

  private final String id;
  private final String description;
  private final Supplier<SimConfig> defaults;

  Scenario(String id, String description, Supplier<SimConfig> defaults) {
    this.id = id;
    this.description = description;
    this.defaults = defaults;
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
    return defaults.get();
  }

  /**
   * Returns the configuration with the overrides applied.
   *
   * @param o the overrides
   * @return the configuration with the overrides applied
   * @throws IllegalArgumentException if an override is out of range
   */
  public SimConfig config(ScenarioOptions o) {
    SimConfig c = defaults();
    ServerSpec s = c.server();
    if (o.rate() != null) {
      s = s.withRate(o.rate());
    }
    if (o.capacity() != null) {
      boolean startsFull = s.initialRemaining() == s.capacity();
      s = s.withCapacity(o.capacity());
      if (startsFull) {
        s = s.withInitialRemaining(o.capacity());
      }
    }
    if (o.initialRemaining() != null) {
      s = s.withInitialRemaining(o.initialRemaining());
    }
    if (o.serviceLatency() != null) {
      s = s.withServiceLatency(o.serviceLatency());
    }
    if (o.headers() != null) {
      s = s.withHeaders(o.headers());
    }
    c = c.withServer(s);
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

  /**
   * Finds a scenario by its command-line name (case-insensitive).
   *
   * @param name the command-line name
   * @return the scenario
   * @throws IllegalArgumentException naming the known scenarios if there is none by that name
   */
  public static Scenario byId(String name) {
    for (Scenario s : values()) {
      if (s.id.equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    List<String> ids = new ArrayList<>();
    for (Scenario s : values()) {
      ids.add(s.id);
    }
    throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + String.join(", ", ids));
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

  private static ServerSpec heroku() {
    return new ServerSpec(Rate.perHour(4500), 4500, 0, Latency.ZERO, HeaderMode.FULL, List.of());
  }

  private static SimConfig config(ServerSpec server, Duration duration, Latency net, long initialSleep,
      List<ClientGroup> groups) {
    return new SimConfig(server, net, groups, duration.toNanos(), 1, DEFAULT_BINS, SimConfig.DEFAULT_MAX_ATTEMPTS,
        initialSleep);
  }

  @Override
  public String toString() {
    return id;
  }
}
