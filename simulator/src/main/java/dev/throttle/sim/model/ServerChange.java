package dev.throttle.sim.model;

import dev.throttle.core.limiter.Rate;

import java.util.Objects;

/**
 * A change of the server's limit during a run: at {@code atNanos} the server's {@code GcraLimiter} is rebuilt
 * with the new rate and capacity, carrying over the units that were still available then (capped at the new
 * capacity). Immutable.
 *
 * @param atNanos virtual time of the change, {@code > 0}
 * @param rate the new sustained rate
 * @param capacity the new capacity (see {@code Quota})
 */
public record ServerChange(long atNanos, Rate rate, long capacity) {

  /**
   * Validates the change.
   *
   * @param atNanos virtual time of the change, {@code > 0}
   * @param rate the new sustained rate
   * @param capacity the new capacity (see {@code Quota})
   * @throws IllegalArgumentException if {@code atNanos <= 0} or {@code capacity < 1}
   * @throws NullPointerException if {@code rate} is null
   */
  public ServerChange {
    Objects.requireNonNull(rate, "rate");
    if (atNanos <= 0) {
      throw new IllegalArgumentException("change time must be > 0, was " + atNanos);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
  }
}
