package dev.throttle.core.limiter;

import java.util.Objects;

/**
 * One limit enforced by a GCRA limiter: a sustained {@link Rate} and a <b>capacity</b>.
 *
 * <p><b>Capacity</b> is the number of units (requests, when every request costs 1) that a client which has
 * been idle long enough may send at once, back to back, before the sustained rate applies. It is also the
 * largest cost a single request can ever have. An idle limiter admits exactly {@code capacity} unit requests
 * at the same instant and rejects the next; after that one unit becomes available every emission interval
 * {@code T}. In GCRA terms the delay variation tolerance is {@code capacity × T}. Mapping from peers:
 * throttled's {@code MaxBurst} and redis-cell's {@code max_burst} are {@code capacity - 1}; redis_rate's
 * {@code Burst} and Bucket4j's {@code capacity} are {@code capacity}.
 *
 * <p>The optional {@link #name() name} identifies the quota in the {@code RateLimit-Policy} header.
 *
 * <p>Immutable and thread-safe.
 */
public final class Quota {

  /** The largest capacity accepted, {@code 2^31 - 1}. */
  public static final long MAX_CAPACITY = Integer.MAX_VALUE;

  private final String name;
  private final Rate rate;
  private final long capacity;

  private Quota(String name, Rate rate, long capacity) {
    this.name = Objects.requireNonNull(name, "name");
    this.rate = Objects.requireNonNull(rate, "rate");
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be in [1, 2^31-1], was " + capacity);
    }
    if (name.isEmpty() || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
      throw new IllegalArgumentException("name must be non-empty printable ASCII without quotes or backslashes: "
          + name);
    }
    this.capacity = capacity;
  }

  /**
   * Returns a quota named {@code "default"}.
   *
   * @param rate the sustained rate
   * @param capacity the units an idle client may send at once, in {@code [1, 2^31-1]}
   * @return a quota named {@code "default"}
   * @throws IllegalArgumentException if {@code capacity} is not in {@code [1, 2^31-1]}
   */
  public static Quota of(Rate rate, long capacity) {
    return new Quota("default", rate, capacity);
  }

  /**
   * Returns a named quota.
   *
   * @param name the name used in headers: non-empty printable ASCII
   * @param rate the sustained rate
   * @param capacity the units an idle client may send at once, in {@code [1, 2^31-1]}
   * @return a named quota
   * @throws IllegalArgumentException if {@code capacity} is not in {@code [1, 2^31-1]} or the name is empty or
   *     not printable ASCII without {@code "} and {@code \}
   */
  public static Quota of(String name, Rate rate, long capacity) {
    return new Quota(name, rate, capacity);
  }

  /**
   * Returns the name used in headers, {@code "default"} unless set.
   * @return the name used in headers, {@code "default"} unless set
   */
  public String name() {
    return name;
  }

  /**
   * Returns the sustained rate.
   * @return the sustained rate
   */
  public Rate rate() {
    return rate;
  }

  /**
   * Returns the capacity: the units an idle client may send at once (see the class documentation).
   * @return the capacity: the units an idle client may send at once (see the class documentation)
   */
  public long capacity() {
    return capacity;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quota q && q.name.equals(name) && q.rate.equals(rate) && q.capacity == capacity;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rate, capacity);
  }

  @Override
  public String toString() {
    return "Quota[" + name + ": " + rate + ", capacity " + capacity + "]";
  }
}
