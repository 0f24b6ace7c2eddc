package dev.throttle.redis;

import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.KeyedRateLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.RateLimitResult;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A GCRA limiter per key whose state lives in Redis, shared by every process that uses the same Redis and key
 * prefix: a fleet of servers enforces one limit per key. Same semantics and the same {@link RateLimitResult}
 * figures as {@link dev.throttle.core.limiter.GcraLimiter} (so {@code RateLimitHeaderWriter} works unchanged),
 * behind the {@link KeyedRateLimiter} interface that {@link KeyedGcraLimiter} also implements.
 *
 * <pre>{@code
 * RedisConnection redis = RedisConnection.open("redis://127.0.0.1:6379", Duration.ofMillis(100));
 * KeyedRateLimiter<String> limiter = RedisGcraLimiter.builder(redis.commands())
 *     .quota(Quota.of("second", Rate.perSecond(10), 20))
 *     .quota(Quota.of("day", Rate.of(10_000, Duration.ofDays(1)), 10_000))
 *     .build();
 * }</pre>
 *
 * <p><b>One round trip per decision.</b> A Lua script ({@code EVALSHA}, reloaded with {@code EVAL} on
 * {@code NOSCRIPT}) reads Redis's own {@code TIME}, checks every quota and charges them all or none, so
 * decisions are atomic across the fleet and client clocks cannot skew them. The quotas are constants of the
 * script (one script per quota configuration), so a call sends only the key, the cost and the partial flag;
 * a charged quota is written with {@code SET ... PXAT}, which needs Redis 6.2 or later. The key of quota
 * {@code i} is {@code prefix + "{" + key + "}:" + i}; the hash tag puts all quotas of a key in one Redis
 * Cluster slot. Each key holds one integer (the TAT) and expires when its TAT passes, i.e. exactly when it
 * holds no information.
 * State is integer microseconds (Redis's clock resolution): the emission interval is rounded up to whole
 * microseconds, so rates faster than 10<sup>6</sup> per second per key are rejected at build time. Lua numbers
 * are doubles; every value the script handles is an integer below 2<sup>53</sup> (see docs/redis.md).
 *
 * <p><b>Failures.</b> Each decision has a timeout ({@link Builder#timeout}); when Redis errs or does not
 * answer in time the {@link FailureMode} answers, a warning is logged once per outage and the
 * {@link RedisHealthListener} is told; while failing, one call per probe interval tries Redis again, the others
 * are answered at once. No call ever blocks longer than the timeout.
 *
 * <p>Thread-safe; calls from many threads are pipelined on the one connection. A blocking call waits for
 * the reply in its own thread (no timer, no callback on the connection's I/O thread).
 */
public final class RedisGcraLimiter implements KeyedRateLimiter<String> {

  /** The largest per-quota tolerance {@code capacity * T} in script units: 2^52, so sums stay below 2^53. */
  static final long MAX_DVT_UNITS = 1L << 52;

  /** The script's body; each limiter prepends its quotas as constants ({@link #quotaHeader}). */
  private static final LuaScript SCRIPT_BODY = LuaScript.resource("gcra.lua");
  private static final String[] PARTIAL = {"0", "1"};
  private static final LuaScript DELETE = LuaScript.source("for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end return {}");

  private final RedisScriptingAsyncCommands<String, String> redis;
  private final List<Quota> quotas;
  private final String prefix;
  private final long timeoutNanos;
  private final FailureMode failureMode;
  private final long failClosedRetryNanos;
  private final RedisHealth health;
  private final KeyedGcraLimiter<String> local;
  private final int[] shift;
  private final long[] interval;
  private final long[] dvt;
  private final String[] keySuffix;
  private final long minCapacity;
  private final LuaScript script;

  private RedisGcraLimiter(Builder b) {
    this.redis = b.redis;
    this.quotas = List.copyOf(b.quotas);
    this.prefix = b.prefix;
    this.timeoutNanos = b.timeout.toNanos();
    this.failureMode = b.failureMode;
    this.failClosedRetryNanos = b.failClosedRetry.toNanos();
    this.health = new RedisHealth(toString(), b.listener, b.probeInterval.toNanos());
    KeyedGcraLimiter.Builder<String> lb = KeyedGcraLimiter.builder();
    quotas.forEach(lb::quota);
    this.local = b.failureMode == FailureMode.LOCAL ? lb.maxKeys(b.localMaxKeys).build() : null;
    int n = quotas.size();
    this.shift = new int[n];
    this.interval = new long[n];
    this.dvt = new long[n];
    this.keySuffix = new String[n];
    long minCap = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Quota q = quotas.get(i);
      long tUs = microsCeil(q.rate().emissionIntervalNanos());
      int s = shiftFor(tUs, q.capacity());
      shift[i] = s;
      interval[i] = unitInterval(tUs, s);
      dvt[i] = interval[i] * q.capacity();
      keySuffix[i] = String.format("}:%02d", i);
      minCap = Math.min(minCap, q.capacity());
    }
    this.minCapacity = minCap;
    this.script = SCRIPT_BODY.prepend(quotaHeader(interval, quotas, shift));
  }

  /**
   * The quotas as Lua constants before the script's body: {@code N}, quota 1's {@code T1, C1, U1} and
   * {@code quotas()} returning the tables of all T, C and U. The parameters are part of the script (its SHA
   * names the configuration), so a call sends only the key, the cost and the partial flag, and Redis parses no
   * quota arguments.
   */
  static String quotaHeader(long[] interval, List<Quota> quotas, int[] shift) {
    StringBuilder t = new StringBuilder();
    StringBuilder c = new StringBuilder();
    StringBuilder u = new StringBuilder();
    for (int i = 0; i < interval.length; i++) {
      String sep = i == 0 ? "" : ", ";
      t.append(sep).append(interval[i]);
      c.append(sep).append(quotas.get(i).capacity());
      u.append(sep).append(1L << shift[i]);
    }
    return "local N, T1, C1, U1 = " + interval.length + ", " + interval[0] + ", " + quotas.get(0).capacity()
        + ", " + (1L << shift[0]) + "\n"
        + "local function quotas() return {" + t + "}, {" + c + "}, {" + u + "} end\n";
  }

  /**
   * Returns a builder that will send its scripts through {@code redis}: a {@link RedisConnection}'s commands,
   * or any Lettuce connection's {@code async()} (standalone, Sentinel-managed or Cluster).
   *
   * @throws NullPointerException if {@code redis} is null
   * @param redis the redis
   * @return a builder that will send its scripts through {@code redis}: a {@link RedisConnection}'s commands, or any Lettuce connection's {@code async()} (standalone, Sentinel-managed or Cluster)
   */
  public static Builder builder(RedisScriptingAsyncCommands<String, String> redis) {
    return new Builder(Objects.requireNonNull(redis, "redis"));
  }

  static long microsCeil(long nanos) {
    return nanos / 1000 + (nanos % 1000 == 0 ? 0 : 1);
  }

  /** The unit exponent (unit = 2^s microseconds) for interval {@code t} microseconds and capacity {@code c}. */
  static int shiftFor(long t, long c) {
    for (int s = 0; s < 63; s++) {
      if (unitInterval(t, s) <= MAX_DVT_UNITS / c) {
        return s;
      }
    }
    throw new AssertionError("no unit for T=" + t + " C=" + c);
  }

  /** {@code t} in units of 2^s microseconds: exact for s = 0, else {@code ceil(t / 2^s) + 1} (see Gcra). */
  static long unitInterval(long t, int s) {
    if (s == 0) {
      return t;
    }
    return (t >>> s) + ((t & ((1L << s) - 1)) != 0 ? 1 : 0) + 1;
  }

  // ---------------------------------------------------------------- KeyedRateLimiter

  @Override
  public RateLimitResult tryAcquire(String key, long cost) {
    return decideNow(key, requireNonNegative(cost, "cost"), false, -1);
  }

  @Override
  public RateLimitResult tryAcquireAtMost(String key, long maxUnits) {
    return decideNow(key, requireNonNegative(maxUnits, "maxUnits"), true, -1);
  }

  @Override
  public CompletionStage<RateLimitResult> tryAcquireAsync(String key, long cost) {
    return decide(key, requireNonNegative(cost, "cost"), false, -1);
  }

  @Override
  public CompletionStage<RateLimitResult> tryAcquireAtMostAsync(String key, long maxUnits) {
    return decide(key, requireNonNegative(maxUnits, "maxUnits"), true, -1);
  }

  /**
   * Deletes the key's state in Redis (and in the local fallback); waits at most the timeout.
   *
   * @throws NullPointerException if {@code key} is null
   */
  @Override
  public void reset(String key) {
    String[] keys = keys(Objects.requireNonNull(key, "key"));
    if (local != null) {
      local.reset(key);
    }
    try {
      DELETE.call(redis, keys, new String[0], timeoutNanos);
    } catch (RuntimeException e) {
      health.failure(e, failureMode);
    }
  }

  @Override
  public List<Quota> quotas() {
    return quotas;
  }

  /**
   * Returns the per-decision timeout in nanoseconds.
   * @return the per-decision timeout in nanoseconds
   */
  public long timeoutNanos() {
    return timeoutNanos;
  }

  /**
   * Returns the failure mode.
   * @return the failure mode
   */
  public FailureMode failureMode() {
    return failureMode;
  }

  @Override
  public String toString() {
    return "RedisGcraLimiter" + quotas + "[prefix=" + prefix + "]";
  }

  // ---------------------------------------------------------------- decisions

  String[] keys(String key) {
    if (keySuffix.length == 1) {
      return new String[] {prefix + "{" + key + keySuffix[0]};
    }
    String[] keys = new String[keySuffix.length];
    String base = prefix + "{" + key;
    for (int i = 0; i < keys.length; i++) {
      keys[i] = base + keySuffix[i];
    }
    return keys;
  }

  private static String[] args(long units, boolean partial, long nowMicros) {
    // costs beyond 2^53 are all "more than any capacity": keep them exact for Lua
    String cost = Long.toString(Math.min(units, 1L << 53));
    String p = PARTIAL[partial ? 1 : 0];
    return nowMicros < 0 ? new String[] {cost, p} : new String[] {cost, p, Long.toString(nowMicros)};
  }

  /**
   * One blocking decision: the reply is awaited and parsed in the calling thread (no timer, no stage on the
   * Lettuce I/O thread, which serves every caller of the connection). {@code nowMicros} as in {@link #decide}.
   */
  RateLimitResult decideNow(String key, long units, boolean partial, long nowMicros) {
    Objects.requireNonNull(key, "key");
    if (!health.shouldTry()) {
      health.skipped();
      return fallback(key, units, partial);
    }
    try {
      RateLimitResult result = parse(script.call(redis, keys(key), args(units, partial, nowMicros), timeoutNanos),
          units);
      health.success();
      return result;
    } catch (RuntimeException e) {
      health.failure(e, failureMode);
      return fallback(key, units, partial);
    }
  }

  /**
   * One decision. {@code nowMicros < 0} uses Redis's TIME; otherwise it is a test-only clock reading (keys
   * then get no expiry).
   */
  CompletableFuture<RateLimitResult> decide(String key, long units, boolean partial, long nowMicros) {
    Objects.requireNonNull(key, "key");
    if (!health.shouldTry()) {
      health.skipped();
      return CompletableFuture.completedFuture(fallback(key, units, partial));
    }
    CompletableFuture<List<Object>> reply;
    try {
      reply = script.run(redis, keys(key), args(units, partial, nowMicros));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).handle((r, ex) -> {
      if (ex == null) {
        try {
          RateLimitResult result = parse(r, units);
          health.success();
          return result;
        } catch (RuntimeException e) {
          ex = e;
        }
      }
      health.failure(ex, failureMode);
      return fallback(key, units, partial);
    });
  }

  /** The script's reply to a decision of {@code units}: seven integers, or one (see gcra.lua). */
  private RateLimitResult parse(List<Object> r, long units) {
    if (r.size() == 1) {
      // one quota, unit 1 us, not partial: the excess after an admission (granted = units), or -(excess + 1)
      long x = (Long) r.get(0);
      Quota q = quotas.get(0);
      if (x >= 0) {
        return RateLimitResult.of(Decision.ALLOWED, units, q, fit(x, 0), 0, toNanos(x, 0, 0));
      }
      long e = -x - 1;
      long retryUnits = e - dvt[0] + units * interval[0];
      return RateLimitResult.of(Decision.LIMITED, 0, q, fit(e, 0), toNanos(retryUnits, 0, 0), toNanos(e, 0, 0));
    }
    int status = (int) (long) (Long) r.get(0);
    long granted = (Long) r.get(1);
    int i = (int) (long) (Long) r.get(2);
    long remaining = (Long) r.get(3);
    long retryUnits = (Long) r.get(4);
    long resetUnits = (Long) r.get(5);
    long frac = (Long) r.get(6);
    Quota q = quotas.get(i);
    long reset = toNanos(resetUnits, frac, shift[i]);
    switch (status) {
      case 0:
        return RateLimitResult.of(Decision.ALLOWED, granted, q, remaining, 0, reset);
      case 1:
        return RateLimitResult.of(Decision.LIMITED, 0, q, remaining, toNanos(retryUnits, frac, shift[i]), reset);
      case 2:
        return RateLimitResult.of(Decision.EXCEEDS_CAPACITY, 0, q, remaining, RateLimitResult.NEVER, reset);
      default:
        throw new IllegalStateException("unexpected script reply " + r);
    }
  }

  /** Units of quota {@code i} that fit given excess {@code e}: {@code floor((DVT - e) / T)}, at least 0. */
  private long fit(long e, int i) {
    return e > dvt[i] ? 0 : (dvt[i] - e) / interval[i];
  }

  /** Units of 2^s microseconds, less the fraction (microseconds) elapsed in the current unit, in ns; saturating. */
  static long toNanos(long units, long fracMicros, int s) {
    if (units <= 0) {
      return 0;
    }
    if (units > (Long.MAX_VALUE >> s)) {
      return Long.MAX_VALUE;
    }
    long us = (units << s) - fracMicros;
    return us > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : us * 1000;
  }

  private RateLimitResult fallback(String key, long units, boolean partial) {
    Quota first = quotas.get(0);
    switch (failureMode) {
      case LOCAL:
        return partial ? local.tryAcquireAtMost(key, units) : local.tryAcquire(key, units);
      case REFUSE:
        return RateLimitResult.of(Decision.LIMITED, 0, first, 0, Math.max(1, failClosedRetryNanos), 0);
      case ALLOW:
      default:
        if (!partial && units > minCapacity) {
          Quota smallest = quotas.stream().filter(q -> q.capacity() == minCapacity).findFirst().orElse(first);
          return RateLimitResult.of(Decision.EXCEEDS_CAPACITY, 0, smallest, 0, RateLimitResult.NEVER, 0);
        }
        long granted = partial ? Math.min(units, minCapacity) : units;
        return RateLimitResult.of(Decision.ALLOWED, granted, first, 0, 0, 0);
    }
  }

  private static long requireNonNegative(long v, String name) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + v);
    }
    return v;
  }

  /**
   * Configures a {@link RedisGcraLimiter}: quotas and failure behaviour here; key prefix (default
   * {@code "throttle:"}), decision timeout (default 100 ms), probe interval and listener in
   * {@link RedisClientBuilder}. Setters check their argument at once; {@link #build()} checks the whole. Not
   * thread-safe.
   */
  public static final class Builder extends RedisClientBuilder<Builder> {

    private final List<Quota> quotas = new ArrayList<>();
    private FailureMode failureMode = FailureMode.LOCAL;
    private Duration failClosedRetry = Duration.ofSeconds(1);
    private int localMaxKeys = 100_000;

    private Builder(RedisScriptingAsyncCommands<String, String> redis) {
      super(redis, "throttle:", Duration.ofMillis(100)); // key prefix, decision timeout
    }

    /**
     * Adds a quota every key gets; repeat for several, decided atomically (at most 100). The emission interval
     * must be at least 1 microsecond (Redis's clock resolution).
     *
     * @throws IllegalArgumentException if the quota's rate is faster than 10^6 per second
     * @param quota the quota
     * @return this builder
     */
    public Builder quota(Quota quota) {
      Objects.requireNonNull(quota, "quota");
      if (quota.rate().emissionIntervalNanos() < 1000) {
        throw new IllegalArgumentException("quota " + quota + ": Redis's clock counts microseconds, so a rate per"
            + " key must be at most 10^6 per second");
      }
      quotas.add(quota);
      return this;
    }

    /**
     * Sets what to answer when Redis does not (default {@link FailureMode#LOCAL}).
     * @param mode the mode
     * @return this builder
     */
    public Builder failureMode(FailureMode mode) {
      this.failureMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the retry-after reported by {@link FailureMode#REFUSE} (default 1 s).
     *
     * @throws IllegalArgumentException if not positive
     * @param wait the wait
     * @return this builder
     */
    public Builder failClosedRetryAfter(Duration wait) {
      this.failClosedRetry = positive(wait, "failClosedRetryAfter");
      return this;
    }

    /**
     * Sets the most keys the {@link FailureMode#LOCAL} fallback tracks (default 100,000).
     *
     * @throws IllegalArgumentException if {@code < 1}
     * @param maxKeys the max keys
     * @return this builder
     */
    public Builder localMaxKeys(int maxKeys) {
      if (maxKeys < 1) {
        throw new IllegalArgumentException("localMaxKeys must be >= 1, was " + maxKeys);
      }
      this.localMaxKeys = maxKeys;
      return this;
    }

    /**
     * Builds the limiter. It connects nothing: the first decision sends the script.
     *
     * @throws IllegalArgumentException if no quota was added, more than 100, or two share a name
     * @return a new limiter
     */
    public RedisGcraLimiter build() {
      if (quotas.isEmpty()) {
        throw new IllegalArgumentException("quota: at least one quota is required");
      }
      if (quotas.size() > 100) {
        throw new IllegalArgumentException("quota: at most 100 quotas per limiter");
      }
      Set<String> names = new HashSet<>();
      for (Quota q : quotas) {
        if (!names.add(q.name())) {
          throw new IllegalArgumentException("quota: names must be unique, \"" + q.name() + "\" is used twice");
        }
      }
      return new RedisGcraLimiter(this);
    }
  }
}
