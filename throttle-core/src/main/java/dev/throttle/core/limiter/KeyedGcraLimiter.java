package dev.throttle.core.limiter;

import dev.throttle.core.time.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GCRA limiter per key (client id, API token, IP address...) with bounded memory: every key gets the same
 * quotas, with the same semantics and figures as {@link GcraLimiter}.
 *
 * <pre>{@code
 * KeyedGcraLimiter<String> limiter = KeyedGcraLimiter.<String>builder()
 *     .quota(Quota.of(Rate.perSecond(10), 20))
 *     .maxKeys(100_000)
 *     .build();
 * if (!limiter.tryConsume(apiToken, 1)) respond429();
 * }</pre>
 *
 * <p>No expiry setting: a key whose theoretical arrival time has passed holds no information and is reclaimed
 * by sweeps amortised over insertions (about 48 bytes per live key beyond the key object). At most
 * {@link Builder#maxKeys(int) maxKeys} keys are tracked; beyond that, new keys share one overflow state with the
 * same quotas, which never over-admits any key. Keys sharing a hash code cost O(log n), not O(n). The
 * derivations and measurements: {@code docs/limiter.md} and {@code docs/keyed-limiter-hardening.md}.
 *
 * <p><b>Concurrency.</b> Thread-safe; lock-free per key (compare-and-set on the key's TAT, as in
 * {@link GcraLimiter}). {@link #tryConsume(Object, long, long)} allocates nothing for a tracked key with one
 * quota. Keys must have consistent {@code equals}/{@code hashCode}.
 *
 * @param <K> the key type
 * @see GcraLimiter
 */
public final class KeyedGcraLimiter<K> implements KeyedRateLimiter<K> {

  private static final Logger log = LoggerFactory.getLogger(KeyedGcraLimiter.class);

  /** New keys between two routine sweep steps (power of two). */
  private static final int SWEEP_EVERY = 64;
  /** Entries examined by a routine sweep step: twice the insertions since the last, so sweeps keep pace. */
  private static final int SWEEP_BUDGET = 2 * SWEEP_EVERY;
  /** Entries examined when the table is full before falling back to the overflow state. */
  private static final int FULL_SWEEP_BUDGET = 256;

  private final Gcra gcra;
  private final NanoClock clock;
  private final int maxKeys;
  private final KeyTable<K> table = new KeyTable<>();
  private final GcraCell overflow;
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicInteger insertions = new AtomicInteger();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final AtomicBoolean warnedFull = new AtomicBoolean();
  /** Sweep cursor, guarded by {@link #sweeping}. */
  private int sweepSegment;
  private int sweepBucket;
  /** Position inside a tree bin where the sweep resumes (0 for chains). */
  private int sweepFrom;
  private final Sweeper sweeper = new Sweeper();
  /**
   * The latest time (ns since the origin) at which a sweep retired cells: every retired TAT was at or before
   * it, so a new cell never starts earlier (a thread holding an older clock reading cannot gain from a sweep).
   */
  private volatile long sweptAt;

  private KeyedGcraLimiter(List<Quota> quotas, NanoClock clock, int maxKeys) {
    this.clock = clock;
    this.maxKeys = maxKeys;
    this.gcra = new Gcra(quotas, clock.nanoTime());
    this.overflow = gcra.newCell(Long.MAX_VALUE);
    this.sweptAt = -Gcra.MAX_DVT; // no sweep yet: earlier than any admissible reading
  }

  /**
   * Returns a new builder.
   * @param <K> the key type
   * @return a new builder
   */
  public static <K> Builder<K> builder() {
    return new Builder<>();
  }

  /**
   * Tries to admit one unit for {@code key} at the clock's current time.
   *
   * @param key the key (host, token, ...); never null
   * @return the decision and figures for {@code key}
   * @throws NullPointerException if {@code key} is null
   */
  public RateLimitResult tryAcquire(K key) {
    return tryAcquire(key, 1, clock.nanoTime());
  }

  /**
   * Tries to admit {@code cost} units for {@code key}, all or nothing, at the clock's current time.
   *
   * @param key the key; never null
   * @param cost units to admit, {@code >= 0}
   * @return the decision and figures for {@code key}
   * @throws IllegalArgumentException if {@code cost < 0}
   * @throws NullPointerException if {@code key} is null
   */
  public RateLimitResult tryAcquire(K key, long cost) {
    return tryAcquire(key, cost, clock.nanoTime());
  }

  /**
   * Tries to admit {@code cost} units for {@code key}, all or nothing, at {@code nowNanos}; see
   * {@link GcraLimiter#tryAcquire(long, long)}.
   *
   * @param key the key; never null
   * @param cost units to admit, {@code >= 0}
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   * @return the decision and figures for {@code key}
   * @throws IllegalArgumentException if {@code cost < 0}
   * @throws NullPointerException if {@code key} is null
   */
  public RateLimitResult tryAcquire(K key, long cost, long nowNanos) {
    MutableRateLimitResult into = new MutableRateLimitResult();
    tryAcquire(key, cost, nowNanos, into);
    return into.toResult();
  }

  /**
   * Like {@link #tryAcquire(Object, long, long)} but writes the figures into a caller-owned holder.
   *
   * @param key the key; never null
   * @param cost units to admit, {@code >= 0}
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   * @param into the holder the figures are written into
   * @return true if admitted (a peek of cost 0 is admitted)
   * @throws IllegalArgumentException if {@code cost < 0}
   * @throws NullPointerException if {@code key} or {@code into} is null
   */
  public boolean tryAcquire(K key, long cost, long nowNanos, MutableRateLimitResult into) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(into, "into");
    Gcra.requireNonNegative(cost, "cost");
    return acquire(key, cost, nowNanos, false, into);
  }

  /** One decision for {@code key}: all or nothing, or (with {@code partial}) as many units as fit. */
  private boolean acquire(K key, long cost, long nowNanos, boolean partial, MutableRateLimitResult into) {
    int hash = KeyTable.hash(key);
    for (;;) {
      GcraCell cell = cellFor(key, hash, nowNanos);
      int r;
      if (cell == overflow) {
        synchronized (table.lockFor(hash)) { // see tryConsume
          r = table.getLocked(key, hash) != null ? Gcra.DEAD_CELL
              : gcra.acquire(overflow, cost, nowNanos, partial, into);
        }
      } else {
        r = gcra.acquire(cell, cost, nowNanos, partial, into);
      }
      if (r != Gcra.DEAD_CELL) {
        return r == Gcra.ADMITTED;
      }
      retire(cell);
    }
  }

  /**
   * Grants {@code min(maxUnits, units that fit now)} units for {@code key} at the clock's current time; see
   * {@link GcraLimiter#tryAcquireAtMost(long, long)}.
   *
   * @throws IllegalArgumentException if {@code maxUnits < 0}
   * @throws NullPointerException if {@code key} is null
   */
  @Override
  public RateLimitResult tryAcquireAtMost(K key, long maxUnits) {
    return tryAcquireAtMost(key, maxUnits, clock.nanoTime());
  }

  /**
   * Grants {@code min(maxUnits, units that fit now)} units for {@code key} at {@code nowNanos}.
   *
   * @throws IllegalArgumentException if {@code maxUnits < 0}
   * @throws NullPointerException if {@code key} is null
   * @param key the key; never null
   * @param maxUnits the most units to grant, {@code >= 0}
   * @param nowNanos the caller's clock reading, in nanoseconds
   * @return the decision and figures
   */
  public RateLimitResult tryAcquireAtMost(K key, long maxUnits, long nowNanos) {
    Objects.requireNonNull(key, "key");
    Gcra.requireNonNegative(maxUnits, "maxUnits");
    MutableRateLimitResult into = new MutableRateLimitResult();
    acquire(key, maxUnits, nowNanos, true, into);
    return into.toResult();
  }


  /**
   * Tries to admit {@code cost} units for {@code key} at the clock's current time; decision only.
   *
   * @param key the key; never null
   * @param cost units to admit, {@code >= 0}
   * @return true if admitted
   * @throws IllegalArgumentException if {@code cost < 0}
   * @throws NullPointerException if {@code key} is null
   */
  public boolean tryConsume(K key, long cost) {
    return tryConsume(key, cost, clock.nanoTime());
  }

  /**
   * Tries to admit {@code cost} units for {@code key}, all or nothing, at {@code nowNanos}; decision only, and
   * allocation-free for a tracked key with one quota.
   *
   * @param key the key; never null
   * @param cost units to admit, {@code >= 0}
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   * @return true if admitted
   * @throws IllegalArgumentException if {@code cost < 0}
   * @throws NullPointerException if {@code key} is null
   */
  public boolean tryConsume(K key, long cost, long nowNanos) {
    Objects.requireNonNull(key, "key");
    Gcra.requireNonNegative(cost, "cost");
    int hash = KeyTable.hash(key);
    for (;;) {
      GcraCell cell = cellFor(key, hash, nowNanos);
      int r;
      if (cell == overflow) {
        // a charge to the overflow state and the creation of the key's own cell (which starts from the overflow
        // state, under this lock) are ordered: either the cell sees this charge, or this call sees the cell and
        // uses it instead (DEAD_CELL: look again). Only untracked keys with a full table take this lock.
        synchronized (table.lockFor(hash)) {
          r = table.getLocked(key, hash) != null ? Gcra.DEAD_CELL : gcra.tryConsume(overflow, cost, nowNanos);
        }
      } else {
        r = gcra.tryConsume(cell, cost, nowNanos);
      }
      if (r != Gcra.DEAD_CELL) {
        return r == Gcra.ADMITTED;
      }
      retire(cell);
    }
  }

  /**
   * Forgets {@code key}: its next request finds full capacity. Keys charged to the overflow state (see the
   * class documentation) are not affected.
   *
   * @param key the key to forget
   * @throws NullPointerException if {@code key} is null
   */
  public void reset(K key) {
    KeyTable.Node<K> node = table.getExact(Objects.requireNonNull(key, "key"), KeyTable.hash(key));
    if (node != null) {
      gcra.kill(node);
      retire(node);
    }
  }

  /**
   * Returns the number of keys currently tracked (at most {@code maxKeys}; the overflow state not counted).
   * @return the number of keys currently tracked (at most {@code maxKeys}; the overflow state not counted)
   */
  public int size() {
    return size.get();
  }

  /** Reclaims every idle key now (at the clock's current time); normally unnecessary, sweeps are automatic. */
  public void cleanUp() {
    cleanUp(clock.nanoTime());
  }

  /**
   * Reclaims every key idle at {@code nowNanos}.
   * @param nowNanos a reading of this limiter's clock, in nanoseconds
   */
  public void cleanUp(long nowNanos) {
    sweep(nowNanos, Integer.MAX_VALUE, true);
  }

  /**
   * Returns the quotas every key gets, in configuration order (unmodifiable).
   * @return the quotas every key gets, in configuration order (unmodifiable)
   */
  public List<Quota> quotas() {
    return gcra.quotas();
  }

  /** Nodes a lookup of {@code key} examines (tests: O(log n) whatever the hash codes). */
  int probes(K key) {
    return table.probes(key, KeyTable.hash(key));
  }

  /**
   * Returns the bound on tracked keys.
   * @return the bound on tracked keys
   */
  public int maxKeys() {
    return maxKeys;
  }

  @Override
  public String toString() {
    return "KeyedGcraLimiter" + quotas() + "[keys=" + size() + "/" + maxKeys + "]";
  }

  // ---------------------------------------------------------------- table management

  private GcraCell cellFor(K key, int hash, long now) {
    GcraCell cell = table.get(key, hash);
    return cell != null ? cell : insert(key, hash, now);
  }

  /** Creates the cell of a new key, or returns the overflow cell when the table is full. */
  private GcraCell insert(K key, int hash, long now) {
    for (;;) {
      int n = size.get();
      if (n >= maxKeys) {
        sweep(now, FULL_SWEEP_BUDGET, false);
        if (size.get() >= maxKeys) {
          if (warnedFull.compareAndSet(false, true)) {
            log.warn("{} is full ({} keys, none idle): further new keys share one overflow limit", this, maxKeys);
          }
          return overflow;
        }
        continue;
      }
      if (size.compareAndSet(n, n + 1)) {
        break;
      }
    }
    long el = now - gcra.origin();
    long swept = sweptAt;
    long baseline = swept - el > 0 ? swept : el;
    KeyTable.Node<K> fresh = new KeyTable.Node<>(key, hash);
    // initialised under the segment lock, which every overflow charge of this key holds: the cell sees them all
    KeyTable.Node<K> node = table.putIfAbsent(fresh, n -> gcra.initKeyCell(n, baseline, overflow));
    if (node != fresh) {
      size.decrementAndGet();
      return node;
    }
    if ((insertions.incrementAndGet() & (SWEEP_EVERY - 1)) == 0) {
      sweep(now, SWEEP_BUDGET, false);
    }
    return fresh;
  }

  @SuppressWarnings("unchecked")
  private void retire(GcraCell deadCell) {
    if (deadCell != overflow && table.remove((KeyTable.Node<K>) deadCell)) {
      size.decrementAndGet();
    }
  }

  /** The sweep's visitor (one sweeper at a time, see {@link #sweeping}). */
  private final class Sweeper implements Consumer<KeyTable.Node<K>> {
    long now;
    long examined;
    int retired;

    @Override
    public void accept(KeyTable.Node<K> n) {
      examined++;
      if (gcra.killIfIdle(n, now)) {
        retire(n);
        retired++;
      }
    }
  }

  /**
   * Examines at least {@code budget} entries (whole chains, at most {@code budget} of a tree bin), continuing
   * where the last sweep stopped, at most one full round, and retires idle ones. One sweeper at a time; others
   * skip (unless {@code wait}).
   */
  private void sweep(long now, int budget, boolean wait) {
    while (!sweeping.compareAndSet(false, true)) {
      if (!wait) {
        return;
      }
      Thread.onSpinWait();
    }
    try {
      long el = now - gcra.origin();
      if (el - sweptAt > 0) {
        sweptAt = el; // published before any cell retired by this sweep disappears from the table
      }
      long totalBuckets = 0;
      for (int s = 0; s < table.segments(); s++) {
        totalBuckets += table.buckets(s);
      }
      int segment = sweepSegment;
      int bucket = sweepBucket;
      int from = sweepFrom;
      sweeper.now = now;
      sweeper.examined = 0;
      if (from > 0) {
        totalBuckets++; // started inside a tree bin: a full round ends by revisiting its beginning
      }
      for (long visited = 0; visited < totalBuckets && sweeper.examined < budget; ) {
        if (bucket >= table.buckets(segment)) {
          bucket = 0;
          from = 0;
          segment = (segment + 1) % table.segments();
        }
        sweeper.retired = 0;
        int next = table.visit(segment, bucket, from, (int) (budget - sweeper.examined), sweeper);
        if (next < 0) {
          bucket++;
          from = 0;
          visited++;
        } else {
          from = Math.max(0, next - sweeper.retired); // retired nodes stood before the resume position
        }
      }
      sweepSegment = segment;
      sweepBucket = bucket;
      sweepFrom = from;
    } finally {
      sweeping.set(false);
    }
  }

  /**
   * Configures a {@link KeyedGcraLimiter}. Setters check their argument at once; {@link #build()} checks the
   * whole and never changes the builder. Not thread-safe.
   *
   * @param <K> the key type
   */
  public static final class Builder<K> {

    /** Default bound on tracked keys. */
    public static final int DEFAULT_MAX_KEYS = 1_000_000;

    private final List<Quota> quotas = new ArrayList<>();
    private NanoClock clock = NanoClock.system();
    private int maxKeys = DEFAULT_MAX_KEYS;

    private Builder() {}

    /**
     * Adds a quota every key gets; repeat for several quotas, decided atomically. Names must be unique.
     *
     * @param quota a quota every key is charged against
     * @return this builder
     * @throws NullPointerException if {@code quota} is null
     */
    public Builder<K> quota(Quota quota) {
      quotas.add(Objects.requireNonNull(quota, "quota"));
      return this;
    }

    /**
     * Sets the clock (default {@link NanoClock#system()}).
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder<K> clock(NanoClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the most keys tracked at once (default {@value #DEFAULT_MAX_KEYS}); see the class documentation for
     * what happens when full.
     *
     * @param maxKeys the most keys tracked at once, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxKeys < 1}
     */
    public Builder<K> maxKeys(int maxKeys) {
      if (maxKeys < 1) {
        throw new IllegalArgumentException("maxKeys must be >= 1, was " + maxKeys);
      }
      this.maxKeys = maxKeys;
      return this;
    }

    /**
     * Builds the limiter.
     *
     * @return a new limiter
     * @throws IllegalArgumentException if no quota was added or two quotas share a name
     */
    public KeyedGcraLimiter<K> build() {
      return new KeyedGcraLimiter<>(Gcra.checkQuotas(quotas), clock, maxKeys);
    }
  }
}
