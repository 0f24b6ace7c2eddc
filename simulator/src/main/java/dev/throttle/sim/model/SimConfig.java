package dev.throttle.sim.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything one simulation run needs except the strategy and the seed. Immutable.
 *
 * @param server the simulated server
 * @param networkLatency one-way network latency (request to server, and again response to client)
 * @param groups the clients
 * @param durationNanos the run ends at this virtual time (or earlier when every client has left)
 * @param share number of consecutive clients sharing one strategy instance (1 = one instance per client;
 *     Heroku's demo had 5 threads per process sharing one)
 * @param timeBins number of time bins for the charts' time series
 * @param maxAttempts safety stop: the run is cut short (and flagged) after this many attempts
 * @param initialSleepNanos starting sleep for strategies that keep one (Heroku's {@code starting_sleep_for});
 *     only used where the strategy's builder supports it, 0 = the strategy's default
 */
public record SimConfig(ServerSpec server, Latency networkLatency, List<ClientGroup> groups, long durationNanos,
    int share, int timeBins, long maxAttempts, long initialSleepNanos) {

  /** Most clients in one run (the event queue's payload holds a client index in 21 bits). */
  public static final int MAX_CLIENTS = 1 << 21;

  /** Default safety stop on attempts per run. */
  public static final long DEFAULT_MAX_ATTEMPTS = 500_000_000L;

  /**
   * Validates the config.
   *
   * @param server the simulated server
   * @param networkLatency one-way network latency (request to server, and again response to client)
   * @param groups the clients
   * @param durationNanos the run ends at this virtual time (or earlier when every client has left)
   * @param share number of consecutive clients sharing one strategy instance (1 = one instance per client;
   *     Heroku's demo had 5 threads per process sharing one)
   * @param timeBins number of time bins for the charts' time series
   * @param maxAttempts safety stop: the run is cut short (and flagged) after this many attempts
   * @param initialSleepNanos starting sleep for strategies that keep one (Heroku's {@code starting_sleep_for});
   *     only used where the strategy's builder supports it, 0 = the strategy's default
   * @throws IllegalArgumentException if a number is out of range or there are no clients
   * @throws NullPointerException if any reference is null
   */
  public SimConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(networkLatency, "networkLatency");
    groups = List.copyOf(groups);
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("a run needs at least one client group");
    }
    long clients = 0;
    for (ClientGroup g : groups) {
      clients += g.count();
    }
    if (clients > MAX_CLIENTS) {
      throw new IllegalArgumentException("at most " + MAX_CLIENTS + " clients, got " + clients);
    }
    if (server.changes().size() > MAX_CLIENTS) {
      throw new IllegalArgumentException("at most " + MAX_CLIENTS + " server changes");
    }
    if (durationNanos <= 0) {
      throw new IllegalArgumentException("duration must be > 0, was " + durationNanos + " ns");
    }
    if (share < 1) {
      throw new IllegalArgumentException("share must be >= 1, was " + share);
    }
    if (timeBins < 1 || timeBins > 10_000) {
      throw new IllegalArgumentException("time bins must be in [1, 10000], was " + timeBins);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be >= 1, was " + maxAttempts);
    }
    if (initialSleepNanos < 0) {
      throw new IllegalArgumentException("initial sleep must be >= 0, was " + initialSleepNanos);
    }
  }

  /**
   * Returns the total number of clients over all groups.
   * @return the total number of clients over all groups
   */
  public int clientCount() {
    int n = 0;
    for (ClientGroup g : groups) {
      n += g.count();
    }
    return n;
  }

  /**
   * Returns a copy with another server.
   * @param s the new server
   * @return a copy with another server
   */
  public SimConfig withServer(ServerSpec s) {
    return new SimConfig(s, networkLatency, groups, durationNanos, share, timeBins, maxAttempts, initialSleepNanos);
  }

  /**
   * Returns a copy with another network latency.
   * @param l the new network latency
   * @return a copy with another network latency
   */
  public SimConfig withNetworkLatency(Latency l) {
    return new SimConfig(server, l, groups, durationNanos, share, timeBins, maxAttempts, initialSleepNanos);
  }

  /**
   * Returns a copy with other client groups.
   * @param g the new client groups
   * @return a copy with other client groups
   */
  public SimConfig withGroups(List<ClientGroup> g) {
    return new SimConfig(server, networkLatency, g, durationNanos, share, timeBins, maxAttempts, initialSleepNanos);
  }

  /**
   * Returns a copy with another duration.
   * @param nanos the new duration in nanoseconds
   * @return a copy with another duration
   */
  public SimConfig withDuration(long nanos) {
    return new SimConfig(server, networkLatency, groups, nanos, share, timeBins, maxAttempts, initialSleepNanos);
  }

  /**
   * Returns a copy with another sharing factor.
   * @param k the new sharing factor
   * @return a copy with another sharing factor
   */
  public SimConfig withShare(int k) {
    return new SimConfig(server, networkLatency, groups, durationNanos, k, timeBins, maxAttempts, initialSleepNanos);
  }

  /**
   * Returns a copy with another number of time bins.
   * @param bins the new number of time bins
   * @return a copy with another number of time bins
   */
  public SimConfig withTimeBins(int bins) {
    return new SimConfig(server, networkLatency, groups, durationNanos, share, bins, maxAttempts, initialSleepNanos);
  }

  /**
   * Returns a copy with another safety stop.
   * @param max the new safety stop
   * @return a copy with another safety stop
   */
  public SimConfig withMaxAttempts(long max) {
    return new SimConfig(server, networkLatency, groups, durationNanos, share, timeBins, max, initialSleepNanos);
  }

  /**
   * Returns a copy with another initial sleep.
   * @param nanos the new initial sleep in nanoseconds
   * @return a copy with another initial sleep
   */
  public SimConfig withInitialSleep(long nanos) {
    return new SimConfig(server, networkLatency, groups, durationNanos, share, timeBins, maxAttempts, nanos);
  }
}
