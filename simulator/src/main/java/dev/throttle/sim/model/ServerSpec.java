package dev.throttle.sim.model;

import dev.throttle.core.limiter.Rate;

import java.util.List;
import java.util.Objects;

/**
 * The simulated server: its algorithm and limits, how full it starts, what latency it adds, which header dialect
 * it writes and how its limit changes during the run. Immutable.
 *
 * <p>What {@code rate} and {@code capacity} mean depends on the {@link ServerKind}: GCRA refills at {@code rate}
 * up to {@code capacity}; a fixed or sliding window admits {@code rate.count()} per {@code rate.period()} (its
 * capacity and initial fill are that count); a leaky bucket leaks at {@code rate} with a burst of
 * {@code capacity} (0 allowed, as nginx's default); a concurrency limit admits {@code capacity} requests in flight.
 *
 * @param kind the algorithm
 * @param rate the sustained rate (GCRA: emission interval T = period / count; windows: limit per window)
 * @param capacity GCRA burst, leaky-bucket burst, or concurrency limit (see above)
 * @param initialRemaining units available at time 0, in {@code [0, capacity]} (GCRA only; 0 = starts drained)
 * @param serviceLatency time between the server's decision and the response leaving it
 * @param dialect the rate-limit headers responses carry
 * @param changes limit changes, in increasing time order (GCRA only)
 * @param nodelay leaky bucket: requests within the burst pass at once (nginx {@code nodelay}) rather than being
 *     delayed until they conform
 * @param rejectStatus the status of a refused request (nginx {@code limit_req_status}; 429 by default; 503 is
 *     nginx's own default)
 */
public record ServerSpec(ServerKind kind, Rate rate, long capacity, long initialRemaining, Latency serviceLatency,
    Dialect dialect, List<ServerChange> changes, boolean nodelay, int rejectStatus) {

  /**
   * Validates the spec and, for fixed and sliding windows, sets capacity and initial fill to the window's limit.
   *
   * @throws IllegalArgumentException if a figure is out of range, changes are out of order, or changes are given
   *     for a kind other than GCRA
   * @throws NullPointerException if any reference is null
   */
  public ServerSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(serviceLatency, "serviceLatency");
    Objects.requireNonNull(dialect, "dialect");
    changes = List.copyOf(changes);
    if (kind == ServerKind.FIXED_WINDOW || kind == ServerKind.SLIDING_WINDOW) {
      if (rate.count() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("a window's limit must be at most 2^31-1, was " + rate.count());
      }
      capacity = rate.count();
      initialRemaining = capacity;
    }
    long minCapacity = kind == ServerKind.LEAKY_BUCKET ? 0 : 1;
    if (capacity < minCapacity || capacity > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "capacity must be in [" + minCapacity + ", 2^31-1] for " + kind + ", was " + capacity);
    }
    if (initialRemaining < 0 || initialRemaining > capacity) {
      throw new IllegalArgumentException(
          "initial remaining must be in [0, capacity=" + capacity + "], was " + initialRemaining);
    }
    if (!changes.isEmpty() && kind != ServerKind.GCRA) {
      throw new IllegalArgumentException("limit changes are only modelled for gcra, not " + kind);
    }
    for (int i = 1; i < changes.size(); i++) {
      if (changes.get(i).atNanos() <= changes.get(i - 1).atNanos()) {
        throw new IllegalArgumentException("server changes must be in increasing time order");
      }
    }
    if (rejectStatus < 400 || rejectStatus > 599) {
      throw new IllegalArgumentException("reject status must be a 4xx or 5xx code, was " + rejectStatus);
    }
  }

  /** A GCRA server answering 429 when it refuses. */
  public ServerSpec(Rate rate, long capacity, long initialRemaining, Latency serviceLatency, Dialect dialect,
      List<ServerChange> changes) {
    this(ServerKind.GCRA, rate, capacity, initialRemaining, serviceLatency, dialect, changes, false, 429);
  }

  /** Returns a copy with another kind (capacity and initial fill kept where the kind uses them). */
  public ServerSpec withKind(ServerKind k) {
    long cap = capacity;
    if (k == ServerKind.GCRA || k == ServerKind.CONCURRENCY) {
      cap = Math.max(1, cap);
    }
    return new ServerSpec(k, rate, cap, Math.min(initialRemaining, cap), serviceLatency, dialect,
        k == ServerKind.GCRA ? changes : List.of(), nodelay, rejectStatus);
  }

  /**
   * Returns a copy with another rate.
   * @param newRate the new rate
   * @return a copy with another rate
   */
  public ServerSpec withRate(Rate newRate) {
    return new ServerSpec(kind, newRate, capacity, initialRemaining, serviceLatency, dialect, changes, nodelay,
        rejectStatus);
  }

  /**
   * Returns a copy with another capacity; the initial fill is capped at it.
   * @param newCapacity the new capacity
   * @return a copy with another capacity; the initial fill is capped at it
   */
  public ServerSpec withCapacity(long newCapacity) {
    return new ServerSpec(kind, rate, newCapacity, Math.min(initialRemaining, newCapacity), serviceLatency, dialect,
        changes, nodelay, rejectStatus);
  }

  /**
   * Returns a copy with another initial fill.
   * @param units the new initial fill
   * @return a copy with another initial fill
   */
  public ServerSpec withInitialRemaining(long units) {
    return new ServerSpec(kind, rate, capacity, units, serviceLatency, dialect, changes, nodelay, rejectStatus);
  }

  /**
   * Returns a copy with another service latency.
   * @param latency the new service latency
   * @return a copy with another service latency
   */
  public ServerSpec withServiceLatency(Latency latency) {
    return new ServerSpec(kind, rate, capacity, initialRemaining, latency, dialect, changes, nodelay, rejectStatus);
  }

  /**
   * Returns a copy with other limit changes.
   * @param newChanges the new limit changes
   * @return a copy with other limit changes
   */
  public ServerSpec withChanges(List<ServerChange> newChanges) {
    return new ServerSpec(kind, rate, capacity, initialRemaining, serviceLatency, dialect, newChanges, nodelay,
        rejectStatus);
  }

  /** Returns a copy with another header dialect. */
  public ServerSpec withDialect(Dialect d) {
    return new ServerSpec(kind, rate, capacity, initialRemaining, serviceLatency, d, changes, nodelay, rejectStatus);
  }

  /** Returns a copy with another leaky-bucket {@code nodelay} setting. */
  public ServerSpec withNodelay(boolean nd) {
    return new ServerSpec(kind, rate, capacity, initialRemaining, serviceLatency, dialect, changes, nd, rejectStatus);
  }

  /** Returns a copy with another status for refused requests. */
  public ServerSpec withRejectStatus(int status) {
    return new ServerSpec(kind, rate, capacity, initialRemaining, serviceLatency, dialect, changes, nodelay, status);
  }
}
