package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.time.DurationChecks;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The AWS SDK for Java v2 <b>adaptive retry mode</b> ({@code AdaptiveRetryStrategy}, as
 * {@code DefaultAdaptiveRetryStrategy} over {@code BaseRetryStrategy} combines its three parts), re-implemented as
 * a pure state machine: a CUBIC client-side rate limiter, capped exponential backoff with full jitter, and a retry
 * quota, with AWS's default constants (retries 2.0, the SDK's default; the opt-in "retries 2.1" revision of 2026
 * is not modelled). A response is <i>retryable</i> if it is a 429, or a 503 with Retry-After; a 429 is a
 * <i>throttling</i> error. Rules, in the order AWS applies them:
 *
 * <ol>
 *   <li><b>Before the first attempt</b> one token is taken from the rate limiter ({@code computeInitialBackoff}):
 *       the delay is the rate limiter's wait, 0 until the first throttle.
 *   <li><b>A retryable response</b> ({@code refreshRetryToken}): if the call has sent {@code maxAttempts}
 *       attempts (default 3) it gives up with {@link GiveUp#MAX_ATTEMPTS}; else it takes {@code retryCost} tokens
 *       (default 5) from the retry quota (default 500 tokens), and gives up with {@link GiveUp#RETRY_BUDGET} if fewer
 *       remain. A give-up changes neither the quota nor the rate limiter. Otherwise a 429 updates the rate limiter as
 *       a throttle (a 503 does not), and the delay before retry {@code n} (1 for the first) is a full-jitter draw
 *       {@code U[0, min(maxBackoff, base × 2^(n−1)))} plus one token's wait from the rate limiter; {@code base} is
 *       the throttling base (1 s, {@code THROTTLED_BASE_DELAY}) after a 429 and the base (100 ms,
 *       {@code BASE_DELAY}) after a 503; {@code maxBackoff} is 20 s ({@code MAX_BACKOFF}). Retry-After is not read
 *       (the v2.0 SDK passes no suggested delay); wrap in {@link RetryAfterFloorStrategy} to honour it.
 *   <li><b>A success</b> (status below 400, {@code recordSuccess}) gives back to the quota the tokens the call's
 *       latest retry took, or 1 token if it never retried ({@code max(capacityAcquired, 1)}), never above the
 *       maximum, and updates the rate limiter as a success. Other final responses (a 404, a 500) change nothing.
 * </ol>
 *
 * <p><b>The rate limiter</b> ({@code RateLimiterTokenBucket}) is a token bucket whose fill rate follows TCP CUBIC.
 * It is disabled until the first throttle; then every attempt takes one token and waits {@code (1 − tokens) /
 * fillRate} seconds when short (tokens are reserved, so a short bucket goes negative and concurrent threads queue
 * one behind the other). On a throttle the rate becomes {@code β × min(measured, fill)} (β = 0.7; just {@code β ×
 * measured} for the throttle that enables it) and that pre-decrease rate is remembered as {@code lastMaxRate}; on a
 * success it regrows as {@code C × (t − lastThrottle − K)^3 + lastMaxRate} with C = 0.4 and {@code K =
 * cbrt(lastMaxRate × (1 − β) / C)}; either way it is capped at twice the measured send rate, and the fill rate is at
 * least 0.5 requests per second ({@code MIN_FILL_RATE}, kept from AWS: one client of this mode never paces itself
 * below 0.5 r/s, so N clients offer at least N / 2 r/s whatever the server admits) with a capacity of at least 1
 * token. The measured send rate is an EWMA ({@code 0.8 × current + 0.2 × previous}) over 0.5 s buckets of the
 * responses the limiter is told about. A client thus waits at most 2 s for the limiter per attempt, plus the
 * backoff, and gives up after its third attempt or when the quota runs dry.
 *
 * <p><b>Retry quota</b> ({@code TokenBucket} of {@code DefaultRetryStrategy.Standard}): 500 tokens, 5 per retry for
 * every retryable error; AWS's separate timeout cost (10 in other SDKs) does not arise, since only HTTP responses
 * reach a strategy. A cost of 0 disables the quota, as AWS's {@code circuitBreakerEnabled(false)}.
 *
 * <p>Every delay is in {@code [0, 24 h]}. Times are integer nanoseconds from the caller's clock (compared by
 * subtraction); rates are doubles in requests per second; jitter comes from the seeded source of the builder
 * ({@link SeededBuilder}), drawn in nanoseconds where AWS draws whole milliseconds. One instance is one AWS
 * "scope": every call of one client shares its limiter and quota. AWS notes the mode assumes the server's capacity
 * is mostly used by clients in this mode.
 *
 * <p>Thread-safe. The limiter's coupled fields and the quota are updated together under a {@link ReentrantLock}:
 * each critical section is a few arithmetic operations and never waits. The {@link Call} objects are not
 * thread-safe (one logical request each).
 */
public final class AdaptiveRateStrategy implements ThrottleStrategy {

  /** {@code BETA}: the multiplicative decrease on a throttle. */
  public static final double DEFAULT_BETA = 0.7;
  /** {@code SCALE_CONSTANT}: the CUBIC growth constant C. */
  public static final double DEFAULT_SCALE_CONSTANT = 0.4;
  /** {@code SMOOTH}: the weight of the latest bucket in the measured-rate EWMA. */
  public static final double DEFAULT_SMOOTHING = 0.8;
  /** {@code MIN_FILL_RATE}: 0.5 requests per second, AWS's floor on the fill rate. */
  public static final double DEFAULT_MIN_FILL_RATE = 0.5;
  /** The measurement bucket width: 0.5 s. */
  public static final Duration DEFAULT_MEASUREMENT_BUCKET = Duration.ofMillis(500);
  /** {@code Adaptive.MAX_ATTEMPTS}: 3 attempts, the first included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** {@code BASE_DELAY}: the backoff base after a retryable error that is not a throttle (a 503): 100 ms. */
  public static final Duration DEFAULT_BASE = Duration.ofMillis(100);
  /** {@code THROTTLED_BASE_DELAY}: the backoff base after a throttle (a 429): 1 s. */
  public static final Duration DEFAULT_THROTTLING_BASE = Duration.ofSeconds(1);
  /** {@code MAX_BACKOFF}: the cap on the exponential backoff range: 20 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);
  /** {@code TOKEN_BUCKET_SIZE}: the retry quota's size, 500 tokens. */
  public static final int DEFAULT_RETRY_QUOTA = 500;
  /** {@code DEFAULT_EXCEPTION_TOKEN_COST}: the tokens one retry takes from the quota, 5. */
  public static final int DEFAULT_RETRY_COST = 5;
  /** The tokens a success without retry gives back to the quota ({@code max(capacityAcquired, 1)}): 1. */
  public static final int NO_RETRY_INCREMENT = 1;

  private static final double MIN_CAPACITY = 1;
  private static final double NANOS_PER_SECOND = 1e9;
  private static final int MAX_EXPONENT = 62;

  private final double beta;
  private final double scaleConstant;
  private final double smoothing;
  private final double minFillRate;
  private final long bucketNanos;
  private final int maxAttempts;
  private final long baseNanos;
  private final long throttlingBaseNanos;
  private final long maxBackoffNanos;
  private final int quotaMax;
  private final int retryCost;
  private final JitterSource random;

  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock: the rate limiter
  private boolean started;
  private long originNanos;
  private boolean enabled;
  private double fillRate;
  private double maxCapacity;
  private double currentCapacity;
  private long lastRefillNanos;
  private double measuredTxRate;
  private long lastTxRateBucket;
  private long requestCount;
  private double lastMaxRate;
  private long lastThrottleNanos;
  private double timeWindow;
  // guarded by lock: the retry quota
  private int quotaTokens;

  private AdaptiveRateStrategy(Builder b) {
    this.beta = b.beta;
    this.scaleConstant = b.scaleConstant;
    this.smoothing = b.smoothing;
    this.minFillRate = b.minFillRate;
    this.bucketNanos = b.bucketNanos;
    this.maxAttempts = b.maxAttempts;
    this.baseNanos = b.baseNanos;
    this.throttlingBaseNanos = b.throttlingBaseNanos;
    this.maxBackoffNanos = b.maxBackoffNanos;
    this.quotaMax = b.retryQuota;
    this.retryCost = b.retryCost;
    this.random = b.jitterSource();
    this.quotaTokens = quotaMax;
  }

  /**
   * Returns a builder with the AWS constants and {@link Strategies#DEFAULT_SEED}.
   * @return a builder with the AWS constants and {@link Strategies#DEFAULT_SEED}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a strategy with the AWS constants and {@link Strategies#DEFAULT_SEED}.
   * @return a strategy with the AWS constants and {@link Strategies#DEFAULT_SEED}
   */
  public static AdaptiveRateStrategy create() {
    return builder().build();
  }

  @Override
  public Call newCall(long nowNanos) {
    return new AdaptiveCall();
  }

  /**
   * Returns the rate limiter's fill rate in requests per second (0 until the first response).
   * @return the rate limiter's fill rate in requests per second (0 until the first response)
   */
  public double fillRate() {
    lock.lock();
    try {
      return fillRate;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the measured send rate in requests per second.
   * @return the measured send rate in requests per second
   */
  public double measuredRate() {
    lock.lock();
    try {
      return measuredTxRate;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns true once a throttle has switched the rate limiter on.
   * @return {@code true} once a throttle has switched the rate limiter on
   */
  public boolean enabled() {
    lock.lock();
    try {
      return enabled;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the tokens left in the retry quota, in {@code [0, retryQuota]}.
   * @return the tokens left in the retry quota, in {@code [0, retryQuota]}
   */
  public int retryQuotaTokens() {
    lock.lock();
    try {
      return quotaTokens;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the most attempts one call sends, the first included.
   * @return the most attempts one call sends, the first included
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "AdaptiveRateStrategy[enabled=" + enabled + ", fillRate=" + fillRate + "/s, measured="
          + measuredTxRate + "/s, quota=" + quotaTokens + "/" + quotaMax + ", maxAttempts=" + maxAttempts + "]";
    } finally {
      lock.unlock();
    }
  }

  // ---- rate limiter (RateLimiterTokenBucket); every method below runs under the lock ----

  private void start(long now) {
    if (!started) {
      started = true;
      originNanos = now;
      lastRefillNanos = now;
      lastThrottleNanos = now;
      lastTxRateBucket = 0;
    }
  }

  private static double seconds(long nanos) {
    return nanos / NANOS_PER_SECOND;
  }

  /** {@code tokenBucketAcquire}: takes one token, going negative if short; returns the wait in nanoseconds. */
  private long takeRateToken(long now) {
    start(now);
    if (!enabled) {
      return 0;
    }
    refill(now);
    double wait = 0;
    if (currentCapacity < 1) {
      wait = (1 - currentCapacity) / fillRate;
    }
    currentCapacity -= 1;
    return Retries.toNanos(Math.floor(wait * NANOS_PER_SECOND), RateLimitHeaders.MAX_DELAY_NANOS);
  }

  private void refill(long now) {
    long elapsed = now - lastRefillNanos;
    if (elapsed > 0) {
      currentCapacity = Math.min(maxCapacity, currentCapacity + seconds(elapsed) * fillRate);
      lastRefillNanos = now;
    }
  }

  /** {@code updateRate}: the fill rate at least the minimum, the capacity at least one token. */
  private void updateRate(double newRps, long now) {
    refill(now);
    fillRate = Math.max(newRps, minFillRate);
    maxCapacity = Math.max(newRps, MIN_CAPACITY);
    currentCapacity = Math.min(currentCapacity, maxCapacity);
  }

  /** {@code updateMeasuredRate}: counts one response; at each new 0.5 s bucket folds the count into the EWMA. */
  private void updateMeasuredRate(long now) {
    long bucket = Math.floorDiv(now - originNanos, bucketNanos);
    requestCount++;
    if (bucket > lastTxRateBucket) {
      double currentRate = requestCount / seconds((bucket - lastTxRateBucket) * bucketNanos);
      measuredTxRate = currentRate * smoothing + measuredTxRate * (1 - smoothing);
      requestCount = 0;
      lastTxRateBucket = bucket;
    }
  }

  /** {@code cubicThrottle}: the multiplicative decrease from the rate in use when the throttle arrived. */
  private double cubicThrottle(long now) {
    double rateToUse = enabled ? Math.min(measuredTxRate, fillRate) : measuredTxRate;
    lastMaxRate = rateToUse;
    timeWindow = cubicTimeWindow();
    lastThrottleNanos = now;
    enabled = true;
    return rateToUse * beta;
  }

  /** {@code cubicSuccess}: the cubic regrowth towards, then past, the rate of the last throttle. */
  private double cubicSuccess(long now) {
    timeWindow = cubicTimeWindow();
    double dt = seconds(now - lastThrottleNanos) - timeWindow;
    return scaleConstant * dt * dt * dt + lastMaxRate;
  }

  /** {@code calculateTimeWindow}: K, the seconds the cubic takes to climb back to {@code lastMaxRate}. */
  private double cubicTimeWindow() {
    return Math.cbrt(lastMaxRate * (1 - beta) / scaleConstant);
  }

  /** {@code updateClientSendingRate}: measure, apply the cubic rule, cap at twice the measured rate. */
  private void updateSendingRate(boolean throttled, long now) {
    start(now);
    updateMeasuredRate(now);
    double calculated = throttled ? cubicThrottle(now) : cubicSuccess(now);
    updateRate(Math.min(calculated, 2 * measuredTxRate), now);
  }

  // ---- retry quota (TokenBucket); under the lock ----

  /** {@code tryAcquire(cost)}: takes {@code cost} tokens if that many remain; false (nothing taken) otherwise. */
  private boolean takeQuota(int cost) {
    if (quotaTokens - cost < 0) {
      return false;
    }
    quotaTokens -= cost;
    return true;
  }

  /** {@code release(amount)}: gives tokens back, never above the maximum. */
  private void releaseQuota(int amount) {
    quotaTokens = Math.min(quotaMax, quotaTokens + amount);
  }

  // ---- backoff (BackoffStrategy.exponentialDelay) ----

  /**
   * Full jitter for retry {@code n} (1 for the first retry, AWS's attempt {@code n + 1}): {@code U[0, min(maxBackoff,
   * base × 2^(n−1)))}.
   */
  private long backoffNanos(boolean throttling, int retry) {
    double base = throttling ? throttlingBaseNanos : baseNanos;
    long bound = (long) Math.min(maxBackoffNanos, base * Math.pow(2, Math.min(retry - 1, MAX_EXPONENT)));
    long drawn = (long) Math.floor(bound * random.nextDouble());
    return Math.max(0, Math.min(drawn, bound - 1)); // the bound itself is excluded, as AWS's nextInt(bound)
  }

  /** The three steps of AWS's {@code refreshRetryToken} after the max-attempts check, under the lock. */
  private long retryDelay(boolean throttling, long now, long backoff) {
    lock.lock();
    try {
      if (throttling) {
        updateSendingRate(true, now);
      }
      return Math.min(RateLimitHeaders.MAX_DELAY_NANOS, backoff + takeRateToken(now));
    } finally {
      lock.unlock();
    }
  }

  private final class AdaptiveCall implements Call {
    private int attempts = 1; // AWS's token attempt: the attempt about to be, or just, sent
    private int acquired; // quota tokens the latest retry took (AWS capacityAcquired)
    private boolean firstAsked;
    private long pending;
    private GiveUp giveUp;

    @Override
    public long delayNanos(long nowNanos) {
      if (!firstAsked) {
        firstAsked = true;
        lock.lock();
        try {
          return takeRateToken(nowNanos);
        } finally {
          lock.unlock();
        }
      }
      return pending;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      giveUp = null;
      if (!Retries.shouldRetry(status, headers)) {
        if (status < 400) {
          lock.lock();
          try {
            releaseQuota(Math.max(acquired, NO_RETRY_INCREMENT));
            updateSendingRate(false, nowNanos);
          } finally {
            lock.unlock();
          }
        }
        return false;
      }
      if (attempts >= maxAttempts) {
        giveUp = GiveUp.MAX_ATTEMPTS;
        return false;
      }
      boolean paid;
      lock.lock();
      try {
        paid = takeQuota(retryCost);
      } finally {
        lock.unlock();
      }
      if (!paid) {
        giveUp = GiveUp.RETRY_BUDGET;
        return false;
      }
      acquired = retryCost;
      boolean throttling = status == Retries.TOO_MANY_REQUESTS;
      long backoff = backoffNanos(throttling, attempts); // retry n = attempts so far
      attempts++;
      pending = retryDelay(throttling, nowNanos, backoff);
      return true;
    }

    @Override
    public GiveUp giveUpReason() {
      return giveUp;
    }
  }

  /** Builds an {@link AdaptiveRateStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder extends SeededBuilder<Builder> {
    private double beta = DEFAULT_BETA;
    private double scaleConstant = DEFAULT_SCALE_CONSTANT;
    private double smoothing = DEFAULT_SMOOTHING;
    private double minFillRate = DEFAULT_MIN_FILL_RATE;
    private long bucketNanos = DEFAULT_MEASUREMENT_BUCKET.toNanos();
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private long baseNanos = DEFAULT_BASE.toNanos();
    private long throttlingBaseNanos = DEFAULT_THROTTLING_BASE.toNanos();
    private long maxBackoffNanos = DEFAULT_MAX_BACKOFF.toNanos();
    private int retryQuota = DEFAULT_RETRY_QUOTA;
    private int retryCost = DEFAULT_RETRY_COST;

    private Builder() {}

    /**
     * Sets the multiplicative decrease β in {@code (0, 1)}; default 0.7.
     *
     * @param beta the multiplicative decrease β in {@code (0, 1)}
     * @return this builder
     * @throws IllegalArgumentException if outside {@code (0, 1)}
     */
    public Builder beta(double beta) {
      this.beta = Retries.betweenZeroAndOne(beta, "beta");
      return this;
    }

    /**
     * Sets the CUBIC scale constant C; default 0.4.
     *
     * @param c the CUBIC scale constant C
     * @return this builder
     * @throws IllegalArgumentException if not positive and finite
     */
    public Builder scaleConstant(double c) {
      this.scaleConstant = Retries.positiveFinite(c, "scaleConstant");
      return this;
    }

    /**
     * Sets the EWMA weight of the latest measurement bucket, in {@code (0, 1]}; default 0.8.
     *
     * @param smoothing the EWMA weight of the latest bucket, in {@code (0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if outside {@code (0, 1]}
     */
    public Builder smoothing(double smoothing) {
      this.smoothing = Retries.aboveZeroUpToOne(smoothing, "smoothing");
      return this;
    }

    /**
     * Sets the lowest fill rate in requests per second; default 0.5 (AWS's {@code MIN_FILL_RATE}).
     *
     * @param rps the lowest fill rate in requests per second
     * @return this builder
     * @throws IllegalArgumentException if not positive and finite
     */
    public Builder minFillRate(double rps) {
      this.minFillRate = Retries.positiveFinite(rps, "minFillRate");
      return this;
    }

    /**
     * Sets the width of the send-rate measurement buckets; default 0.5 s.
     *
     * @param width the width of the send-rate measurement buckets
     * @return this builder
     * @throws NullPointerException if {@code width} is null
     * @throws IllegalArgumentException if not positive
     */
    public Builder measurementBucket(Duration width) {
      this.bucketNanos = DurationChecks.positiveNanos(width, "measurementBucket");
      return this;
    }

    /**
     * Sets the most attempts one call sends, the first included; default 3. The call gives up with {@link
     * GiveUp#MAX_ATTEMPTS} on a retryable response to its last attempt.
     *
     * @param maxAttempts the most attempts one call sends, at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the backoff base after a retryable error that is not a throttle (a 503 with Retry-After); default
     * 100 ms.
     *
     * @param base the backoff base after a 503
     * @return this builder
     * @throws NullPointerException if {@code base} is null
     * @throws IllegalArgumentException if not positive
     */
    public Builder base(Duration base) {
      this.baseNanos = DurationChecks.positiveNanos(base, "base");
      return this;
    }

    /**
     * Sets the backoff base after a throttle (a 429); default 1 s.
     *
     * @param throttlingBase the backoff base after a 429
     * @return this builder
     * @throws NullPointerException if {@code throttlingBase} is null
     * @throws IllegalArgumentException if not positive
     */
    public Builder throttlingBase(Duration throttlingBase) {
      this.throttlingBaseNanos = DurationChecks.positiveNanos(throttlingBase, "throttlingBase");
      return this;
    }

    /**
     * Sets the cap on the exponential backoff range; default 20 s.
     *
     * @param maxBackoff the cap on the backoff range
     * @return this builder
     * @throws NullPointerException if {@code maxBackoff} is null
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoffNanos = DurationChecks.positiveNanos(maxBackoff, "maxBackoff");
      return this;
    }

    /**
     * Sets the retry quota's size in tokens (it starts full); default 500.
     *
     * @param tokens the retry quota's size, at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder retryQuota(int tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("retryQuota must be at least 1: " + tokens);
      }
      this.retryQuota = tokens;
      return this;
    }

    /**
     * Sets the tokens each retry takes from the quota; default 5; 0 turns the quota off (AWS's
     * {@code circuitBreakerEnabled(false)}).
     *
     * @param tokens the tokens each retry takes, at least 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder retryCost(int tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("retryCost must not be negative: " + tokens);
      }
      this.retryCost = tokens;
      return this;
    }

    /**
     * Returns a new strategy with these settings.
     *
     * @return a new strategy with these settings
     * @throws IllegalArgumentException if base or throttlingBase exceeds maxBackoff, or retryCost exceeds
     *     retryQuota (no retry could ever be paid for)
     */
    public AdaptiveRateStrategy build() {
      if (baseNanos > maxBackoffNanos || throttlingBaseNanos > maxBackoffNanos) {
        throw new IllegalArgumentException("base (" + Duration.ofNanos(baseNanos) + ") and throttlingBase ("
            + Duration.ofNanos(throttlingBaseNanos) + ") must not exceed maxBackoff ("
            + Duration.ofNanos(maxBackoffNanos) + ")");
      }
      if (retryCost > retryQuota) {
        throw new IllegalArgumentException("retryCost (" + retryCost + ") must not exceed retryQuota (" + retryQuota
            + "): no retry could be paid for");
      }
      return new AdaptiveRateStrategy(this);
    }
  }

  /**
   * Returns the token bucket's fill interval, {@code 1 / fillRate}, once a throttle has switched the bucket on;
   * 0 before (attempts are not paced). Takes the strategy's lock for one read (its critical sections never wait);
   * no side effect.
   *
   * @return the current pacing interval in nanoseconds, {@code >= 0}
   */
  @Override
  public long pacingIntervalNanos() {
    lock.lock();
    try {
      return enabled && fillRate > 0
          ? Math.max(1, (long) Math.min(RateLimitHeaders.MAX_DELAY_NANOS, NANOS_PER_SECOND / fillRate)) : 0;
    } finally {
      lock.unlock();
    }
  }
}
