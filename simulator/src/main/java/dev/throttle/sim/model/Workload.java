package dev.throttle.sim.model;

/**
 * What one client wants to send. Immutable.
 *
 * @param kind closed loop, finite job or Poisson arrivals
 * @param jobSize for {@link Kind#FINITE}: successful requests after which the client leaves
 * @param arrivalsPerSecond for {@link Kind#POISSON}: mean rate of new logical requests
 * @param stopAtRemaining if {@code >= 0}, the client leaves after a response whose parsed remaining figure
 *     is at most this (Heroku's {@code remaining_stop_under}); -1 = never
 * @param thinkNanos closed loops and jobs: pause between an answered logical request and the next one
 */
public record Workload(Kind kind, long jobSize, double arrivalsPerSecond, long stopAtRemaining, long thinkNanos) {

  /** Kinds of workload. */
  public enum Kind {
    /** A new logical request as soon as the previous one is answered (Heroku's threads). */
    CLOSED,
    /** Like {@link #CLOSED}, but the client leaves after {@code jobSize} answered requests. */
    FINITE,
    /** Logical requests arrive as a Poisson process and queue behind each other (one in flight). */
    POISSON
  }

  /**
   * Validates the workload.
   *
   * @param kind closed loop, finite job or Poisson arrivals
   * @param jobSize for {@link Kind#FINITE}: successful requests after which the client leaves
   * @param arrivalsPerSecond for {@link Kind#POISSON}: mean rate of new logical requests
   * @param stopAtRemaining if {@code >= 0}, the client leaves after a response whose {@code RateLimit-Remaining}
   *     is at most this (Heroku's {@code remaining_stop_under}); -1 = never
   * @throws IllegalArgumentException if the kind's parameter is out of range
   */
  public Workload {
    if (kind == Kind.FINITE && jobSize < 1) {
      throw new IllegalArgumentException("job size must be >= 1, was " + jobSize);
    }
    if (kind == Kind.POISSON && !(arrivalsPerSecond > 0 && arrivalsPerSecond <= 1e9)) {
      throw new IllegalArgumentException("arrival rate must be in (0, 1e9] per second, was " + arrivalsPerSecond);
    }
    if (thinkNanos < 0) {
      throw new IllegalArgumentException("think time must be >= 0, was " + thinkNanos + " ns");
    }
  }

  /** A workload without think time. */
  public Workload(Kind kind, long jobSize, double arrivalsPerSecond, long stopAtRemaining) {
    this(kind, jobSize, arrivalsPerSecond, stopAtRemaining, 0);
  }

  /**
   * Returns a closed loop as fast as the strategy allows.
   * @return a closed loop as fast as the strategy allows
   */
  public static Workload closed() {
    return new Workload(Kind.CLOSED, 0, 0, -1);
  }

  /**
   * Returns a finite job of {@code requests} answered requests.
   * @param requests the successful requests after which the client leaves
   * @return a finite job of {@code requests} answered requests
   */
  public static Workload finite(long requests) {
    return new Workload(Kind.FINITE, requests, 0, -1);
  }

  /**
   * Returns Poisson arrivals at the given mean rate.
   * @param perSecond the mean rate of new logical requests per second
   * @return Poisson arrivals at the given mean rate
   */
  public static Workload poisson(double perSecond) {
    return new Workload(Kind.POISSON, 0, perSecond, -1);
  }

  /**
   * Returns a copy that leaves after a response reporting at most {@code remaining} units left.
   * @param remaining the remaining units at or below which the client leaves
   * @return a copy that leaves after a response reporting at most {@code remaining} units left
   */
  public Workload stoppingAtRemaining(long remaining) {
    return new Workload(kind, jobSize, arrivalsPerSecond, remaining, thinkNanos);
  }

  /** Returns a copy that pauses {@code nanos} between logical requests. */
  public Workload thinking(long nanos) {
    return new Workload(kind, jobSize, arrivalsPerSecond, stopAtRemaining, nanos);
  }
}
