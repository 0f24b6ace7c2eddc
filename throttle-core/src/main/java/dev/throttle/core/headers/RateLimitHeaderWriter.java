package dev.throttle.core.headers;

import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Writes the rate-limit response header fields for one {@link RateLimitResult}, in the formats chosen at build
 * time (see {@link RateLimitHeaderFormat}). A server calls {@link #write} on every response, allowed or not.
 *
 * <p>For the result's quota (capacity {@code C}, emission interval {@code T}) it writes the policy
 * {@code q = C}, {@code w} = the seconds an empty quota needs to refill; {@code r} =
 * {@link RateLimitResult#remaining()}; {@code t} = the seconds until the next unit frees up (omitted when the
 * quota is full); {@code X-RateLimit-Reset} = the time until the quota is full again, as delay or epoch seconds
 * ({@link ResetStyle}); and {@code Retry-After} only for {@link Decision#LIMITED}. Every time is rounded
 * <b>up</b> to whole seconds, so a client that waits as told is never early. The fields describe the most
 * restrictive quota only, as one policy item named by {@link Quota#name()}.
 *
 * <p>Immutable and thread-safe. {@link #write} allocates only the value strings it passes to the sink.
 *
 * <p>A worked example and the derivation of each field from GCRA are in {@code docs/headers.md}.
 *
 * @see RateLimitHeaderParser
 */
public final class RateLimitHeaderWriter {

  /** How {@code X-RateLimit-Reset} is expressed. */
  public enum ResetStyle {
    /**
     * Seconds from now until the quota is full again, rounded up (throttled, most libraries); the default. Capped
     * at {@code RateLimitHeaderParser.EPOCH_THRESHOLD_SECONDS - 1} (31.7 years), since larger numbers are read as
     * epoch seconds by this library's parser and by other clients' heuristics.
     */
    DELAY_SECONDS,
    /**
     * The epoch second at which the quota is full again, rounded up (GitHub style); computed from
     * {@code nowEpochMillis}, never below 0.
     */
    EPOCH_SECONDS
  }

  private static final long SF_INTEGER_MAX = 999_999_999_999_999L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final RateLimitHeaderWriter DEFAULTS = builder().build();

  private final Set<RateLimitHeaderFormat> formats;
  private final boolean ietf;
  private final boolean xRateLimit;
  private final boolean remainingOnly;
  private final boolean retryAfter;
  private final ResetStyle resetStyle;
  private volatile PolicyText lastPolicy;

  /** The quota-dependent, constant header texts; immutable, so a racy single-slot cache is safe. */
  private static final class PolicyText {
    final Quota quota;
    final String quotedName;
    final long windowSeconds;
    final String policy;
    final String limit;

    PolicyText(Quota quota) {
      this.quota = quota;
      this.limit = Long.toString(quota.capacity());
      this.quotedName = sfString(quota.name());
      this.windowSeconds = windowSeconds(quota);
      this.policy = quotedName + ";q=" + quota.capacity() + ";w=" + windowSeconds;
    }
  }

  private RateLimitHeaderWriter(Builder b) {
    this.formats = Collections.unmodifiableSet(EnumSet.copyOf(b.formats));
    this.ietf = formats.contains(RateLimitHeaderFormat.IETF_DRAFT);
    this.xRateLimit = formats.contains(RateLimitHeaderFormat.X_RATELIMIT);
    this.remainingOnly = formats.contains(RateLimitHeaderFormat.RATELIMIT_REMAINING);
    this.retryAfter = formats.contains(RateLimitHeaderFormat.RETRY_AFTER);
    this.resetStyle = b.resetStyle;
  }

  /**
   * Returns the writer of every format ({@link RateLimitHeaderFormat#values()}), reset as delay seconds.
   * @return the writer of every format ({@link RateLimitHeaderFormat#values()}), reset as delay seconds
   */
  public static RateLimitHeaderWriter defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder preset like {@link #defaults()}.
   * @return a builder preset like {@link #defaults()}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the formats this writer writes (unmodifiable).
   * @return the formats this writer writes (unmodifiable)
   */
  public Set<RateLimitHeaderFormat> formats() {
    return formats;
  }

  /**
   * Returns how {@code X-RateLimit-Reset} is expressed.
   * @return how {@code X-RateLimit-Reset} is expressed
   */
  public ResetStyle resetStyle() {
    return resetStyle;
  }

  /**
   * Writes the header fields for {@code result}, in this order: {@code RateLimit-Policy}, {@code RateLimit},
   * {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset},
   * {@code RateLimit-Remaining}, {@code Retry-After}, each one that the configured formats include and that
   * applies (see the class documentation).
   *
   * @param result the limiter's answer for this request
   * @param nowEpochMillis the current wall-clock time in milliseconds since the epoch; used only by
   *     {@link ResetStyle#EPOCH_SECONDS}
   * @param headerSink receives (field name, field value) once per field, e.g. {@code response::setHeader}
   * @throws NullPointerException if {@code result} or {@code headerSink} is null
   */
  public void write(RateLimitResult result, long nowEpochMillis, BiConsumer<String, String> headerSink) {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(headerSink, "headerSink");
    long remaining = result.remaining();
    PolicyText p = ietf || xRateLimit ? policyText(result.quota()) : null;
    if (ietf) {
      headerSink.accept(RateLimitHeaderParser.RATELIMIT_POLICY, p.policy);
      long t = draftResetSeconds(result);
      headerSink.accept(RateLimitHeaderParser.RATELIMIT,
          t < 0 ? p.quotedName + ";r=" + remaining : p.quotedName + ";r=" + remaining + ";t=" + t);
    }
    String remainingText = null;
    if (xRateLimit) {
      remainingText = Long.toString(remaining);
      headerSink.accept(RateLimitHeaderParser.X_RATELIMIT_LIMIT, p.limit);
      headerSink.accept(RateLimitHeaderParser.X_RATELIMIT_REMAINING, remainingText);
      headerSink.accept(RateLimitHeaderParser.X_RATELIMIT_RESET,
          Long.toString(legacyResetSeconds(result, nowEpochMillis)));
    }
    if (remainingOnly) {
      headerSink.accept(RateLimitHeaderParser.RATELIMIT_REMAINING,
          remainingText != null ? remainingText : Long.toString(remaining));
    }
    if (retryAfter && result.decision() == Decision.LIMITED) {
      headerSink.accept(RateLimitHeaderParser.RETRY_AFTER, Long.toString(retryAfterSeconds(result)));
    }
  }

  /**
   * Writes the header fields for a quota state given as {@link Figures} rather than as a GCRA
   * {@link RateLimitResult}, for servers whose algorithm is not GCRA (fixed or sliding windows, leaky buckets,
   * concurrency limits) but whose responses use the same dialects. Same fields, order and rounding as
   * {@link #write(RateLimitResult, long, BiConsumer)}; a figure that is absent (negative) leaves out the fields
   * or parameters that need it: no {@code w} without a window, no {@code t} without a next-unit delay, no
   * {@code X-RateLimit-Reset} without a full reset, no {@code Retry-After} without a retry delay.
   *
   * @param figures the quota state to describe
   * @param nowEpochMillis the current wall-clock time in milliseconds since the epoch; used only by
   *     {@link ResetStyle#EPOCH_SECONDS}
   * @param headerSink receives (field name, field value) once per field
   * @throws NullPointerException if {@code figures} or {@code headerSink} is null
   */
  public void writeFigures(Figures figures, long nowEpochMillis, BiConsumer<String, String> headerSink) {
    Objects.requireNonNull(figures, "figures");
    Objects.requireNonNull(headerSink, "headerSink");
    String remaining = Long.toString(figures.remaining());
    if (ietf) {
      String name = sfString(figures.policyName());
      headerSink.accept(RateLimitHeaderParser.RATELIMIT_POLICY, name + ";q=" + figures.limit()
          + (figures.windowSeconds() > 0 ? ";w=" + Math.min(figures.windowSeconds(), SF_INTEGER_MAX) : ""));
      headerSink.accept(RateLimitHeaderParser.RATELIMIT, name + ";r=" + remaining
          + (figures.nextUnitNanos() >= 0
              ? ";t=" + Math.max(1, RateLimitHeaderParser.ceilSeconds(figures.nextUnitNanos())) : ""));
    }
    if (xRateLimit) {
      headerSink.accept(RateLimitHeaderParser.X_RATELIMIT_LIMIT, Long.toString(figures.limit()));
      headerSink.accept(RateLimitHeaderParser.X_RATELIMIT_REMAINING, remaining);
      if (figures.fullResetNanos() >= 0) {
        headerSink.accept(RateLimitHeaderParser.X_RATELIMIT_RESET,
            Long.toString(legacyResetSeconds(figures.fullResetNanos(), nowEpochMillis)));
      }
    }
    if (remainingOnly) {
      headerSink.accept(RateLimitHeaderParser.RATELIMIT_REMAINING, remaining);
    }
    if (retryAfter && figures.retryAfterNanos() >= 0) {
      headerSink.accept(RateLimitHeaderParser.RETRY_AFTER,
          Long.toString(Math.max(1, RateLimitHeaderParser.ceilSeconds(figures.retryAfterNanos()))));
    }
  }

  /**
   * Returns exactly what {@link RateLimitHeaderParser} reads from the fields {@link #write} writes for
   * {@code result} when the response is written and read at the same instant {@code nowEpochMillis}, without
   * producing or parsing any string. For simulators, which score clients on what real headers would tell them.
   *
   * @param result the limiter's answer
   * @param nowEpochMillis the instant of writing and reading (matters only for {@link ResetStyle#EPOCH_SECONDS})
   * @return what a client parsing this writer's headers would see
   * @throws NullPointerException if {@code result} is null
   */
  public RateLimitHeaders clientView(RateLimitResult result, long nowEpochMillis) {
    Objects.requireNonNull(result, "result");
    RateLimitHeaders.Builder b = RateLimitHeaders.builder();
    if (retryAfter && result.decision() == Decision.LIMITED) {
      b.retryAfterNanos(RateLimitHeaderParser.secondsToNanos(retryAfterSeconds(result)));
    }
    if (ietf || xRateLimit || remainingOnly) {
      b.remaining(result.remaining());
    }
    if (ietf || xRateLimit) {
      b.limit(result.limit());
    }
    if (ietf) {
      b.windowNanos(RateLimitHeaderParser.secondsToNanos(policyText(result.quota()).windowSeconds));
    }
    long t = ietf ? draftResetSeconds(result) : -1;
    if (t >= 0) {
      b.resetNanos(RateLimitHeaderParser.secondsToNanos(t));
    } else if (xRateLimit) {
      b.resetNanos(RateLimitHeaderParser.legacyResetNanos(legacyResetSeconds(result, nowEpochMillis), 0,
          nowEpochMillis));
    }
    return b.build();
  }

  /**
   * Returns {@link #clientView(RateLimitResult, long)} at epoch millisecond 0; identical for any
   * {@code nowEpochMillis} unless the reset style is {@link ResetStyle#EPOCH_SECONDS}.
   *
   * @param result the limiter's answer
   * @return what a client parsing this writer's headers would see
   * @throws NullPointerException if {@code result} is null
   */
  public RateLimitHeaders clientView(RateLimitResult result) {
    return clientView(result, 0);
  }

  @Override
  public String toString() {
    return "RateLimitHeaderWriter" + formats + (xRateLimit ? "[reset " + resetStyle + "]" : "");
  }

  // ---- the mapping (package-private for tests) ----

  /**
   * Returns {@code w}: ceil(capacity × period / count) in seconds, i.e. capacity × T with the exact T rather than
   * the nanosecond-rounded one (3 per second must give w=1, not 2); at least 1, at most the RFC 9651 Integer
   * maximum.
   */
  static long windowSeconds(Quota quota) {
    Rate rate = quota.rate();
    BigInteger[] qr = BigInteger.valueOf(quota.capacity()).multiply(BigInteger.valueOf(rate.period().toNanos()))
        .divideAndRemainder(BigInteger.valueOf(rate.count()).multiply(BigInteger.valueOf(NANOS_PER_SECOND)));
    BigInteger seconds = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    return Math.max(1, seconds.min(BigInteger.valueOf(SF_INTEGER_MAX)).longValue());
  }

  /** Returns {@code t} in whole seconds (at least 1), or -1 when the quota is full and t is omitted. */
  static long draftResetSeconds(RateLimitResult result) {
    long capacity = result.limit();
    long remaining = result.remaining();
    if (remaining >= capacity) {
      return -1;
    }
    long t = result.quota().rate().emissionIntervalNanos();
    long unitsAfterNext = capacity - remaining - 1;
    long offset = unitsAfterNext > Long.MAX_VALUE / t ? Long.MAX_VALUE : unitsAfterNext * t;
    long nextUnitNanos = Math.max(0, result.resetAfterNanos() - offset);
    return Math.max(1, RateLimitHeaderParser.ceilSeconds(nextUnitNanos));
  }

  private static long retryAfterSeconds(RateLimitResult result) {
    return Math.max(1, RateLimitHeaderParser.ceilSeconds(result.retryAfterNanos()));
  }

  private long legacyResetSeconds(RateLimitResult result, long nowEpochMillis) {
    return legacyResetSeconds(result.resetAfterNanos(), nowEpochMillis);
  }

  private long legacyResetSeconds(long resetAfter, long nowEpochMillis) {
    if (resetStyle == ResetStyle.DELAY_SECONDS) {
      // capped below the parsers' epoch heuristic (31.7 years), so that it is never misread as a past epoch
      return Math.min(RateLimitHeaderParser.ceilSeconds(resetAfter),
          RateLimitHeaderParser.EPOCH_THRESHOLD_SECONDS - 1);
    }
    // ceil((now + resetAfter) in seconds), split so that nothing overflows
    long nowSeconds = Math.floorDiv(nowEpochMillis, 1000L);
    long nowSubSecondNanos = Math.floorMod(nowEpochMillis, 1000L) * 1_000_000L;
    long epochSeconds = nowSeconds + resetAfter / NANOS_PER_SECOND
        + RateLimitHeaderParser.ceilSeconds(nowSubSecondNanos + resetAfter % NANOS_PER_SECOND);
    return Math.max(0, epochSeconds);
  }

  private PolicyText policyText(Quota quota) {
    PolicyText p = lastPolicy;
    if (p == null || (p.quota != quota && !p.quota.equals(quota))) {
      p = new PolicyText(quota);
      lastPolicy = p;
    }
    return p;
  }

  /** Returns {@code value} as an RFC 9651 sf-string: quoted, with {@code "} and {@code \} escaped. */
  static String sfString(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    return sb.append('"').toString();
  }

  /**
   * A quota state in the figures the header dialects carry, for {@link #writeFigures(Figures, long, BiConsumer)}: what a
   * server whose algorithm is not GCRA knows at one response. Times are nanoseconds from the response; a negative
   * time means "absent". Immutable.
   *
   * @param policyName the policy item's name (written as an RFC 9651 String)
   * @param limit the quota's limit {@code q}, {@code >= 0}
   * @param windowSeconds the policy window {@code w} in seconds, or {@code <= 0} if the server has none
   * @param remaining units left {@code r}, {@code >= 0}
   * @param nextUnitNanos delay until more quota is available ({@code t}), or negative to omit {@code t}
   * @param fullResetNanos delay until the quota is full again ({@code X-RateLimit-Reset}), or negative to omit it
   * @param retryAfterNanos the {@code Retry-After} delay of a refused request, or negative for none
   */
  public record Figures(String policyName, long limit, long windowSeconds, long remaining, long nextUnitNanos,
      long fullResetNanos, long retryAfterNanos) {

    /**
     * Validates the figures.
     *
     * @throws NullPointerException if {@code policyName} is null
     * @throws IllegalArgumentException if {@code limit} or {@code remaining} is negative
     * @param policyName the policy name
     * @param limit the limit
     * @param windowSeconds the window seconds
     * @param remaining the remaining
     * @param nextUnitNanos the next unit in nanoseconds
     * @param fullResetNanos the full reset in nanoseconds
     * @param retryAfterNanos the retry after in nanoseconds
     */
    public Figures {
      Objects.requireNonNull(policyName, "policyName");
      if (limit < 0 || remaining < 0) {
        throw new IllegalArgumentException("limit and remaining must be >= 0, were " + limit + ", " + remaining);
      }
    }
  }

  /**
   * Builds a {@link RateLimitHeaderWriter}; preset to all formats and {@link ResetStyle#DELAY_SECONDS}. Not
   * thread-safe; {@link #build()} does not change the builder.
   */
  public static final class Builder {
    private Set<RateLimitHeaderFormat> formats = EnumSet.allOf(RateLimitHeaderFormat.class);
    private ResetStyle resetStyle = ResetStyle.DELAY_SECONDS;

    private Builder() {}

    /**
     * Sets the formats to write (replacing the preset).
     *
     * @param formats one or more formats; duplicates are ignored
     * @return this builder
     * @throws NullPointerException if {@code formats} or an element is null
     * @throws IllegalArgumentException if {@code formats} is empty
     */
    public Builder formats(RateLimitHeaderFormat... formats) {
      Objects.requireNonNull(formats, "formats");
      return formats(Arrays.asList(formats));
    }

    /**
     * Sets the formats to write (replacing the preset).
     *
     * @param formats one or more formats; duplicates are ignored
     * @return this builder
     * @throws NullPointerException if {@code formats} or an element is null
     * @throws IllegalArgumentException if {@code formats} is empty
     */
    public Builder formats(Collection<RateLimitHeaderFormat> formats) {
      Objects.requireNonNull(formats, "formats");
      if (formats.isEmpty()) {
        throw new IllegalArgumentException("formats must not be empty");
      }
      Set<RateLimitHeaderFormat> copy = EnumSet.noneOf(RateLimitHeaderFormat.class);
      for (RateLimitHeaderFormat f : formats) {
        copy.add(Objects.requireNonNull(f, "formats element"));
      }
      this.formats = copy;
      return this;
    }

    /**
     * Sets how {@code X-RateLimit-Reset} is written.
     *
     * @param resetStyle delay seconds (the preset) or epoch seconds
     * @return this builder
     * @throws NullPointerException if {@code resetStyle} is null
     */
    public Builder resetStyle(ResetStyle resetStyle) {
      this.resetStyle = Objects.requireNonNull(resetStyle, "resetStyle");
      return this;
    }

    /**
     * Returns a writer with the current settings.
     * @return a writer with the current settings
     */
    public RateLimitHeaderWriter build() {
      return new RateLimitHeaderWriter(this);
    }
  }
}
