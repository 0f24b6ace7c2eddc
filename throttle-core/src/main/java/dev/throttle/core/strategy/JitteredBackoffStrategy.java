package dev.throttle.core.strategy;

import dev.throttle.core.time.DurationChecks;
import dev.throttle.core.headers.RateLimitHeaders;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff with jitter, as in Marc Brooker's "Exponential Backoff And Jitter" and the AWS
 * SDKs: nothing before a call's first attempt; before retry {@code n} (0 for the first retry) the nominal
 * backoff is {@code v = min(cap, base × 2^n)} and the delay is drawn by the chosen {@link Jitter}. The base is
 * the throttling base (default 1 s, AWS {@code THROTTLED_BASE_DELAY}) after a 429 and the base (default
 * 100 ms, AWS {@code BASE_DELAY}) after a 503 with Retry-After; the cap defaults to 20 s (AWS
 * {@code MAX_BACKOFF}).
 *
 * <p>The cap bounds the range the jitter draws from, never the drawn value, so callers stay spread at the
 * cap (unlike Resilience4j's randomise-then-cap, which collapses every client to exactly the maximum):
 * {@code FULL} and {@code EQUAL} draw below {@code min(cap, base × 2^n)}, {@code DECORRELATED} draws from
 * {@code [base, min(cap, 3 × previous)]}. Every delay is in {@code [0, cap]}. This strategy ignores
 * Retry-After; wrap it in {@link RetryAfterFloorStrategy} to honour the server's hint. No state is kept
 * between calls.
 *
 * <p>Thread-safe: no shared mutable state besides the lock-free jitter stream.
 */
public final class JitteredBackoffStrategy implements ThrottleStrategy {

  /** How the delay is drawn from the nominal exponential backoff {@code v = min(cap, base × 2^n)}. */
  public enum Jitter {
    /** {@code U[0, v)}: the least work for the server (Brooker), the AWS SDK default. */
    FULL,
    /** {@code v/2 + U[0, v/2]}: never less than half the backoff. */
    EQUAL,
    /** {@code U[base, min(cap, 3 × previous delay)]}, starting from {@code previous = base}. */
    DECORRELATED
  }

  /** AWS SDK v2 {@code BASE_DELAY}: 100 ms. */
  public static final Duration DEFAULT_BASE = Duration.ofMillis(100);
  /** AWS SDK v2 {@code THROTTLED_BASE_DELAY}: 1 s. */
  public static final Duration DEFAULT_THROTTLING_BASE = Duration.ofSeconds(1);
  /** AWS SDK v2 {@code MAX_BACKOFF}: 20 s. */
  public static final Duration DEFAULT_CAP = Duration.ofSeconds(20);

  private static final int MAX_EXPONENT = 62;

  private final Jitter jitter;
  private final long baseNanos;
  private final long throttlingBaseNanos;
  private final long capNanos;
  private final JitterSource random;

  private JitteredBackoffStrategy(Builder b) {
    this.jitter = b.jitter;
    this.baseNanos = b.baseNanos;
    this.throttlingBaseNanos = b.throttlingBaseNanos;
    this.capNanos = b.capNanos;
    this.random = b.jitterSource();
  }

  /**
   * Returns a builder with the AWS defaults and full jitter.
   * @return a builder with the AWS defaults and full jitter
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a strategy with the AWS defaults, {@code jitter} and {@link Strategies#DEFAULT_SEED}.
   * @param jitter how delays are drawn
   * @return a strategy with the AWS defaults, {@code jitter} and {@link Strategies#DEFAULT_SEED}
   */
  public static JitteredBackoffStrategy of(Jitter jitter) {
    return builder().jitter(jitter).build();
  }

  @Override
  public Call newCall(long nowNanos) {
    return new BackoffCall();
  }

  /**
   * Returns the jitter mode.
   * @return the jitter mode
   */
  public Jitter jitter() {
    return jitter;
  }

  /**
   * Returns the largest delay this strategy can hand out, in nanoseconds (the cap).
   * @return the largest delay this strategy can hand out, in nanoseconds (the cap)
   */
  public long maxDelayNanos() {
    return capNanos;
  }

  @Override
  public String toString() {
    return "JitteredBackoffStrategy[" + jitter + ", base=" + Duration.ofNanos(baseNanos) + ", throttlingBase="
        + Duration.ofNanos(throttlingBaseNanos) + ", cap=" + Duration.ofNanos(capNanos) + "]";
  }

  private final class BackoffCall implements Call {
    private int retries;
    private double previous = -1; // decorrelated: previous delay; -1 before the first retry
    private long pending;

    @Override
    public long delayNanos(long nowNanos) {
      return pending;
    }

    @Override
    public boolean onResponse(int status, RateLimitHeaders headers, long nowNanos) {
      if (!Retries.shouldRetry(status, headers)) {
        return false;
      }
      double base = status == Retries.TOO_MANY_REQUESTS ? throttlingBaseNanos : baseNanos;
      double u = random.nextDouble();
      double delay;
      switch (jitter) {
        case FULL -> delay = nominal(base) * u;
        case EQUAL -> {
          double v = nominal(base);
          delay = v / 2 + v / 2 * u;
        }
        default -> {
          double prev = previous < 0 ? base : previous;
          double high = Math.min(capNanos, 3 * prev);
          double low = Math.min(base, high);
          delay = low + (high - low) * u;
          previous = delay;
        }
      }
      retries = Math.min(retries + 1, MAX_EXPONENT);
      pending = Retries.toNanos(delay, capNanos);
      return true;
    }

    private double nominal(double base) {
      return Math.min(capNanos, base * Math.pow(2, retries));
    }
  }

  /** Builds a {@link JitteredBackoffStrategy}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder extends SeededBuilder<Builder> {
    private Jitter jitter = Jitter.FULL;
    private long baseNanos = DEFAULT_BASE.toNanos();
    private long throttlingBaseNanos = DEFAULT_THROTTLING_BASE.toNanos();
    private long capNanos = DEFAULT_CAP.toNanos();

    private Builder() {}

    /**
     * Sets how delays are drawn; default {@link Jitter#FULL}.
     *
     * @param jitter how delays are drawn
     * @return this builder
     * @throws NullPointerException if {@code jitter} is null
     */
    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * Sets the base backoff after a 503 with Retry-After; default 100 ms.
     *
     * @param base the base backoff after a 503 with Retry-After
     * @return this builder
     * @throws NullPointerException if {@code base} is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder base(Duration base) {
      this.baseNanos = DurationChecks.positiveNanos(base, "base");
      return this;
    }

    /**
     * Sets the base backoff after a 429; default 1 s.
     *
     * @param throttlingBase the base backoff after a 429
     * @return this builder
     * @throws NullPointerException if {@code throttlingBase} is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder throttlingBase(Duration throttlingBase) {
      this.throttlingBaseNanos = DurationChecks.positiveNanos(throttlingBase, "throttlingBase");
      return this;
    }

    /**
     * Sets the cap on the backoff range; default 20 s.
     *
     * @param cap the cap on the backoff range
     * @return this builder
     * @throws NullPointerException if {@code cap} is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder cap(Duration cap) {
      this.capNanos = DurationChecks.positiveNanos(cap, "cap");
      return this;
    }

    /**
     * Returns a new strategy with these settings.
     *
     * @return a new strategy with these settings
     * @throws IllegalArgumentException if base or throttlingBase exceeds the cap
     */
    public JitteredBackoffStrategy build() {
      if (baseNanos > capNanos || throttlingBaseNanos > capNanos) {
        throw new IllegalArgumentException("base (" + Duration.ofNanos(baseNanos) + ") and throttlingBase ("
            + Duration.ofNanos(throttlingBaseNanos) + ") must not exceed cap (" + Duration.ofNanos(capNanos) + ")");
      }
      return new JitteredBackoffStrategy(this);
    }
  }
}
