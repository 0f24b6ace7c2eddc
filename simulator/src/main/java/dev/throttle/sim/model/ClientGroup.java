package dev.throttle.sim.model;

import java.util.Objects;

/**
 * A group of identical clients that join and leave together. Immutable.
 *
 * @param count number of clients, {@code >= 1}
 * @param workload what each client sends
 * @param joinAtNanos virtual time at which they start
 * @param leaveAtNanos virtual time at which they stop (an in-flight wait is abandoned), or
 *     {@link Long#MAX_VALUE} to stay until the end
 * @param strategy the strategy this group always runs (a {@code StrategyRegistry} name, e.g. {@code greedy}), or
 *     null for the strategy under test (mixed populations pin some groups to a fixed strategy)
 */
public record ClientGroup(int count, Workload workload, long joinAtNanos, long leaveAtNanos, String strategy) {

  /**
   * Validates the group.
   *
   * @param count number of clients, {@code >= 1}
   * @param workload what each client sends
   * @param joinAtNanos virtual time at which they start
   * @param leaveAtNanos virtual time at which they stop (an in-flight wait is abandoned), or
   *     {@link Long#MAX_VALUE} to stay until the end
   * @throws IllegalArgumentException if {@code count < 1} or the times are out of order
   * @throws NullPointerException if {@code workload} is null
   */
  public ClientGroup {
    Objects.requireNonNull(workload, "workload");
    if (count < 1) {
      throw new IllegalArgumentException("client count must be >= 1, was " + count);
    }
    if (joinAtNanos < 0 || leaveAtNanos <= joinAtNanos) {
      throw new IllegalArgumentException("need 0 <= join < leave, got join=" + joinAtNanos + " leave=" + leaveAtNanos);
    }
  }

  /** A group running the strategy under test. */
  public ClientGroup(int count, Workload workload, long joinAtNanos, long leaveAtNanos) {
    this(count, workload, joinAtNanos, leaveAtNanos, null);
  }

  /** Returns {@code count} clients present for the whole run. */
  public static ClientGroup always(int count, Workload workload) {
    return new ClientGroup(count, workload, 0, Long.MAX_VALUE);
  }

  /**
   * Returns a copy with another count.
   * @param newCount the new number of clients
   * @return a copy with another count
   */
  public ClientGroup withCount(int newCount) {
    return new ClientGroup(newCount, workload, joinAtNanos, leaveAtNanos, strategy);
  }

  /** Returns a copy pinned to a strategy (null: the strategy under test). */
  public ClientGroup withStrategy(String name) {
    return new ClientGroup(count, workload, joinAtNanos, leaveAtNanos, name);
  }
}
