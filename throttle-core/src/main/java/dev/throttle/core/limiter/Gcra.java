package dev.throttle.core.limiter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The GCRA arithmetic, shared by {@link GcraLimiter} and {@link KeyedGcraLimiter}: one immutable instance per
 * limiter configuration, operating on {@link GcraCell}s.
 *
 * <p>Algorithm (GCRA virtual scheduling, ATM Forum TM 4.0; same as throttled and redis-cell, with capacity
 * {@code C} = their {@code max_burst + 1}). Per quota: emission interval {@code T}, delay variation tolerance
 * {@code DVT = C*T}, theoretical arrival time {@code TAT}. With {@code e = max(TAT - now, 0)}, a request of
 * cost {@code c <= C} fits iff {@code e + c*T <= DVT}; then {@code TAT := now + e + c*T}. Otherwise it must wait
 * {@code e + c*T - DVT}. Remaining {@code = floor((DVT - e)/T)}, reset-after {@code = e}.
 *
 * <p>Time and overflow. Every value is a {@code long}; no floating point. Clock readings are taken relative to
 * the origin (the clock reading at build time) by wrapping subtraction, so only differences matter, as with
 * {@link System#nanoTime()}. Each quota picks an internal unit of {@code 2^s} ns at build time:
 * <ul>
 *   <li>{@code s = 0} (exact nanoseconds) whenever {@code C*T <= 2^62}, which covers every practical quota
 *       (DVT up to 146 years);
 *   <li>otherwise the smallest {@code s} such that {@code C*T_u <= 2^62} with
 *       {@code T_u = ceil(T / 2^s) + 1}. The time of a call in units is {@code floor(elapsed / 2^s)}; the extra
 *       unit in {@code T_u} absorbs that flooring, so in any window of {@code w} ns at most
 *       {@code C + w/T} units are admitted (proof: a window spans fewer than {@code w/2^s + 1} unit ticks and
 *       {@code 2^s*T_u >= T + 2^s}). The slowdown is below {@code 2^-29} relative.
 * </ul>
 * With {@code DVT <= 2^62} units and {@code c*T <= DVT}, no intermediate value overflows. Durations reported
 * in nanoseconds are exact ({@code (units << s) - elapsed mod 2^s}) and saturate at {@link Long#MAX_VALUE}.
 * Readings must lie within 2^62 ns (146 years) of one another and of the origin.
 */
final class Gcra {

  static final int REFUSED = 0;
  static final int ADMITTED = 1;
  /** Returned when the cell was retired by a keyed limiter; the caller looks the key up again. */
  static final int DEAD_CELL = -1;

  /** Marks a retired single-quota cell; an admitted TAT equal to it is moved 1 unit later. */
  static final long DEAD = Long.MIN_VALUE;
  /** Marks a retired multi-quota cell. */
  static final long[] DEAD_TATS = new long[0];

  static final long MAX_DVT = 1L << 62;

  private final List<Quota> quotaList;
  private final Quota[] quotas;
  private final int count;
  private final long origin;
  private final long[] interval;
  private final long[] dvt;
  private final long[] capacity;
  private final int[] shift;
  private final long[] mask;
  final boolean single;
  // quota 0 in fields: the single-quota fast path reads no array
  private final Quota q0;
  private final long t0;
  private final long dvt0;
  private final long cap0;
  private final int shift0;
  private final long mask0;

  Gcra(List<Quota> quotas, long origin) {
    this.quotaList = List.copyOf(quotas);
    this.quotas = quotaList.toArray(new Quota[0]);
    this.count = this.quotas.length;
    this.origin = origin;
    this.interval = new long[count];
    this.dvt = new long[count];
    this.capacity = new long[count];
    this.shift = new int[count];
    this.mask = new long[count];
    for (int i = 0; i < count; i++) {
      long t = this.quotas[i].rate().emissionIntervalNanos();
      long c = this.quotas[i].capacity();
      int s = shiftFor(t, c);
      shift[i] = s;
      mask[i] = (1L << s) - 1;
      interval[i] = unitInterval(t, s);
      capacity[i] = c;
      dvt[i] = c * interval[i];
    }
    this.single = count == 1;
    this.q0 = this.quotas[0];
    this.t0 = interval[0];
    this.dvt0 = dvt[0];
    this.cap0 = capacity[0];
    this.shift0 = shift[0];
    this.mask0 = mask[0];
  }

  /** Validates a builder's quota list: at least one, unique names. */
  static List<Quota> checkQuotas(List<Quota> quotas) {
    if (quotas.isEmpty()) {
      throw new IllegalArgumentException("quota: at least one quota is required, call quota(Quota.of(rate, capacity))");
    }
    Set<String> names = new HashSet<>();
    for (Quota q : quotas) {
      if (!names.add(q.name())) {
        throw new IllegalArgumentException("quota: names must be unique (they name policies in headers), \""
            + q.name() + "\" is used twice; use Quota.of(name, rate, capacity)");
      }
    }
    return new ArrayList<>(quotas);
  }

  /** The internal unit exponent for emission interval {@code t} ns and capacity {@code c}. */
  static int shiftFor(long t, long c) {
    if (t <= MAX_DVT / c) {
      return 0;
    }
    for (int s = 1; s < 63; s++) {
      if (unitInterval(t, s) <= MAX_DVT / c) {
        return s;
      }
    }
    throw new AssertionError("no unit for T=" + t + " C=" + c);
  }

  /** {@code T} in units of {@code 2^s} ns: exact for s = 0, else {@code ceil(T / 2^s) + 1}. */
  static long unitInterval(long t, int s) {
    if (s == 0) {
      return t;
    }
    return (t >>> s) + ((t & ((1L << s) - 1)) != 0 ? 1 : 0) + 1;
  }

  List<Quota> quotas() {
    return quotaList;
  }

  long origin() {
    return origin;
  }

  /** Units of 2^s ns converted to ns, less the fraction already elapsed in the current unit; saturating. */
  private static long toNanos(long units, long frac, int s) {
    if (units <= 0) {
      return 0;
    }
    if (units > (Long.MAX_VALUE >> s)) {
      return Long.MAX_VALUE;
    }
    return (units << s) - frac;
  }

  private static long idleTat(long nowUnits, int s) {
    return nowUnits - (MAX_DVT >> s);
  }

  // ---------------------------------------------------------------- cells

  /** A cell for a limiter built at the origin with {@code initialRemaining} units available per quota. */
  GcraCell newCell(long initialRemaining) {
    GcraCell cell = new GcraCell();
    long[] tats = new long[count];
    for (int i = 0; i < count; i++) {
      tats[i] = initialRemaining >= capacity[i] ? idleTat(0, shift[i]) : (capacity[i] - initialRemaining) * interval[i];
    }
    if (single) {
      cell.tat = tats[0];
    } else {
      cell.tats = tats;
    }
    return cell;
  }

  /**
   * Initialises the cell of a new key of a keyed limiter, before it is published: idle at {@code elapsed}
   * (nanoseconds since the origin), but never earlier than the shared {@code overflow} cell, whose charges the
   * key may have received.
   */
  void initKeyCell(GcraCell cell, long elapsed, GcraCell overflow) {
    if (single) {
      long base = elapsed >> shift0;
      long o = overflow.tat;
      cell.tat = o - base > 0 ? o : base;
    } else {
      long[] o = overflow.tats;
      long[] tats = new long[count];
      for (int i = 0; i < count; i++) {
        long base = elapsed >> shift[i];
        tats[i] = o[i] - base > 0 ? o[i] : base;
      }
      cell.tats = tats;
    }
  }

  /** Makes the cell idle (full capacity) as of {@code now}. Not for keyed cells. */
  void reset(GcraCell cell, long now) {
    long el = now - origin;
    if (single) {
      cell.tat = idleTat(el >> shift0, shift0);
    } else {
      long[] tats = new long[count];
      for (int i = 0; i < count; i++) {
        tats[i] = idleTat(el >> shift[i], shift[i]);
      }
      cell.tats = tats;
    }
  }

  /** Retires the cell if it holds no information at {@code now} (every TAT {@code <= now}). */
  boolean killIfIdle(GcraCell cell, long now) {
    long el = now - origin;
    if (single) {
      long tat = cell.tat;
      return tat != DEAD && tat - (el >> shift0) <= 0 && cell.casTat(tat, DEAD);
    }
    long[] tats = cell.tats;
    if (tats == DEAD_TATS) {
      return false;
    }
    for (int i = 0; i < count; i++) {
      if (tats[i] - (el >> shift[i]) > 0) {
        return false;
      }
    }
    return cell.casTats(tats, DEAD_TATS);
  }

  /** Retires the cell whatever its state. */
  void kill(GcraCell cell) {
    if (single) {
      cell.tat = DEAD;
    } else {
      cell.tats = DEAD_TATS;
    }
  }

  // ---------------------------------------------------------------- decisions

  /**
   * All-or-nothing admission of {@code cost >= 0} units, decision only; allocation-free for one quota.
   *
   * @return {@link #ADMITTED}, {@link #REFUSED} or {@link #DEAD_CELL}
   */
  int tryConsume(GcraCell cell, long cost, long now) {
    if (!single) {
      return tryConsumeMulti(cell, cost, now);
    }
    if (cost > cap0) {
      return cell.tat == DEAD ? DEAD_CELL : REFUSED;
    }
    long nowU = (now - origin) >> shift0;
    long costT = cost * t0;
    long slack = dvt0 - costT;
    for (;;) {
      long tat = cell.tat;
      if (tat == DEAD) {
        return DEAD_CELL;
      }
      long e = tat - nowU;
      if (e < 0) {
        e = 0;
      }
      if (cost == 0) {
        return ADMITTED;
      }
      if (e > slack) {
        return REFUSED;
      }
      long next = nowU + e + costT;
      if (next == DEAD) {
        next++;
      }
      if (cell.casTat(tat, next)) {
        return ADMITTED;
      }
    }
  }

  private int tryConsumeMulti(GcraCell cell, long cost, long now) {
    long el = now - origin;
    for (;;) {
      long[] tats = cell.tats;
      if (tats == DEAD_TATS) {
        return DEAD_CELL;
      }
      if (cost == 0) {
        return ADMITTED;
      }
      for (int i = 0; i < count; i++) {
        if (cost > capacity[i]) {
          return REFUSED;
        }
        long e = Math.max(tats[i] - (el >> shift[i]), 0);
        if (e > dvt[i] - cost * interval[i]) {
          return REFUSED;
        }
      }
      long[] next = new long[count];
      for (int i = 0; i < count; i++) {
        long nowU = el >> shift[i];
        next[i] = nowU + Math.max(tats[i] - nowU, 0) + cost * interval[i];
      }
      if (cell.casTats(tats, next)) {
        return ADMITTED;
      }
    }
  }

  /**
   * Admits {@code cost} units (all or nothing), or with {@code partial} as many as fit up to {@code cost}, and
   * writes the figures into {@code into}. Allocation-free for one quota, and for several when refused.
   *
   * @return {@link #ADMITTED} (a peek of cost 0 counts as admitted), {@link #REFUSED} or {@link #DEAD_CELL}
   */
  int acquire(GcraCell cell, long cost, long now, boolean partial, MutableRateLimitResult into) {
    return single ? acquireSingle(cell, cost, now, partial, into) : acquireMulti(cell, cost, now, partial, into);
  }

  private int acquireSingle(GcraCell cell, long cost, long now, boolean partial, MutableRateLimitResult into) {
    long el = now - origin;
    long nowU = el >> shift0;
    long frac = el & mask0;
    for (;;) {
      long tat = cell.tat;
      if (tat == DEAD) {
        return DEAD_CELL;
      }
      long e = tat - nowU;
      if (e < 0) {
        e = 0;
      }
      long grant = cost;
      if (partial) {
        grant = Math.min(cost, e > dvt0 ? 0 : (dvt0 - e) / t0);
        if (grant == 0 && cost > 0) {
          return refuseSingle(Decision.LIMITED, e, 1, frac, into);
        }
      } else if (cost > cap0) {
        return refuseSingle(Decision.EXCEEDS_CAPACITY, e, cost, frac, into);
      } else if (e > dvt0 - cost * t0) {
        return refuseSingle(Decision.LIMITED, e, cost, frac, into);
      }
      long ne = e + grant * t0;
      if (grant > 0) {
        long next = nowU + ne;
        if (next == DEAD) {
          next++;
          ne++;
        }
        if (!cell.casTat(tat, next)) {
          continue;
        }
      }
      // a peek (grant 0) may find e > DVT after a stale reading: remaining 0
      into.set(Decision.ALLOWED, grant, q0, ne > dvt0 ? 0 : (dvt0 - ne) / t0, 0, toNanos(ne, frac, shift0));
      return ADMITTED;
    }
  }

  /** Fills in a refusal for one quota: the wait until {@code need} units fit (or NEVER), nothing charged. */
  private int refuseSingle(Decision decision, long e, long need, long frac, MutableRateLimitResult into) {
    long retry = decision == Decision.EXCEEDS_CAPACITY ? RateLimitResult.NEVER
        : toNanos(e - (dvt0 - need * t0), frac, shift0);
    into.set(decision, 0, q0, e > dvt0 ? 0 : (dvt0 - e) / t0, retry, toNanos(e, frac, shift0));
    return REFUSED;
  }

  private int acquireMulti(GcraCell cell, long cost, long now, boolean partial, MutableRateLimitResult into) {
    long el = now - origin;
    for (;;) {
      long[] tats = cell.tats;
      if (tats == DEAD_TATS) {
        return DEAD_CELL;
      }
      if (!partial) {
        int exceeded = -1;
        for (int i = 0; i < count; i++) {
          if (cost > capacity[i] && (exceeded < 0 || capacity[i] < capacity[exceeded])) {
            exceeded = i;
          }
        }
        if (exceeded >= 0) {
          long e = excess(tats, exceeded, el);
          into.set(Decision.EXCEEDS_CAPACITY, 0, quotas[exceeded], fit(e, exceeded), RateLimitResult.NEVER,
              toNanos(e, el & mask[exceeded], shift[exceeded]));
          return REFUSED;
        }
      }
      long minFit = Long.MAX_VALUE;
      for (int i = 0; i < count; i++) {
        minFit = Math.min(minFit, fit(excess(tats, i, el), i));
      }
      long grant = partial ? Math.min(cost, minFit) : cost;
      if (grant > minFit || (grant == 0 && cost > 0)) {
        long need = partial ? 1 : cost;
        int best = -1;
        long bestRetry = -1;
        for (int i = 0; i < count; i++) {
          long retryU = excess(tats, i, el) - (dvt[i] - need * interval[i]);
          long retry = toNanos(retryU, el & mask[i], shift[i]);
          if (retryU > 0 && retry > bestRetry) {
            best = i;
            bestRetry = retry;
          }
        }
        long e = excess(tats, best, el);
        into.set(Decision.LIMITED, 0, quotas[best], fit(e, best), bestRetry, toNanos(e, el & mask[best], shift[best]));
        return REFUSED;
      }
      if (grant == 0) {
        reportMostRestrictive(tats, el, 0, into);
        return ADMITTED;
      }
      long[] next = new long[count];
      for (int i = 0; i < count; i++) {
        next[i] = (el >> shift[i]) + excess(tats, i, el) + grant * interval[i];
      }
      if (cell.casTats(tats, next)) {
        reportMostRestrictive(next, el, grant, into);
        return ADMITTED;
      }
    }
  }

  /** {@code max(TAT - now, 0)} of quota {@code i}, in its units. */
  private long excess(long[] tats, int i, long el) {
    return Math.max(tats[i] - (el >> shift[i]), 0);
  }

  /** Units of quota {@code i} that fit now given excess {@code e}: {@code floor((DVT - e)/T)}, at least 0. */
  private long fit(long e, int i) {
    return e > dvt[i] ? 0 : (dvt[i] - e) / interval[i];
  }

  /** Admitted: report the quota with the fewest remaining units, ties to the longest reset, then the first. */
  private void reportMostRestrictive(long[] tats, long el, long granted, MutableRateLimitResult into) {
    int best = -1;
    long bestRemaining = 0;
    long bestReset = 0;
    for (int i = 0; i < count; i++) {
      long e = excess(tats, i, el);
      long remaining = fit(e, i);
      long reset = toNanos(e, el & mask[i], shift[i]);
      if (best < 0 || remaining < bestRemaining || (remaining == bestRemaining && reset > bestReset)) {
        best = i;
        bestRemaining = remaining;
        bestReset = reset;
      }
    }
    into.set(Decision.ALLOWED, granted, quotas[best], bestRemaining, 0, bestReset);
  }

  static long requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
    return value;
  }
}
