package dev.throttle.sim.scenario;

import dev.throttle.core.limiter.Rate;

import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerKind;

/**
 * Command-line overrides applied on top of a scenario's defaults; a null field keeps the scenario's value. Build
 * with {@link #builder()}.
 *
 * @param clients total number of clients (split over the scenario's groups in proportion)
 * @param durationNanos run length
 * @param rate server rate
 * @param capacity server capacity
 * @param initialRemaining units available at the start
 * @param networkLatency one-way network latency
 * @param serviceLatency server service latency
 * @param share clients per strategy instance
 * @param dialect header dialect
 * @param timeBins chart bins
 * @param server server model
 * @param nodelay leaky bucket nodelay
 * @param rejectStatus status of a refused request
 */
public record ScenarioOptions(Integer clients, Long durationNanos, Rate rate, Long capacity, Long initialRemaining,
    Latency networkLatency, Latency serviceLatency, Integer share, Dialect dialect, Integer timeBins,
    ServerKind server, Boolean nodelay, Integer rejectStatus) {

  /** No overrides. */
  public static final ScenarioOptions NONE = builder().build();

  /** Returns a builder with no overrides. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder preset to these overrides. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.clients = clients;
    b.durationNanos = durationNanos;
    b.rate = rate;
    b.capacity = capacity;
    b.initialRemaining = initialRemaining;
    b.networkLatency = networkLatency;
    b.serviceLatency = serviceLatency;
    b.share = share;
    b.dialect = dialect;
    b.timeBins = timeBins;
    b.server = server;
    b.nodelay = nodelay;
    b.rejectStatus = rejectStatus;
    return b;
  }

  /** Builds {@link ScenarioOptions}; every setter takes null for "keep the scenario's value". Not thread-safe. */
  public static final class Builder {
    private Integer clients;
    private Long durationNanos;
    private Rate rate;
    private Long capacity;
    private Long initialRemaining;
    private Latency networkLatency;
    private Latency serviceLatency;
    private Integer share;
    private Dialect dialect;
    private Integer timeBins;
    private ServerKind server;
    private Boolean nodelay;
    private Integer rejectStatus;

    private Builder() {}

    /** Sets the total number of clients. */
    public Builder clients(Integer v) {
      clients = v;
      return this;
    }

    /** Sets the run length in nanoseconds. */
    public Builder durationNanos(Long v) {
      durationNanos = v;
      return this;
    }

    /** Sets the server rate. */
    public Builder rate(Rate v) {
      rate = v;
      return this;
    }

    /** Sets the server capacity. */
    public Builder capacity(Long v) {
      capacity = v;
      return this;
    }

    /** Sets the units available at the start. */
    public Builder initialRemaining(Long v) {
      initialRemaining = v;
      return this;
    }

    /** Sets the one-way network latency. */
    public Builder networkLatency(Latency v) {
      networkLatency = v;
      return this;
    }

    /** Sets the service latency. */
    public Builder serviceLatency(Latency v) {
      serviceLatency = v;
      return this;
    }

    /** Sets the clients per strategy instance. */
    public Builder share(Integer v) {
      share = v;
      return this;
    }

    /** Sets the header dialect. */
    public Builder dialect(Dialect v) {
      dialect = v;
      return this;
    }

    /** Sets the number of chart bins. */
    public Builder timeBins(Integer v) {
      timeBins = v;
      return this;
    }

    /** Sets the server model. */
    public Builder server(ServerKind v) {
      server = v;
      return this;
    }

    /** Sets the leaky bucket's nodelay. */
    public Builder nodelay(Boolean v) {
      nodelay = v;
      return this;
    }

    /** Sets the status of a refused request. */
    public Builder rejectStatus(Integer v) {
      rejectStatus = v;
      return this;
    }

    /** Returns the overrides. */
    public ScenarioOptions build() {
      return new ScenarioOptions(clients, durationNanos, rate, capacity, initialRemaining, networkLatency,
          serviceLatency, share, dialect, timeBins, server, nodelay, rejectStatus);
    }
  }
}
