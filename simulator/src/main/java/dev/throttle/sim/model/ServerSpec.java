package dev.throttle.sim.model;

import dev.throttle.core.limiter.Rate;

import java.util.List;
import java.util.Objects;

/**
 * The simulated server: one {@code GcraLimiter} quota on the virtual clock, how full it starts, what latency
 * it adds, which headers it sends and how its limit changes during the run. Immutable.
 *
 * @param rate the sustained rate (emission interval T = period / count)
 * @param capacity units an idle client may send at once ({@code Quota} capacity)
 * @param initialRemaining units available at time 0, in {@code [0, capacity]}; 0 = starts drained (Heroku)
 * @param serviceLatency time between the server's decision and the response leaving it
 * @param headers which rate-limit headers responses carry
 * @param changes limit changes, in increasing time order
 */
public record ServerSpec(Rate rate, long capacity, long initialRemaining, Latency serviceLatency,
    HeaderMode headers, List<ServerChange> changes) {

  /**
   * Validates the spec.
   *
   * @param rate the sustained rate (emission interval T = period / count)
   * @param capacity units an idle client may send at once ({@code Quota} capacity)
   * @param initialRemaining units available at time 0, in {@code [0, capacity]}; 0 = starts drained (Heroku)
   * @param serviceLatency time between the server's decision and the response leaving it
   * @param headers which rate-limit headers responses carry
   * @param changes limit changes, in increasing time order
   * @throws IllegalArgumentException if capacity or initial fill are out of range or changes are out of order
   * @throws NullPointerException if any reference is null
   */
  public ServerSpec {
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(serviceLatency, "serviceLatency");
    Objects.requireNonNull(headers, "headers");
    changes = List.copyOf(changes);
    if (capacity < 1 || capacity > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("capacity must be in [1, 2^31-1], was " + capacity);
    }
    if (initialRemaining < 0 || initialRemaining > capacity) {
      throw new IllegalArgumentException(
          "initial remaining must be in [0, capacity=" + capacity + "], was " + initialRemaining);
    }
    for (int i = 1; i < changes.size(); i++) {
      if (changes.get(i).atNanos() <= changes.get(i - 1).atNanos()) {
        throw new IllegalArgumentException("server changes must be in increasing time order");
      }
    }
  }

  /**
   * Returns a copy with another rate.
   * @param newRate the new rate
   * @return a copy with another rate
   */
  public ServerSpec withRate(Rate newRate) {
    return new ServerSpec(newRate, capacity, initialRemaining, serviceLatency, headers, changes);
  }

  /**
   * Returns a copy with another capacity; the initial fill is capped at it.
   * @param newCapacity the new capacity
   * @return a copy with another capacity; the initial fill is capped at it
   */
  public ServerSpec withCapacity(long newCapacity) {
    return new ServerSpec(rate, newCapacity, Math.min(initialRemaining, newCapacity), serviceLatency, headers, changes);
  }

  /**
   * Returns a copy with another initial fill.
   * @param units the new initial fill
   * @return a copy with another initial fill
   */
  public ServerSpec withInitialRemaining(long units) {
    return new ServerSpec(rate, capacity, units, serviceLatency, headers, changes);
  }

  /**
   * Returns a copy with another service latency.
   * @param latency the new service latency
   * @return a copy with another service latency
   */
  public ServerSpec withServiceLatency(Latency latency) {
    return new ServerSpec(rate, capacity, initialRemaining, latency, headers, changes);
  }

  /**
   * Returns a copy with other limit changes.
   * @param newChanges the new limit changes
   * @return a copy with other limit changes
   */
  public ServerSpec withChanges(List<ServerChange> newChanges) {
    return new ServerSpec(rate, capacity, initialRemaining, serviceLatency, headers, newChanges);
  }

  /**
   * Returns a copy with another header mode.
   * @param mode the new header mode
   * @return a copy with another header mode
   */
  public ServerSpec withHeaders(HeaderMode mode) {
    return new ServerSpec(rate, capacity, initialRemaining, serviceLatency, mode, changes);
  }
}
