package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.time.DurationChecks;

import java.time.Duration;

/**
 * The library default ({@link Strategies#defaultStrategy()}): proactive pacing by rate discovery. All threads of a
 * client share one schedule, paced by a rate the server's figures imply or, where they imply none, by a rate λ
 * discovered from the server's pushback. Nothing about the server is assumed: λ starts at 1 per second and doubles
 * per success until something pushes back.
 *
 * <p>Rules, each a method: <em>floor</em> (never before a 429's Retry-After or a response's {@code r = 0; t}; a
 * 429 moves the schedule to a random phase after it); <em>spend</em> (before a window's end, {@code r} is spent by
 * the earliest instant the window may end, and this alone paces; a bucket holding more than it refills over 60 s
 * is spent unpaced); <em>sharing</em> (within a window, the drop of {@code r} over the client's own sends counts
 * the senders sharing it); <em>increase</em> (a success at or above the bank adds 1/256 of the policy rate
 * {@code q / w}, or of the delivery rate without a policy; never above {@code q / w}; the doubling only while no
 * one else draws on the quota; without {@code r}, 256 calm successes restart the doubling); <em>decrease</em> (a 429 multiplies λ by 0.7, a success below the bank by up to
 * 0.7 in proportion to the shortfall at most once per interval (the first pushback of all at most to the start rule's
 * rate), never below that share of the delivery rate nor
 * below one unit per spend horizon (only 429s go lower), at most once per attempt generation; before anything was
 * delivered λ is cut per collision, by 0.7 when the 429 said when to retry, else by half, from one unit per
 * Retry-After); <em>bank</em> ({@code min(8, q / 4)} units). Derivation,
 * constants and measurements: {@code docs/strategy.md}.
 *
 * <p>The schedule is a virtual clock that ticks once per interval: {@link ThrottleStrategy.Call#delayNanos}
 * reserves a tick, and both it and {@link ThrottleStrategy.Call#recheckNanos} answer the wait to that tick's
 * instant under the interval and floor in force when asked, so a new interval or floor moves every waiting call
 * at once and keeps their order. Times are nanoseconds from the caller's clock; intervals are capped at 24 h only.
 *
 * <p>Thread-safe: one lock guards the rules and the schedule (a few field updates per call, never held while
 * waiting); each {@link ThrottleStrategy.Call} is used by one thread at a time.
 */
public final class DiscoveryPacingStrategy implements ThrottleStrategy {

  /** Multiplicative decrease of the discovered rate on a 429: 0.7. */
  public static final double DEFAULT_DECREASE = 0.7;
  /** Additive increase per success, as a share of the reference rate: 1/256. */
  public static final double DEFAULT_INCREASE = 1.0 / 256;
  /** Horizon of the spend rule: a refilling bucket holding more than it refills over 60 s is spent unpaced. */
  public static final Duration DEFAULT_SPEND_HORIZON = Duration.ofSeconds(60);
  /** Jitter added to each interval: up to 5 %. */
  public static final double DEFAULT_JITTER = 0.05;

  private static final double NANOS_PER_SECOND = 1e9;
  private static final long MAX_INTERVAL_NANOS = RateLimitHeaders.MAX_DELAY_NANOS;
  /** A reset {@code t} counts as a window's end when it is this much later than one unit's emission interval. */
  private static final long RESET_ROUNDING_NANOS = 1_000_000_000L;
  /** The first λ: 1 per second, doubled per success until something pushes back (a start, never a cap). */
  private static final long INITIAL_INTERVAL_NANOS = 1_000_000_000L;
  /** Units kept banked at most: 8. */
  private static final long BANK = 8;
  /** The bank is at most this share of the quota: 1/4. */
  private static final long BANK_SHARE = 4;
  /** Successes the delivery rate is measured over: 8 (±35 % noise on Poisson arrivals). */
  private static final long DELIVERY_SAMPLE = 8;
  /** Growth per success while probing (slow start): 2. */
  private static final double PROBE_FACTOR = 2;
  /** Spend rule sentinel: the bank is larger than the horizon refills, send unpaced. */
  private static final long UNPACED = -1;

  private final double decrease;
  private final double increase;
  private final long horizonNanos;
  private final double jitter;
  private final JitterSource random;

  /** Guards every field below: the rules and the schedule change together, a few times per response. */
  private final Object lock = new Object();
  /** λ as an interval in nanoseconds: 1 s at first, then probed upward. */
  private long lambdaNanos = INITIAL_INTERVAL_NANOS;
  /** When λ was last decreased; attempts sent before it were already answered by that decrease. */
  private long lastDecreaseNanos;
  /** True once λ was decreased. */
  private boolean everDecreased;
  /** Arrival instants of the last successes, a ring indexed by {@link #delivered}. */
  private final long[] recentSuccesses = new long[(int) DELIVERY_SAMPLE];
  /** Successes so far. */
  private long delivered;
  /** The delivery rate at the last pushback, per second: the reference without a policy. */
  private double referenceRate;
  /** The longest reset seen: the window when the server sends a limit and a reset but no window. */
  private long longestResetNanos;
  /** The spend rule's interval from the latest response: 0 none, {@link #UNPACED}, or an interval. */
  private long spendNanos;
  /** Senders sharing the current window, from the sharing rule; 1 outside windows. */
  private double senders = 1;
  /** {@code r} of the previous response that carried it, -1 before the first. */
  private long prevRemaining = -1;
  /** The reset instant of that response. */
  private long prevResetAt;
  /** Attempts this client sent since that response. */
  private long sendsSincePrev;
  /** True if {@code r} fell by more than this client's own sends between its last two responses. */
  private boolean othersDrew;
  /** True until the first pushback: λ doubles per success (multiplicative probing). */
  private boolean probing = true;
  /** Calls started and not yet answered: the client's threads. */
  private long open;
  /** True once the start rule was applied. */
  private boolean contended;
  /** True once any success arrived. */
  private boolean everDelivered;
  /** Successes in a row at or above the bank since the last decrease: after 1/α, probing resumes. */
  private long calm;
  /** True once the first call started, so lastDecreaseNanos holds the start instant. */
  private boolean started;

  // The schedule: a virtual clock that ticks once per interval, v(t) = v0 + max(0, t - t0) / interval. A call
  // reserves the tick max(v(now), last + 1); its send time is t0 + (tick - v0) × interval, recomputed whenever it
  // asks, so a new interval or a new floor moves every waiting call at once and keeps their order.
  /** The interval the virtual clock ticks at; 0 = not paced. */
  private long tickNanos;
  /** The anchor: real instant {@code t0} where the virtual clock reads {@link #v0}. */
  private long t0;
  private double v0;
  /** The latest tick reserved. */
  private double lastTick = -1;
  /** True once a floor is known. */
  private boolean hasFloor;
  /** Never send before this instant: the latest Retry-After or {@code r = 0; t} learned. */
  private long floorAt;

  private DiscoveryPacingStrategy(Builder b) {
    this.decrease = b.decrease;
    this.increase = b.increase;
    this.horizonNanos = b.horizonNanos;
    this.jitter = b.jitter;
    this.random = b.jitterSource();
  }

  /**
   * Returns a builder with the documented defaults.
   * @return a builder with the documented defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a strategy with the defaults and the given jitter seed.
   * @param seed the seed of the random source
   * @return a strategy with the defaults and the given jitter seed
   */
  public static DiscoveryPacingStrategy withSeed(long seed) {
    return builder().seed(seed).build();
  }

  @Override
  public Call newCall(long nowNanos) {
    synchronized (lock) {
      if (!started) {
        lastDecreaseNanos = nowNanos;
        t0 = nowNanos;
        started = true;
      }
      open++;
    }
    return new PacedCall();
  }

  /**
   * Returns the interval between attempts in force now, in nanoseconds (before jitter): the spend rule's before a
   * window's end, else λ's; 0 while not paced.
   * @return the interval between attempts in force now, in nanoseconds; 0 while not paced
   */
  public long intervalNanos() {
    synchronized (lock) {
      return pace();
    }
  }

  /**
   * Returns the discovered rate λ in requests per second.
   * @return the discovered rate λ in requests per second
   */
  public double discoveredRatePerSecond() {
    synchronized (lock) {
      return lambdaNanos == 0 ? 0 : NANOS_PER_SECOND / lambdaNanos;
    }
  }

  @Override
  public String toString() {
    return "DiscoveryPacingStrategy[interval=" + Duration.ofNanos(intervalNanos()) + "]";
  }

  // ---- the rules ----

  /**
   * The interval in force: before a window's end the spend rule's alone (the window's own pace); otherwise λ's,
   * or 0 (unpaced) when the spend rule says more is banked than the horizon refills.
   */
  private long pace() {
    long spend = spendNanos;
    if (spend == UNPACED) {
      return 0;
    }
    return spend > 0 ? spend : lambdaNanos; // a spend interval exists only before a window's end
  }

  /**
   * Spend rule: the interval the response's figures imply, 0 if they imply none, {@link #UNPACED} if more is banked
   * than the server refills over the horizon ({@code r > bank + u × horizon}). Before a window's end (see
   * {@link #windowLike}) this client's share {@code r / senders} is spent by the earliest instant the window may
   * end, {@code t − 1 s} (header seconds are rounded up), the rest at once in the last second. A bucket that refills
   * continuously and holds less than the horizon refills implies no pace: λ paces it (a faster pace for whichever
   * client happens to read a high {@code r} made shares unequal).
   */
  long spendInterval(RateLimitHeaders h) {
    if (!h.hasRemaining() || h.remaining() <= 0) {
      return 0;
    }
    long r = h.remaining();
    double u = serverRate(h);
    if (u > 0 && r > bank(h) + u * (horizonNanos / NANOS_PER_SECOND)) {
      return UNPACED;
    }
    if (windowLike(h)) {
      // header seconds are rounded up: spend by the earliest instant the window may end, the rest at once
      long left = h.resetNanos() - RESET_ROUNDING_NANOS;
      return left <= 0 ? UNPACED : clampInterval(left * senders / r);
    }
    return 0; // a refilling bucket within the horizon: λ paces (a faster pace for whoever reads a high r is unfair)
  }

  /**
   * Sharing rule: within one window, {@code r} falls between two responses by this client's own sends plus everyone
   * else's; that drop over the own sends is the number of senders sharing the window (at least 1), so each spends
   * its share {@code r / senders} by the window's end and together they spend the window by its reset.
   */
  private void countSenders(RateLimitHeaders h, long now) {
    long r = h.remaining();
    long resetAt = h.hasReset() ? now + h.resetNanos() : 0;
    // others drew on the quota since the previous response: r fell by more than this client's own sends
    othersDrew = prevRemaining >= 0 && prevRemaining - r > sendsSincePrev;
    if (!windowLike(h)) {
      senders = 1;
    } else if (prevRemaining >= 0 && r <= prevRemaining && sendsSincePrev > 0
        && Math.abs(resetAt - prevResetAt) <= RESET_ROUNDING_NANOS) {
      senders = Math.max(1, (double) (prevRemaining - r) / sendsSincePrev);
    }
    prevRemaining = r;
    prevResetAt = resetAt;
    sendsSincePrev = 0;
  }

  /**
   * The server's long-run rate in units per second: {@code q / w}, with the window read from the longest reset seen
   * when the server sends a limit and a reset but no window; 0 if unknown.
   */
  double serverRate(RateLimitHeaders h) {
    if (!h.hasLimit() || h.limit() <= 0) {
      return 0;
    }
    long window = h.hasWindow() && h.windowNanos() > 0 ? h.windowNanos() : longestResetNanos;
    return window > 0 ? h.limit() * NANOS_PER_SECOND / window : 0;
  }

  /** Remembers the longest reset: a fixed window's reset right after it starts is the window. */
  private void learnWindow(RateLimitHeaders h) {
    if (h.hasReset() && !h.hasWindow()) {
      longestResetNanos = Math.max(longestResetNanos, h.resetNanos());
    }
  }

  /**
   * The delivery rate: the last {@value #DELIVERY_SAMPLE} successes over the time since the oldest of them arrived
   * (BBR's estimate of what the server gives this client), per second; 0 until that many arrived.
   */
  private double deliveryRate(long now) {
    if (delivered < DELIVERY_SAMPLE) {
      return 0;
    }
    long oldest = recentSuccesses[(int) (delivered % DELIVERY_SAMPLE)];
    return now - oldest > 0 ? DELIVERY_SAMPLE * NANOS_PER_SECOND / (now - oldest) : 0;
  }

  /** Records a success for the delivery rate. */
  private void recordDelivery(long now) {
    recentSuccesses[(int) (delivered++ % DELIVERY_SAMPLE)] = now;
  }

  /**
   * Bank rule: the units the client keeps in the server's bucket, {@code min(8, q / 4)}; a response saying fewer
   * remain is the server's edge. Eight absorb the jitter of a few dozen clients' arrivals; a quarter keeps small
   * buckets (q below 32) usable, and q below 4 has no bank at all (only 429s push back).
   */
  private static long bank(RateLimitHeaders h) {
    return h.hasLimit() && h.limit() > 0 ? Math.min(BANK, h.limit() / BANK_SHARE) : BANK;
  }

  /**
   * Window rule: true if the response's reset is a window's end, later than one unit's emission interval
   * {@code w / q} plus the 1 s rounding of header seconds. Spending such a window down to 0 by its reset is the
   * ideal, not congestion.
   */
  private boolean windowLike(RateLimitHeaders h) {
    double u = serverRate(h);
    return h.hasReset() && u > 0 && h.resetNanos() > NANOS_PER_SECOND / u + RESET_ROUNDING_NANOS;
  }

  /**
   * Start rule, for the first pushback when nothing has been delivered: one unit per Retry-After (or reset), and no
   * faster than the server refills the bank, {@code u / bank}. Returns the rate per second, 0 if nothing is known.
   */
  private double startRate(RateLimitHeaders h) {
    long hint = h.hasRetryAfter() ? h.retryAfterNanos() : h.hasReset() ? h.resetNanos() : 0;
    if (hint <= 0) {
      return 0; // nothing known: λ is cut from where it is
    }
    double rate = NANOS_PER_SECOND / hint;
    double u = serverRate(h);
    // per thread of this client: the calls open now want to send too (a local count, not a guess of clients)
    double threads = Math.max(1, open);
    return threads * (u > 0 ? Math.min(rate, u / Math.max(1, bank(h))) : rate);
  }

  /**
   * Decrease rule. A 429 (or 503 with Retry-After) multiplies λ by β = 0.7, never above the delivery rate nor below
   * β times it (BBR: successes actually arriving are the server's rate for this client); a success below the bank
   * multiplies it by {@code 1 − (1 − β) × shortfall / bank}, gently near the bank, by β when empty. Until anything
   * was delivered the client is one of an unknown number contending, and the rate is cut per collision instead
   * (exponential backoff) from the start rule's rate: by β after a hint (Retry-After or reset), else by half. An
   * attempt sent before the last decrease was answered by it. A success ({@code served}) never takes λ below one unit
   * per spend horizon (60 s): peers that keep the bank low while this client is still served would otherwise shrink
   * λ per response without end; only 429s go below. Returns true if λ changed.
   */
  private boolean decrease(RateLimitHeaders h, long sentAt, long now, double shortfall, boolean served) {
    if (sentAt - lastDecreaseNanos < 0) {
      return false;
    }
    double d = deliveryRate(now);
    double rate = NANOS_PER_SECOND / lambdaNanos;
    double factor = 1 - (1 - decrease) * shortfall;
    double target = rate * factor;
    if (!everDelivered) {
      // nothing delivered yet: one of an unknown number contending, halve (from the start rule's rate at first)
      double start = startRate(h);
      // with a hint (Retry-After or reset) the cut is β; with none, nothing bounds the number of contenders: the
      // cut undoes one probe doubling (binary exponential backoff)
      boolean hinted = h.hasRetryAfter() || h.hasReset();
      target = (start > 0 && !contended ? Math.min(rate, start) : rate) * (hinted ? decrease : 1 / PROBE_FACTOR);
      contended = true;
    } else if (!contended && startRate(h) > 0) {
      // the first pushback of a client already served (it joined a busy quota): the start rule's rate, cut by β
      target = Math.min(target, startRate(h) * decrease);
      contended = true;
    } else if (d > 0) {
      // hold near the delivery rate: never above it, never below factor × min(D, λ)
      target = Math.max(Math.min(target, d), factor * Math.min(d, rate));
    }
    if (!(target > 0)) {
      return false;
    }
    if (served) {
      // a client being served is never slowed below one unit per horizon by a bank others keep low (only 429s do)
      target = Math.max(target, Math.min(rate, NANOS_PER_SECOND / horizonNanos));
    }
    lambdaNanos = clampInterval(NANOS_PER_SECOND / target);
    lastDecreaseNanos = now;
    everDecreased = true;
    calm = 0;
    if (d > 0) {
      referenceRate = d;
    }
    if (everDelivered) {
      probing = false;
    }
    return true;
  }

  /**
   * Increase rule (a success at or above the bank). While probing λ doubles per success (slow start); otherwise it
   * grows by α = 1/256 of the reference rate, the policy rate {@code q / w} if sent, else the delivery rate at the
   * last pushback: the same step for every client, so shares converge (Chiu and Jain). Without {@code r}, after 1/α
   * successes in a row without pushback the client probes again, so a limit that rose is found within about
   * 1/α + log2(rise) responses.
   */
  private void increase(RateLimitHeaders h) {
    if (++calm >= Math.round(1 / increase) && !h.hasRemaining()) {
      probing = true; // without r only probing finds a limit that rose; with r the spend rule shows spare quota
    }
    double u = serverRate(h);
    double rate = NANOS_PER_SECOND / lambdaNanos;
    // the step: α of the policy rate, else of the delivery rate at the last pushback, else of λ itself
    double step = increase * (u > 0 ? u : referenceRate > 0 ? referenceRate : rate);
    // slow start doubles only while this client draws alone on the quota; with others drawing, the step is additive
    double next = probing && !othersDrew ? PROBE_FACTOR * rate : rate + step;
    if (u == 0 && h.hasRemaining() && !probing) {
      // no policy (RateLimit-Remaining alone): a bank above its size grows λ in proportion, α per bank's worth
      long k = Math.max(1, bank(h));
      next *= 1 + increase * Math.max(0, h.remaining() - k) / k;
    }
    if (u > 0 && next > u) {
      next = Math.max(rate, u); // policy cap: no client needs more than the server's whole rate
    }
    lambdaNanos = clampInterval(NANOS_PER_SECOND / next);
  }

  /**
   * Floor rule: never send before the instant a 429's Retry-After or a response's {@code r = 0; t} names; a 429
   * also moves the schedule to a random phase of one interval after it, so clients told the same instant spread out.
   */
  private void floor(int status, RateLimitHeaders h, long now) {
    boolean retry = Retries.shouldRetry(status, h);
    boolean exhausted = h.hasRemaining() && h.remaining() == 0 && h.hasReset();
    if (!retry && !exhausted) {
      return;
    }
    long at = now;
    if (retry && h.hasRetryAfter()) {
      at = now + h.retryAfterNanos();
    }
    if (exhausted && h.resetNanos() > at - now) {
      at = now + h.resetNanos();
    }
    if (!hasFloor || at - floorAt > 0) {
      floorAt = at;
      hasFloor = true;
    }
    if (retry) {
      // a window's end: spread over one unit's time of the new window; else over one interval
      long interval = windowLike(h) ? (long) (NANOS_PER_SECOND / serverRate(h)) : pace();
      anchor(now, Math.max(at, floorAt) + (long) (interval * random.nextDouble()));
    }
  }

  /** Applies the rules to one response. */
  private void update(int status, RateLimitHeaders h, long sentAt, long now) {
    learnWindow(h);
    if (h.hasRemaining()) {
      countSenders(h, now);
      spendNanos = spendInterval(h);
    }
    if (Retries.shouldRetry(status, h)) {
      if (!windowLike(h)) { // a window spent before its end is not congestion: its end is the floor
        decrease(h, sentAt, now, 1, false);
      }
    } else if (status < 400) {
      everDelivered = true;
      recordDelivery(now);
      long k = bank(h);
      if (!h.hasRemaining() || h.remaining() >= k) {
        increase(h);
      } else {
        calm = 0;
        if (!windowLike(h)) { // a window spent towards its reset is the ideal: hold
          // a gentle decrease at most once per interval: the threads of one client answer one state of the bank
          if (!everDecreased || now - lastDecreaseNanos >= lambdaNanos) {
            decrease(h, sentAt, now, (double) (k - h.remaining()) / k, true);
          }
        }
      }
    }
    anchor(now, now);
    floor(status, h, now);
  }

  // ---- the schedule ----

  /** The virtual clock's reading at {@code now}; only while paced. */
  private double tickAt(long now) {
    return v0 + Math.max(0, now - t0) / (double) tickNanos;
  }

  /**
   * Re-anchors the virtual clock at the interval now in force: the tick reached at {@code now} will be read at
   * {@code from} (later than now when the schedule waits for a floor), so waiting calls move to the new spacing.
   */
  private void anchor(long now, long from) {
    long interval = pace();
    double v = tickNanos > 0 ? tickAt(now) : lastTick + 1;
    long start = Math.max(from, t0 - now > 0 ? t0 : now);
    if (interval == tickNanos && start == t0) {
      return;
    }
    v0 = v;
    t0 = start;
    tickNanos = interval;
  }

  /** Reserves the next tick: {@code max(v(now), last + 1)}. */
  private double reserve(long now) {
    double v = tickNanos > 0 ? Math.max(tickAt(now), lastTick + 1) : lastTick + 1;
    lastTick = v;
    return v;
  }

  /** The wait before the call holding {@code tick} may send, never before the floor. */
  private long waitFor(double tick, double jitterShare, long now) {
    long at = now;
    if (tickNanos > 0) {
      double offset = (tick - v0 + jitterShare) * tickNanos;
      at = offset <= 0 ? t0 : t0 + (long) Math.min(offset, MAX_INTERVAL_NANOS);
    } else if (t0 - now > 0) {
      at = t0;
    }
    if (hasFloor && floorAt - at > 0) {
      at = floorAt;
    }
    // no wait beyond 24 h unless the server's own floor is later (a phase or tick on top of a long floor is not)
    long cap = Math.max(MAX_INTERVAL_NANOS, hasFloor ? floorAt - now : 0);
    return Math.max(0, Math.min(at - now, cap));
  }

  private static long clampInterval(double nanos) {
    if (!(nanos >= 1)) {
      return 1;
    }
    return nanos >= MAX_INTERVAL_NANOS ? MAX_INTERVAL_NANOS : (long) nanos;
  }

  private final class PacedCall implements Call {
    private double tick;
    private double jitterShare;
    private boolean reserved;
    private long sentAt;

    @Override
    public long delayNanos(long nowNanos) {
      synchronized (lock) {
        if (!reserved) {
          tick = reserve(nowNanos);
          jitterShare = jitter == 0 ? 0 : jitter * random.nextDouble();
          reserved = true;
        }
        return check(nowNanos);
      }
    }

    @Override
    public long recheckNanos(long nowNanos) {
      synchronized (lock) {
        return reserved ? check(nowNanos) : 0;
      }
    }

    private long check(long now) {
      long wait = waitFor(tick, jitterShare, now);
      if (wait == 0 && sentAt != now) {
        sentAt = now;
        sendsSincePrev++;
      }
      return wait;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      boolean retry = Retries.shouldRetry(status, headers);
      synchronized (lock) {
        reserved = false;
        update(status, headers, sentAt, nowNanos);
        if (!retry) {
          open--;
        }
      }
      return retry;
    }
  }

  /** Builds a {@link DiscoveryPacingStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder extends SeededBuilder<Builder> {
    private double decrease = DEFAULT_DECREASE;
    private double increase = DEFAULT_INCREASE;
    private long horizonNanos = DEFAULT_SPEND_HORIZON.toNanos();
    private double jitter = DEFAULT_JITTER;

    private Builder() {}

    /**
     * Sets the factor applied to the discovered rate on a 429, in {@code (0, 1)}; default 0.7.
     *
     * @throws IllegalArgumentException if outside {@code (0, 1)}
     * @param factor the decrease factor, in {@code (0, 1)}
     * @return this builder
     */
    public Builder decrease(double factor) {
      this.decrease = Retries.betweenZeroAndOne(factor, "decrease");
      return this;
    }

    /**
     * Sets the additive increase per success as a share of the reference rate, in {@code (0, 1]}; default 1/256.
     *
     * @throws IllegalArgumentException if outside {@code (0, 1]}
     * @param share the additive increase as a share of the reference rate, in {@code (0, 1]}
     * @return this builder
     */
    public Builder increase(double share) {
      this.increase = Retries.aboveZeroUpToOne(share, "increase");
      return this;
    }

    /**
     * Sets the spend rule's horizon: a refilling bucket holding more than the server refills over it (plus the bank)
     * is spent unpaced; default 60 s.
     *
     * @throws NullPointerException if {@code horizon} is null
     * @throws IllegalArgumentException if shorter than 1 s or longer than 24 h
     * @param horizon the spend horizon, 1 s to 24 h
     * @return this builder
     */
    public Builder spendHorizon(Duration horizon) {
      long n = DurationChecks.positiveNanos(horizon, "spendHorizon");
      if (n < 1_000_000_000L || n > MAX_INTERVAL_NANOS) {
        throw new IllegalArgumentException("spendHorizon must be between 1 s and 24 h: " + horizon);
      }
      this.horizonNanos = n;
      return this;
    }

    /**
     * Sets the jitter added to each interval, {@code interval × U[0, jitter)}, in {@code [0, 1]}; default 0.05.
     *
     * @throws IllegalArgumentException if outside {@code [0, 1]}
     * @param jitter the jitter share, in {@code [0, 1]}
     * @return this builder
     */
    public Builder jitter(double jitter) {
      this.jitter = Retries.zeroToOne(jitter, "jitter");
      return this;
    }

    /**
     * Returns a new strategy with these settings.
     * @return a new strategy with these settings
     */
    public DiscoveryPacingStrategy build() {
      return new DiscoveryPacingStrategy(this);
    }
  }

  /**
   * Returns the interval in force now, {@link #intervalNanos()}: 0 while the spend rule says attempts go unpaced.
   * Reads an atomic and a volatile field: no side effect, lock-free.
   *
   * @return the current pacing interval in nanoseconds, {@code >= 0}
   */
  @Override
  public long pacingIntervalNanos() {
    return intervalNanos();
  }
}
