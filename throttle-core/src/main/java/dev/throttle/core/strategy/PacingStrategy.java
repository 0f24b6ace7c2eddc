package dev.throttle.core.strategy;

import dev.throttle.core.time.DurationChecks;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.Rate;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Proactive pacing from the server's rate-limit headers, the first library default (0.1 development; the default is
 * now {@link DiscoveryPacingStrategy}, which replaced it after field tests against real servers: without
 * rate-limit headers this strategy assumes 1 request per second; see {@code docs/strategy.md}). Kept to measure
 * against (simulator name {@code pacing}). Instead of sending until a 429
 * and backing off, each client spaces its requests by a target interval that it steers from the
 * {@code remaining} count {@code r} (and the reset {@code t}, policy {@code q}/{@code w}, Retry-After) carried
 * by every response, so that a well-behaved client rarely sees a 429.
 *
 * <p><b>Algorithm.</b> One shared target rate λ (stored as an interval in an {@link AtomicLong} of
 * nanoseconds) and a shared schedule (the start of the instance's latest attempt): every attempt takes the next
 * slot, {@code max(now, lastStart + interval × (1 + U[0, 0.05)))}, so all threads of a client together send at
 * λ. After each response carrying {@code r}, with the server rate {@code u = q / w} (1 per second if no policy
 * is sent):
 * <ul>
 *   <li>first information: λ = c × u / 14, where c (at most 16) is the number of this instance's calls in
 *       flight before anything was known, i.e. its threads (the start assumes no client count; up to 14
 *       single-threaded clients start without overshooting, more converge by the decreases below), and the
 *       schedule restarts at a random phase of the interval so that clients started together de-synchronise.
 *       The phase counts from the Retry-After RA when the response carries one (clients that all start on a
 *       drained bucket are all told the same Retry-After; phases counted from now would all be pushed onto it
 *       and collide there): the first slot falls in {@code [RA, max(RA, interval))} from now;
 *   <li>429: λ ×= 0.7 (multiplicative decrease). When the interval is long, more than 40 server emission
 *       intervals ({@code u × interval > 40}: the client shares the quota with some 40 others or more, 32 s
 *       for Heroku's 0.8 s), a 429 within three intervals (of the interval in force) of the last decrease leaves
 *       λ alone: a client that takes a run of 429s while many start together (its retries come a Retry-After
 *       apart, far closer than its interval) would otherwise compound 0.7 per 429 and wait several times its
 *       fair share for its next slot. Short intervals are unaffected, so a 429 still answers at once where
 *       few clients share the quota;
 *   <li>{@code r ≤ 5} (the bank target): λ ×= 0.9 at {@code r = 0} rising linearly to 0.95 at {@code r = 5}:
 *       the shared bank is nearly empty, everyone slows before anyone gets a 429;
 *   <li>{@code r > 5}: λ += 0.002 × u (additive increase per response);
 *   <li>{@code r > B = 5 + floor(u × 60 s)}, the bank target plus what the server refills over the spend
 *       horizon (80 for Heroku's 4500/h, 5 for a server that refills less than a unit a minute, never reached at
 *       10/s with a capacity of 100): more is banked than the server would give back within the horizon anyway, so
 *       attempts are not paced at all until a response says less remains, and λ is left alone. A refilled
 *       bucket is spent as fast as clients can send; one that hardly refills is drained at full speed down to
 *       the target instead of trickling its last units out over the horizon. The overshoot is at most one
 *       attempt per thread in flight; if it reaches past the target, the 429s carry Retry-After.
 * </ul>
 * On top of λ, a bank term: while the latest response says {@code r > 10} (twice the target), the client sends
 * at least at {@code (min(r, B) − 10) / 60 s}, spreading quota banked above twice the target over the next
 * minute. This is a proportional controller on the shared bank: N clients hold it near
 * {@code 10 + u × 60 s / N} (17.5 for Heroku's 10 clients), each at the same share. When {@code B ≤ 10} (the
 * server refills less than 5 units a minute) there is no such band: the bank is spent at full speed down to
 * {@code B}, then λ alone paces. ({@code t} is not used as the horizon: servers disagree on whether it is the
 * time to the next unit or to a full or window reset; the Retry-After floor of the default strategy uses it.)
 * <b>Small quotas.</b> When the policy is known, the bank target is at most {@code floor(q / 10)} (0 below
 * q = 10), and for such quotas (q below ten times the target) the spend horizon is at most the window {@code w}
 * (the time to refill all of q), so a lone client on 5 per second with a capacity of 5 spends its bucket at
 * {@code r / w} instead of trickling it over a minute. {@code r = q − 1} after a success means the bucket was full
 * before it: never "low" (with q = 1 every success says r = 0), and until the first decrease such a response
 * doubles λ (slow start); increases never take λ above the server rate u.
 * Every client sees the same
 * {@code r}, so this term is the same for all of them and pulls unequal clients together; it is recomputed
 * from each response and never stored into λ, so it vanishes as soon as the bank does.
 * Increase and decrease are both per response, so a client's rate settles where increases balance decreases,
 * {@code λ = 0.002 u × P(up) / (d × P(down))}, the same for every client because {@code r} is shared: additive
 * increase with multiplicative decrease converges to equal shares (Chiu and Jain). Like TCP's one reduction
 * per window, bad news about an attempt sent before the latest decrease is not counted again (so the threads
 * of one client hitting the same 429 together slow it once). The interval is capped at maxInterval (default
 * 10 minutes).
 *
 * <p><b>Retries.</b> A 429, or 503 with Retry-After, is retried in the next slot but never before the
 * Retry-After (the floor gets a jitter of up to 5 % of the interval above it, never below). Without rate-limit
 * headers ({@code r}) the same rate is steered by 429s alone: a 429 starts pacing (or decreases the rate), a
 * success increases it additively, with the server rate assumed (1 per second unless set); the retries of a
 * 429 without {@code r} also wait an exponential backoff with equal jitter (base 1 s, cap 20 s, see
 * {@link JitteredBackoffStrategy}), floored at Retry-After.
 *
 * <p>Delays: a single-threaded client waits at most {@code max(maxInterval, Retry-After) + 5 %} of the interval
 * ({@link #maxDelayNanos()} without a Retry-After; Retry-After is at most 24 h, see {@link RateLimitHeaders}); k
 * threads waiting on one instance queue one interval apart. Times are compared by subtraction, so clock
 * readings may wrap.
 *
 * <p>Thread-safe and lock-free: λ and the schedule are {@link AtomicLong}s updated by CAS loops, so concurrent
 * responses each apply their update to the latest value (no update is lost); the bank term and the burst flag
 * are plain atomic writes where the latest response wins, since they describe the server's latest state. Calls
 * are used by one thread at a time.
 */
public final class PacingStrategy implements ThrottleStrategy {

  /**
   * Units of quota kept banked: 5 (at most capacity / 10). Below or at it, clients slow down; twice it, the bank term
   * stops.
   */
  public static final long DEFAULT_BANK_TARGET = 5;
  /** Initial rate as a share of the server rate: 1/14. */
  public static final double DEFAULT_INITIAL_SHARE = 1.0 / 14;
  /** Additive increase per response, as a share of the server rate: 0.002. */
  public static final double DEFAULT_INCREASE = 0.002;
  /** Multiplicative decrease on 429: 0.7. */
  public static final double DEFAULT_THROTTLE_DECREASE = 0.7;
  /** Multiplicative decrease per response saying {@code r = 0}: 0.9. */
  public static final double DEFAULT_EMPTY_DECREASE = 0.9;
  /** Multiplicative decrease per response with {@code r = bankTarget} (linear from the empty decrease at 0): 0.95. */
  public static final double DEFAULT_LOW_DECREASE = 0.95;
  /**
   * Horizon over which banked quota above twice the target is spent: 60 s. Quota beyond the bank target plus what
   * the server refills in this horizon is spent at once.
   */
  public static final Duration DEFAULT_SPEND_HORIZON = Duration.ofSeconds(60);
  /** Largest interval between two attempts: 10 minutes. */
  public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofMinutes(10);
  /** Jitter added to each interval: up to 5 %. */
  public static final double DEFAULT_JITTER = 0.05;

  private static final double NANOS_PER_SECOND = 1e9;
  private static final long MIN_HORIZON_NANOS = 1_000_000_000L;
  private static final long MAX_INITIAL_CONCURRENCY = 16;
  private static final long SPEND_TARGET_MULTIPLE = 2;
  /** The bank target is at most capacity / 10. */
  private static final long SMALL_QUOTA_SHARE = 10;
  private static final double SLOW_START_FACTOR = 2;
  /** An interval longer than this many server emission intervals (u × interval) is "long". */
  private static final double LONG_INTERVAL_SHARE = 40;
  /** On a long interval, 429s decrease the rate at most once per this many intervals. */
  private static final long THROTTLE_DECREASE_SPACING = 3;

  private final long bankTarget;
  private final double initialShare;
  private final double increase;
  private final double throttleDecrease;
  private final double emptyDecrease;
  private final double lowDecrease;
  private final long spendHorizonNanos;
  private final long maxIntervalNanos;
  private final double jitter;
  private final double assumedServerIntervalNanos;
  private final JitterSource random;
  private final JitteredBackoffStrategy fallback;

  /** The target interval in nanoseconds; 0 until the first response with rate-limit headers. */
  private final AtomicLong intervalNanos = new AtomicLong();
  /** The start of the latest slot handed out (meaningful once intervalNanos > 0). */
  private final AtomicLong lastStartNanos = new AtomicLong();
  /** When the rate was last decreased (or first set): older attempts' bad news is not counted twice. */
  private final AtomicLong lastDecreaseNanos = new AtomicLong();
  /** True while the latest response said more than the burst threshold remains: attempts go unpaced. */
  private volatile boolean bursting;
  /** True until the first decrease after the first information: the rate doubles while the bank is half full. */
  private volatile boolean slowStart = true;
  /** The interval that spends the bank above twice the target over the horizon; 0 when there is none. */
  private final AtomicLong bankIntervalNanos = new AtomicLong();
  /** Calls started and finished while nothing was known: their difference sizes the initial rate. */
  private final AtomicLong startedBeforeInfo = new AtomicLong();
  private final AtomicLong finishedBeforeInfo = new AtomicLong();

  private PacingStrategy(Builder b) {
    this.bankTarget = b.bankTarget;
    this.initialShare = b.initialShare;
    this.increase = b.increase;
    this.throttleDecrease = b.throttleDecrease;
    this.emptyDecrease = b.emptyDecrease;
    this.lowDecrease = b.lowDecrease;
    this.spendHorizonNanos = b.spendHorizonNanos;
    this.maxIntervalNanos = b.maxIntervalNanos;
    this.jitter = b.jitter;
    this.assumedServerIntervalNanos = b.assumedServerIntervalNanos;
    this.random = b.jitterSource();
    this.fallback = JitteredBackoffStrategy.builder().jitter(JitteredBackoffStrategy.Jitter.EQUAL)
        .random(new JitterSourceGenerator(random)).build();
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
   * @param seed the jitter seed
   * @return a strategy with the defaults and the given jitter seed
   */
  public static PacingStrategy withSeed(long seed) {
    return builder().seed(seed).build();
  }

  @Override
  public Call newCall(long nowNanos) {
    if (intervalNanos.get() == 0) {
      startedBeforeInfo.incrementAndGet();
    }
    return new PacedCall();
  }

  /**
   * Returns the interval between attempts in force now, in nanoseconds (before jitter): the AIMD interval, or
   * the shorter interval that spends the banked quota; 0 while not pacing yet.
   * @return the interval between attempts in force now, in nanoseconds (before jitter): the AIMD interval, or the
   *     shorter interval that spends the banked quota; 0 while not pacing yet
   */
  public long intervalNanos() {
    return effectiveInterval(intervalNanos.get(), bankIntervalNanos.get());
  }

  private static long effectiveInterval(long interval, long bank) {
    return interval > 0 && bank > 0 && bank < interval ? bank : interval;
  }

  /**
   * Returns the largest delay this strategy hands a single-threaded client apart from a Retry-After floor, in
   * nanoseconds: maxInterval plus the jitter.
   * @return the largest delay this strategy hands a single-threaded client apart from a Retry-After floor, in
   *     nanoseconds: maxInterval plus the jitter
   */
  public long maxDelayNanos() {
    return maxIntervalNanos + (long) Math.ceil(maxIntervalNanos * jitter);
  }

  @Override
  public String toString() {
    return "PacingStrategy[interval=" + java.time.Duration.ofNanos(intervalNanos()) + (bursting ? ", bursting" : "")
        + "]";
  }

  private long jitterOf(long interval) {
    return interval <= 0 || jitter == 0 ? 0 : (long) (interval * jitter * random.nextDouble());
  }

  /**
   * Reserves the next slot at or after {@code floorAt} (if {@code hasFloor}); returns the delay from now.
   */
  private long reserve(long now, boolean hasFloor, long floorAt) {
    while (true) {
      long interval = effectiveInterval(intervalNanos.get(), bankIntervalNanos.get());
      long last = lastStartNanos.get();
      long slot = now;
      if (interval > 0 && !bursting) {
        long next = last + interval + jitterOf(interval);
        if (next - now > 0) {
          slot = next; // threads of one client queue one interval apart
        }
      }
      if (hasFloor && slot - floorAt < 0) {
        slot = floorAt + jitterOf(interval);
      }
      if (lastStartNanos.compareAndSet(last, slot)) {
        return slot - now;
      }
    }
  }

  private void update(int status, RateLimitHeaders h, long sentAt, long now) {
    boolean known = h.hasRemaining();
    boolean throttled = Retries.shouldRetry(status, h);
    if (!known && !throttled && (status >= 400 || intervalNanos.get() == 0)) {
      return; // nothing learned
    }
    double serverInterval = h.hasLimit() && h.limit() > 0 && h.hasWindow() && h.windowNanos() > 0
        ? (double) h.windowNanos() / h.limit() : assumedServerIntervalNanos;
    double u = NANOS_PER_SECOND / serverInterval; // server rate, per second
    long r = known ? h.remaining() : 0;
    // small quotas: the target is at most a tenth of the capacity q, and the horizon at most the window w (the time
    // the server takes to refill all of q); r = q - 1 after a success means the bucket was full before it
    long q = h.hasLimit() && h.limit() > 0 ? h.limit() : -1;
    long target = q > 0 ? Math.min(bankTarget, q / SMALL_QUOTA_SHARE) : bankTarget;
    long horizon = q > 0 && h.hasWindow() && target < bankTarget
        ? Math.min(spendHorizonNanos, Math.max(MIN_HORIZON_NANOS, h.windowNanos())) : spendHorizonNanos;
    long burstAbove = burstThreshold(u, target, horizon);
    boolean burst = known && !throttled && r > burstAbove;
    if (bursting != burst) {
      bursting = burst; // shared fields are written only when they change: most responses change nothing
    }
    // the bank term counts at most the burst threshold: above it attempts are not paced anyway
    long spendable = Math.min(r, burstAbove)
        - (target > Long.MAX_VALUE / SPEND_TARGET_MULTIPLE ? Long.MAX_VALUE : SPEND_TARGET_MULTIPLE * target);
    if (known) {
      long bank = spendable > 0 && !throttled ? Math.max(1, horizon / spendable) : 0;
      if (bankIntervalNanos.get() != bank) {
        bankIntervalNanos.set(bank);
      }
    }
    boolean low = known && r <= target && (q < 0 || r < q - 1);
    boolean roomy = known && q > 0 && r >= q - 1;
    while (true) {
      long cur = intervalNanos.get();
      double rate;
      boolean decrease = false;
      if (cur == 0) {
        // each call in flight before anything was known is one thread of this client wanting to send
        long concurrent = Math.max(1,
            Math.min(MAX_INITIAL_CONCURRENCY, startedBeforeInfo.get() - finishedBeforeInfo.get()));
        rate = Math.min(u, u * initialShare * concurrent);
        decrease = true;
      } else {
        rate = NANOS_PER_SECOND / cur;
        if (throttled || low) {
          long lastDecrease = lastDecreaseNanos.get();
          if (sentAt - lastDecrease <= 0) {
            return; // sent before the last decrease took effect: that decrease already answered it
          }
          if (throttled && cur * u / NANOS_PER_SECOND > LONG_INTERVAL_SHARE
              && now - lastDecrease < THROTTLE_DECREASE_SPACING * cur) {
            return; // a long interval: 429s within three intervals of the last decrease do not compound it
          }
          decrease = true;
          slowStart = false;
          rate *= throttled ? throttleDecrease : lowFactor(r, target);
        } else if (!burst && rate < u) {
          // never above the server rate by increases; doubling until the first decrease while the bank is at
          // least half full (a lone client on a small quota reaches its demand in a few responses)
          rate = Math.min(u, slowStart && roomy ? rate * SLOW_START_FACTOR : rate + u * increase);
        }
      }
      long next = rate > 0 ? (long) Math.min(maxIntervalNanos, NANOS_PER_SECOND / rate) : maxIntervalNanos;
      next = Math.max(1, next);
      if (cur == 0) {
        // first information: restart the schedule at a random phase so that clients started together spread
        // (from the Retry-After if there is one, so that the phases are not all collapsed onto it): the first slot
        // falls in [now + RA, now + max(RA, interval)), so the wait stays within max(interval, RA) + jitter
        long ra = throttled && h.hasRetryAfter() ? h.retryAfterNanos() : 0;
        long span = Math.max(0, next - ra);
        lastStartNanos.set(now + ra - next + (long) (span * random.nextDouble()));
      }
      if (next == cur && !decrease) {
        return; // unchanged (bursting, or at the server rate already)
      }
      if (intervalNanos.compareAndSet(cur, next)) {
        if (decrease) {
          lastDecreaseNanos.set(now);
        }
        return;
      }
    }
  }

  /**
   * Returns the remaining count above which attempts go unpaced: the bank target plus the units the server
   * refills over the spend horizon, {@code bankTarget + floor(u × horizon)} (saturating). Quota banked beyond what
   * the server would give back over the horizon anyway is spent at once; a server that hardly refills (1 per day)
   * is drained at full speed down to the target, a fast one (10 per second) never triggers it.
   */
  private static long burstThreshold(double serverRatePerSecond, long target, long horizonNanos) {
    double refill = Math.floor(serverRatePerSecond * (horizonNanos / NANOS_PER_SECOND));
    long refillUnits = refill >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : (long) refill;
    return target > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : target + refillUnits;
  }

  /** The decrease for {@code 0 ≤ r ≤ bankTarget}: emptyDecrease at 0, lowDecrease at the target, linear between. */
  private double lowFactor(long r, long target) {
    if (target == 0) {
      return emptyDecrease;
    }
    double x = (double) r / target;
    return emptyDecrease + (lowDecrease - emptyDecrease) * x;
  }

  private final class PacedCall implements Call {
    private boolean hasFloor;
    private long floorAt;
    private Call backoff; // fallback when the server sends no rate-limit headers
    private boolean useBackoff;
    private long sentAt;

    @Override
    public long delayNanos(long nowNanos) {
      long delay = reserve(nowNanos, hasFloor, floorAt);
      if (useBackoff) {
        delay = Math.max(delay, backoff.delayNanos(nowNanos));
      }
      sentAt = nowNanos + delay;
      return delay;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      boolean retry = Retries.shouldRetry(status, headers);
      update(status, headers, sentAt, nowNanos);
      hasFloor = retry && headers.hasRetryAfter();
      floorAt = nowNanos + headers.retryAfterNanos();
      useBackoff = retry && !headers.hasRemaining();
      if (!retry && intervalNanos.get() == 0) {
        finishedBeforeInfo.incrementAndGet();
      }
      if (useBackoff) {
        if (backoff == null) {
          backoff = fallback.newCall(nowNanos);
        }
        backoff.onResponse(status, headers, nowNanos);
      }
      return retry;
    }
  }

  /** Lets the fallback backoff draw from this strategy's jitter stream. */
  private static final class JitterSourceGenerator implements RandomGenerator {
    private final JitterSource source;

    JitterSourceGenerator(JitterSource source) {
      this.source = source;
    }

    @Override
    public double nextDouble() {
      return source.nextDouble();
    }

    @Override
    public long nextLong() {
      return Double.doubleToRawLongBits(source.nextDouble());
    }
  }

  /** Builds a {@link PacingStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder extends SeededBuilder<Builder> {
    private long bankTarget = DEFAULT_BANK_TARGET;
    private double initialShare = DEFAULT_INITIAL_SHARE;
    private double increase = DEFAULT_INCREASE;
    private double throttleDecrease = DEFAULT_THROTTLE_DECREASE;
    private double emptyDecrease = DEFAULT_EMPTY_DECREASE;
    private double lowDecrease = DEFAULT_LOW_DECREASE;
    private long spendHorizonNanos = DEFAULT_SPEND_HORIZON.toNanos();
    private long maxIntervalNanos = DEFAULT_MAX_INTERVAL.toNanos();
    private double jitter = DEFAULT_JITTER;
    private double assumedServerIntervalNanos = NANOS_PER_SECOND;

    private Builder() {}

    /**
     * Sets the units of quota to keep banked; default 5.
     *
     * @param units the units of quota to keep banked
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder bankTarget(long units) {
      if (units < 0) {
        throw new IllegalArgumentException("bankTarget must not be negative: " + units);
      }
      this.bankTarget = units;
      return this;
    }

    /**
     * Sets the initial rate as a share of the server rate, in {@code (0, 1]}; default 1/14.
     *
     * @param share the initial rate as a share of the server rate, in {@code (0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if outside {@code (0, 1]}
     */
    public Builder initialShare(double share) {
      this.initialShare = Retries.aboveZeroUpToOne(share, "initialShare");
      return this;
    }

    /**
     * Sets the additive increase per response as a share of the server rate, in {@code (0, 1]}; default 0.002.
     *
     * @param share the additive increase as a share of the server rate, in {@code (0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if outside {@code (0, 1]}
     */
    public Builder increase(double share) {
      this.increase = Retries.aboveZeroUpToOne(share, "increase");
      return this;
    }

    /**
     * Sets the factor applied to the rate on a 429, in {@code (0, 1)}; default 0.7.
     *
     * @param factor the factor applied to the rate on a 429, in {@code (0, 1)}
     * @return this builder
     * @throws IllegalArgumentException if outside {@code (0, 1)}
     */
    public Builder throttleDecrease(double factor) {
      this.throttleDecrease = Retries.betweenZeroAndOne(factor, "throttleDecrease");
      return this;
    }

    /**
     * Sets the factor applied to the rate per response saying nothing remains, in {@code (0, 1)}; default 0.9.
     *
     * @param factor the factor applied to the rate per response saying nothing remains, in {@code (0, 1)}
     * @return this builder
     * @throws IllegalArgumentException if outside {@code (0, 1)}
     */
    public Builder emptyDecrease(double factor) {
      this.emptyDecrease = Retries.betweenZeroAndOne(factor, "emptyDecrease");
      return this;
    }

    /**
     * Sets the factor applied to the rate per response with {@code r = bankTarget} (lower remaining counts
     * interpolate linearly down to the empty decrease at 0), in {@code (0, 1]}; default 0.95.
     *
     * @param factor the factor at {@code r = bankTarget}, in {@code (0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if outside {@code (0, 1]}
     */
    public Builder lowDecrease(double factor) {
      this.lowDecrease = Retries.aboveZeroUpToOne(factor, "lowDecrease");
      return this;
    }

    /**
     * Sets the horizon over which quota banked above the target is spent; default 60 s.
     *
     * @param horizon the horizon over which quota banked above the target is spent
     * @return this builder
     * @throws NullPointerException if {@code horizon} is null
     * @throws IllegalArgumentException if shorter than 1 s
     */
    public Builder spendHorizon(Duration horizon) {
      long n = DurationChecks.positiveNanos(horizon, "spendHorizon");
      if (n < MIN_HORIZON_NANOS) {
        throw new IllegalArgumentException("spendHorizon must be at least 1 s: " + horizon);
      }
      this.spendHorizonNanos = n;
      return this;
    }

    /**
     * Sets the largest interval between attempts; default 10 minutes.
     *
     * @param max the largest interval between attempts
     * @return this builder
     * @throws NullPointerException if {@code max} is null
     * @throws IllegalArgumentException if not positive or above 24 h
     */
    public Builder maxInterval(Duration max) {
      long n = DurationChecks.positiveNanos(max, "maxInterval");
      if (n > RateLimitHeaders.MAX_DELAY_NANOS) {
        throw new IllegalArgumentException("maxInterval must be at most 24 h: " + max);
      }
      this.maxIntervalNanos = n;
      return this;
    }

    /**
     * Sets the jitter added to each interval, {@code interval × U[0, jitter)}, in {@code [0, 1]}; default 0.05.
     *
     * @param jitter the jitter share, in {@code [0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if outside {@code [0, 1]}
     */
    public Builder jitter(double jitter) {
      this.jitter = Retries.zeroToOne(jitter, "jitter");
      return this;
    }

    /**
     * Sets the server rate assumed when responses carry {@code r} but no policy ({@code q}, {@code w}); default
     * 1 per second.
     *
     * @param rate the server rate assumed when responses carry {@code r} but no policy ({@code q}, {@code w})
     * @return this builder
     * @throws NullPointerException if {@code rate} is null
     */
    public Builder assumedServerRate(Rate rate) {
      Objects.requireNonNull(rate, "assumedServerRate");
      this.assumedServerIntervalNanos = rate.emissionIntervalNanos();
      return this;
    }

    /**
     * Returns a new strategy with these settings.
     * @return a new strategy with these settings
     */
    public PacingStrategy build() {
      return new PacingStrategy(this);
    }
  }

  /**
   * Returns the interval in force now ({@link #intervalNanos()}), or 0 while the latest response said so much quota
   * is banked that attempts go unpaced, or before the first response with rate-limit headers. Reads two atomics and a
   * volatile flag: no side effect, lock-free.
   *
   * @return the current pacing interval in nanoseconds, {@code >= 0}
   */
  @Override
  public long pacingIntervalNanos() {
    return bursting ? 0 : intervalNanos();
  }
}
