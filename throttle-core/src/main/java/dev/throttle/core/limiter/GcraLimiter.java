package dev.throttle.core.limiter;

import dev.throttle.core.time.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A server-side rate limiter implementing GCRA (the generic cell rate algorithm, virtual scheduling): it
 * admits or refuses each request against one or more {@link Quota}s and reports the figures a server needs for
 * rate-limit headers.
 *
 * <pre>{@code
 * GcraLimiter limiter = GcraLimiter.builder()
 *     .quota(Quota.of(Rate.of(4500, Duration.ofHours(1)), 4500))
 *     .build();
 * RateLimitResult r = limiter.tryAcquire();
 * if (!r.allowed()) respond429(r.retryAfterNanos());
 * }</pre>
 *
 * <p>An idle limiter admits exactly {@code capacity} units at once, then one unit per emission interval
 * {@code T}. A request is admitted all or nothing ({@code tryAcquire}) or partially ({@code tryAcquireAtMost});
 * cost 0 is a peek; a cost above the capacity is {@link Decision#EXCEEDS_CAPACITY}. With several quotas the
 * decision is atomic and the result describes the most restrictive quota.
 *
 * <p>Time is integer nanoseconds from the configured {@link NanoClock} or passed as {@code nowNanos}; readings
 * may wrap and must lie within 2<sup>62</sup> ns (146 years) of each other. Rates from 1 per 292 years to
 * 10<sup>9</sup> per second and capacities up to 2<sup>31</sup>-1 never overflow.
 *
 * <p>Thread-safe and lock-free (compare-and-set); with one quota {@link #tryConsume(long, long)} and
 * {@link #tryAcquire(long, long, MutableRateLimitResult)} allocate nothing. The exact figures, the time range
 * and the concurrency design are in {@code docs/limiter.md}.
 *
 * @see KeyedGcraLimiter
 * @see Quota
 */
public final class GcraLimiter {

  private final Gcra gcra;
  private final GcraCell cell;
  private final NanoClock clock;

  private GcraLimiter(Builder b) {
    this.clock = b.clock;
    this.gcra = new Gcra(b.quotas, clock.nanoTime());
    this.cell = gcra.newCell(b.initialRemaining < 0 ? Long.MAX_VALUE : b.initialRemaining);
  }

  /**
   * Returns a new builder.
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tries to admit one unit at the clock's current time.
   * @return the decision and figures
   */
  public RateLimitResult tryAcquire() {
    return tryAcquire(1, clock.nanoTime());
  }

  /**
   * Tries to admit {@code cost} units, all or nothing, at the clock's current time.
   *
   * @param cost units to admit, {@code >= 0}
   * @return the decision and figures
   * @throws IllegalArgumentException if {@code cost < 0}
   */
  public RateLimitResult tryAcquire(long cost) {
    return tryAcquire(cost, clock.nanoTime());
  }

  /**
   * Tries to admit {@code cost} units, all or nothing, at {@code nowNanos}. Cost 0 is a peek: allowed, granted
   * 0, nothing changes.
   *
   * @param cost units to admit, {@code >= 0}
   * @param nowNanos a reading of this limiter's clock
   * @return the decision and figures
   * @throws IllegalArgumentException if {@code cost < 0}
   */
  public RateLimitResult tryAcquire(long cost, long nowNanos) {
    return acquire(Gcra.requireNonNegative(cost, "cost"), nowNanos, false);
  }

  /**
   * Like {@link #tryAcquire(long, long)} but writes the figures into a caller-owned holder: allocation-free.
   *
   * @param cost units to admit, {@code >= 0}
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   * @param into the holder the figures are written into
   * @return true if admitted (a peek of cost 0 is admitted)
   * @throws IllegalArgumentException if {@code cost < 0}
   * @throws NullPointerException if {@code into} is null
   */
  public boolean tryAcquire(long cost, long nowNanos, MutableRateLimitResult into) {
    return acquire(Gcra.requireNonNegative(cost, "cost"), nowNanos, false, into);
  }

  /**
   * Grants as many units as fit now, up to {@code maxUnits}, at the clock's current time.
   *
   * @param maxUnits the most units to grant, {@code >= 0}
   * @return the decision and figures, with the units granted
   * @throws IllegalArgumentException if {@code maxUnits < 0}
   */
  public RateLimitResult tryAcquireAtMost(long maxUnits) {
    return tryAcquireAtMost(maxUnits, clock.nanoTime());
  }

  /**
   * Grants {@code min(maxUnits, units that fit now)} units at {@code nowNanos}. When nothing fits the result is
   * {@link Decision#LIMITED} with the wait for one unit; {@code maxUnits} above the capacity is not an error.
   * {@code maxUnits = 0} is a peek.
   *
   * @param maxUnits the most units to grant, {@code >= 0}
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   * @return the decision and figures, with the units granted
   * @throws IllegalArgumentException if {@code maxUnits < 0}
   */
  public RateLimitResult tryAcquireAtMost(long maxUnits, long nowNanos) {
    return acquire(Gcra.requireNonNegative(maxUnits, "maxUnits"), nowNanos, true);
  }

  /**
   * Like {@link #tryAcquireAtMost(long, long)} but writes the figures into a caller-owned holder.
   *
   * @param maxUnits the most units to grant, {@code >= 0}
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   * @param into the holder the figures are written into
   * @return true if at least one unit was granted, or for a peek
   * @throws IllegalArgumentException if {@code maxUnits < 0}
   * @throws NullPointerException if {@code into} is null
   */
  public boolean tryAcquireAtMost(long maxUnits, long nowNanos, MutableRateLimitResult into) {
    return acquire(Gcra.requireNonNegative(maxUnits, "maxUnits"), nowNanos, true, into);
  }

  private RateLimitResult acquire(long units, long nowNanos, boolean partial) {
    MutableRateLimitResult into = new MutableRateLimitResult();
    gcra.acquire(cell, units, nowNanos, partial, into);
    return into.toResult();
  }

  private boolean acquire(long units, long nowNanos, boolean partial, MutableRateLimitResult into) {
    Objects.requireNonNull(into, "into");
    return gcra.acquire(cell, units, nowNanos, partial, into) == Gcra.ADMITTED;
  }

  /**
   * Tries to admit {@code cost} units, all or nothing, at the clock's current time; decision only.
   *
   * @param cost units to admit, {@code >= 0}
   * @return true if admitted
   * @throws IllegalArgumentException if {@code cost < 0}
   */
  public boolean tryConsume(long cost) {
    return tryConsume(cost, clock.nanoTime());
  }

  /**
   * Tries to admit {@code cost} units, all or nothing, at {@code nowNanos}; decision only. The fastest path:
   * lock-free and allocation-free with one quota. A cost above the capacity returns false.
   *
   * @param cost units to admit, {@code >= 0}
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   * @return true if admitted; a peek (cost 0) always returns true and changes nothing
   * @throws IllegalArgumentException if {@code cost < 0}
   */
  public boolean tryConsume(long cost, long nowNanos) {
    Gcra.requireNonNegative(cost, "cost");
    return gcra.tryConsume(cell, cost, nowNanos) == Gcra.ADMITTED;
  }

  /** Restores full capacity for every quota, as of the clock's current time. */
  public void reset() {
    gcra.reset(cell, clock.nanoTime());
  }

  /**
   * Restores full capacity for every quota, as of {@code nowNanos}.
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   */
  public void reset(long nowNanos) {
    gcra.reset(cell, nowNanos);
  }

  /**
   * Returns the quotas, in configuration order (unmodifiable).
   * @return the quotas, in configuration order (unmodifiable)
   */
  public List<Quota> quotas() {
    return gcra.quotas();
  }

  /**
   * Returns the clock this limiter reads when no time is passed.
   * @return the clock this limiter reads when no time is passed
   */
  public NanoClock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "GcraLimiter" + quotas();
  }

  /**
   * Configures a {@link GcraLimiter}. Setters check their argument at once; {@link #build()} checks the whole
   * and never changes the builder. Not thread-safe.
   */
  public static final class Builder {

    private final List<Quota> quotas = new ArrayList<>();
    private NanoClock clock = NanoClock.system();
    private long initialRemaining = -1;

    private Builder() {}

    /**
     * Adds a quota; repeat for several quotas, decided atomically. Names must be unique.
     *
     * @param quota a quota every request is charged against
     * @return this builder
     * @throws NullPointerException if {@code quota} is null
     */
    public Builder quota(Quota quota) {
      quotas.add(Objects.requireNonNull(quota, "quota"));
      return this;
    }

    /**
     * Sets the clock (default {@link NanoClock#system()}). The limiter reads it once at {@link #build()}.
     *
     * @param clock the clock (default {@link NanoClock#system()})
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(NanoClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the units available at construction for every quota (default: the capacity, i.e. idle). 0 starts
     * drained, as a server that has just been hammered; units then come back at the quota's rate, counted
     * from the clock's reading at {@link #build()} (so pass {@code nowNanos} of that same clock afterwards).
     *
     * @param initialRemaining the units available at construction for every quota (default: the capacity, i.e. idle)
     * @return this builder
     * @throws IllegalArgumentException if {@code initialRemaining < 0}
     */
    public Builder initialRemaining(long initialRemaining) {
      this.initialRemaining = Gcra.requireNonNegative(initialRemaining, "initialRemaining");
      return this;
    }

    /**
     * Builds the limiter.
     *
     * @return a new limiter
     * @throws IllegalArgumentException if no quota was added, two quotas share a name, or
     *     {@code initialRemaining} exceeds a quota's capacity
     */
    public GcraLimiter build() {
      List<Quota> checked = Gcra.checkQuotas(quotas);
      for (Quota q : checked) {
        if (initialRemaining > q.capacity()) {
          throw new IllegalArgumentException("initialRemaining (" + initialRemaining
              + ") must not exceed the capacity of " + q);
        }
      }
      Builder copy = new Builder();
      copy.quotas.addAll(checked);
      copy.clock = clock;
      copy.initialRemaining = initialRemaining;
      return new GcraLimiter(copy);
    }
  }
}
