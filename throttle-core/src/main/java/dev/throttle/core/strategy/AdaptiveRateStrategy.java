package dev.throttle.core.strategy;

import dev.throttle.core.time.DurationChecks;
import dev.throttle.core.headers.RateLimitHeaders;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The AWS SDK's "adaptive" client rate limiter, for servers that send no rate-limit headers: a token bucket
 * whose fill rate follows TCP CUBIC. Disabled until the first throttle (429, or 503 with Retry-After); then
 * every attempt, the first included, takes one token and waits {@code (1 − tokens) / fillRate} when short.
 * On a throttle the rate drops to {@code β × min(measured, fill)} (β = 0.7); on other responses it regrows as
 * {@code C × (t − lastThrottle − K)^3 + lastMaxRate} with C = 0.4 and {@code K = cbrt(lastMaxRate × (1 − β) /
 * C)}; either way it is capped at twice the measured send rate, and the fill rate is at least 0.5 requests per
 * second (capacity at least 1 token). The measured send rate is an EWMA ({@code 0.8 × current + 0.2 ×
 * previous}) over 0.5 s buckets. Constants and steps follow {@code RateLimitingTokenBucket} of AWS SDK for
 * Java v2.
 *
 * <p>Tokens are reserved rather than slept for: a short bucket goes negative so concurrent threads queue one
 * behind the other. Every delay is in {@code [0, 24 h]}. Times are integer nanoseconds from the caller's
 * clock (compared by subtraction); rates are doubles in requests per second. No randomness.
 *
 * <p>Thread-safe. The bucket's nine coupled fields are updated together under a {@link ReentrantLock}: each
 * critical section is a few arithmetic operations and never waits, and a lock (rather than a CAS over a
 * freshly allocated snapshot) keeps the arithmetic identical to the reference implementation. AWS notes this
 * limiter assumes one client per throttling scope; share one instance per server.
 */
public final class AdaptiveRateStrategy implements ThrottleStrategy {

  /** {@code BETA}: the multiplicative decrease on a throttle. */
  public static final double DEFAULT_BETA = 0.7;
  /** {@code SCALE_CONSTANT}: the CUBIC growth constant C. */
  public static final double DEFAULT_SCALE_CONSTANT = 0.4;
  /** {@code SMOOTH}: the weight of the latest bucket in the measured-rate EWMA. */
  public static final double DEFAULT_SMOOTHING = 0.8;
  /** {@code MIN_FILL_RATE}: 0.5 requests per second. */
  public static final double DEFAULT_MIN_FILL_RATE = 0.5;
  /** The measurement bucket width: 0.5 s. */
  public static final Duration DEFAULT_MEASUREMENT_BUCKET = Duration.ofMillis(500);

  private static final double MIN_CAPACITY = 1;
  private static final double NANOS_PER_SECOND = 1e9;

  private final double beta;
  private final double scaleConstant;
  private final double smoothing;
  private final double minFillRate;
  private final long bucketNanos;

  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock
  private boolean started;
  private long originNanos;
  private boolean enabled;
  private double fillRate;
  private double maxCapacity = MIN_CAPACITY;
  private double currentCapacity;
  private long lastRefillNanos;
  private double measuredTxRate;
  private long lastTxRateBucket;
  private long requestCount;
  private double lastMaxRate;
  private long lastThrottleNanos;
  private double timeWindow;

  private AdaptiveRateStrategy(Builder b) {
    this.beta = b.beta;
    this.scaleConstant = b.scaleConstant;
    this.smoothing = b.smoothing;
    this.minFillRate = b.minFillRate;
    this.bucketNanos = b.bucketNanos;
  }

  /**
   * Returns a builder with the AWS constants.
   * @return a builder with the AWS constants
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a strategy with the AWS constants.
   * @return a strategy with the AWS constants
   */
  public static AdaptiveRateStrategy create() {
    return builder().build();
  }

  @Override
  public Call newCall(long nowNanos) {
    return new AdaptiveCall();
  }

  /**
   * Returns the current fill rate in requests per second (0 until the first response).
   * @return the current fill rate in requests per second (0 until the first response)
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
   * Returns true once a throttle has switched the bucket on.
   * @return {@code true} once a throttle has switched the bucket on
   */
  public boolean enabled() {
    lock.lock();
    try {
      return enabled;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "AdaptiveRateStrategy[enabled=" + enabled + ", fillRate=" + fillRate + "/s, measured="
          + measuredTxRate + "/s]";
    } finally {
      lock.unlock();
    }
  }

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

  /** Takes one token; returns the wait in nanoseconds. */
  private long acquire(long now) {
    lock.lock();
    try {
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
      return Retries.toNanos(wait * NANOS_PER_SECOND, RateLimitHeaders.MAX_DELAY_NANOS);
    } finally {
      lock.unlock();
    }
  }

  private void refill(long now) {
    long elapsed = now - lastRefillNanos;
    if (elapsed > 0) {
      currentCapacity = Math.min(maxCapacity, currentCapacity + seconds(elapsed) * fillRate);
      lastRefillNanos = now;
    }
  }

  private void updateRate(double newRps, long now) {
    refill(now);
    fillRate = Math.max(newRps, minFillRate);
    maxCapacity = Math.max(newRps, MIN_CAPACITY);
    currentCapacity = Math.min(currentCapacity, maxCapacity);
  }

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

  private void onAttemptResult(boolean throttled, long now) {
    lock.lock();
    try {
      start(now);
      updateMeasuredRate(now);
      double calculated;
      if (throttled) {
        double rateToUse = enabled ? Math.min(measuredTxRate, fillRate) : measuredTxRate;
        lastMaxRate = rateToUse;
        timeWindow = Math.cbrt(lastMaxRate * (1 - beta) / scaleConstant);
        lastThrottleNanos = now;
        calculated = rateToUse * beta;
        enabled = true;
      } else {
        timeWindow = Math.cbrt(lastMaxRate * (1 - beta) / scaleConstant);
        double dt = seconds(now - lastThrottleNanos) - timeWindow;
        calculated = scaleConstant * dt * dt * dt + lastMaxRate;
      }
      double newRate = Math.min(calculated, 2 * measuredTxRate);
      updateRate(newRate, now);
    } finally {
      lock.unlock();
    }
  }

  private final class AdaptiveCall implements Call {
    @Override
    public long delayNanos(long nowNanos) {
      return acquire(nowNanos);
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      boolean retry = Retries.shouldRetry(status, headers);
      onAttemptResult(retry, nowNanos);
      return retry;
    }
  }

  /** Builds an {@link AdaptiveRateStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private double beta = DEFAULT_BETA;
    private double scaleConstant = DEFAULT_SCALE_CONSTANT;
    private double smoothing = DEFAULT_SMOOTHING;
    private double minFillRate = DEFAULT_MIN_FILL_RATE;
    private long bucketNanos = DEFAULT_MEASUREMENT_BUCKET.toNanos();

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
     * Sets the lowest fill rate in requests per second; default 0.5.
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
     * Returns a new strategy with these settings.
     * @return a new strategy with these settings
     */
    public AdaptiveRateStrategy build() {
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
