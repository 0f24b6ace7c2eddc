package dev.throttle.redis;

import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.KeyedRateLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.RateLimitResult;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
 * <p><b>Concurrent decisions share a script call.</b> When decisions arrive while two calls of this limiter are on
 * their way to Redis, they wait for one of them to answer and then go together in one {@code EVALSHA} of a second
 * script that decides each of them in turn, exactly as separate calls in that order would (each atomic, two on one key
 * see each other), and answers one reply per decision; the round trip's cost in this JVM and in Redis is then shared.
 * Nothing waits on a timer to fill a batch: a decision that finds fewer than two calls in flight is sent at once,
 * alone, with the one-decision script, so a lone caller keeps one round trip and its latency. At most two calls per
 * limiter (with Redis Cluster: per hash slot, since only keys of one slot can share a script) are in flight (two, so
 * that Redis works on one while this JVM writes or reads the other), each with at most {@link Builder#maxBatch}
 * decisions; {@code maxBatch(1)} sends every decision alone and pipelines them instead. The decisions of one call see
 * one reading of Redis's {@code TIME}.
 *
 * <p><b>Failures.</b> Each decision has a timeout ({@link Builder#timeout}); when Redis errs or does not
 * answer in time the {@link FailureMode} answers, a warning is logged once per outage and the
 * {@link RedisHealthListener} is told; while failing, one call per probe interval tries Redis again, the others
 * are answered at once. No call ever blocks longer than the timeout; a decision that waits for a batch counts
 * its wait in its timeout, and a decision whose timeout has passed before its batch is sent is not sent.
 *
 * <p>Thread-safe; concurrent calls share script calls as above (or, with {@code maxBatch(1)}, are pipelined
 * on the one connection). A blocking call waits for its reply in its own thread with no timer; the reply is
 * parsed there. The connection's I/O thread only splits a batch's reply among its decisions.
 */
public final class RedisGcraLimiter implements KeyedRateLimiter<String> {

  /** The largest per-quota tolerance {@code capacity * T} in script units: 2^52, so sums stay below 2^53. */
  static final long MAX_DVT_UNITS = 1L << 52;

  /** The script's body; each limiter prepends its quotas as constants ({@link #quotaHeader}). */
  private static final LuaScript SCRIPT_BODY = LuaScript.resource("gcra.lua");
  /** The tail of the one-decision script (see gcra.lua). */
  static final String SINGLE = "\nlocal clock = ARGV[3]\n"
      + "local now\n"
      + "if clock then now = tonumber(clock) else now = redis_now() end\n"
      + "return decide(0, tonumber(ARGV[1]), ARGV[2] == '1', now, clock)\n";
  /** The tail of the batch script (see gcra.lua). */
  static final String BATCH = "\nlocal clock = ARGV[1]\n"
      + "local now\n"
      + "if clock == '' then clock = nil; now = redis_now() else now = tonumber(clock) end\n"
      + "local out = {}\n"
      + "for j = 1, (#ARGV - 1) / 2 do\n"
      + "  out[j] = decide((j - 1) * N, tonumber(ARGV[2 * j]), ARGV[2 * j + 1] == '1', now, clock)\n"
      + "end\n"
      + "return out\n";
  private static final int SLOTS = 16384;
  /** Calls of one batcher in flight at once (2 beat 1 at 8 and 64 callers, benchmarks/README.md). */
  private static final int MAX_IN_FLIGHT = 2;
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
  private final LuaScript batchScript;
  private final int maxBatch;
  /** The batcher of a standalone Redis, or null with Redis Cluster or maxBatch 1. */
  private final Batcher batcher;
  /** With Redis Cluster and maxBatch > 1: one batcher per hash slot, made on first use. */
  private final AtomicReferenceArray<Batcher> slotBatchers;

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
    LuaScript body = SCRIPT_BODY.prepend(quotaHeader(interval, quotas, shift));
    this.script = body.append(SINGLE);
    this.batchScript = body.append(BATCH);
    this.maxBatch = b.maxBatch;
    boolean cluster = redis instanceof RedisAdvancedClusterAsyncCommands;
    this.batcher = maxBatch > 1 && !cluster ? new Batcher() : null;
    this.slotBatchers = maxBatch > 1 && cluster ? new AtomicReferenceArray<>(SLOTS) : null;
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
    Batcher batch = nowMicros < 0 ? batcher(key) : null;
    if (batch != null) {
      Pending p = new Pending(key, units, partial);
      long deadline = System.nanoTime() + timeoutNanos;
      batch.submit(p);
      try {
        RateLimitResult result = parse(awaitReply(p, deadline), units);
        health.success();
        return result;
      } catch (RuntimeException e) {
        health.failure(e, failureMode);
        return fallback(key, units, partial);
      }
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
    Batcher batch = nowMicros < 0 ? batcher(key) : null;
    CompletableFuture<?> reply;
    Pending pending = null;
    if (batch != null) {
      pending = new Pending(key, units, partial);
      reply = pending.reply;
    } else {
      try {
        reply = script.run(redis, keys(key), args(units, partial, nowMicros));
      } catch (RuntimeException e) {
        reply = CompletableFuture.failedFuture(e);
      }
    }
    // the timeout is set before the decision is queued, so that it counts the wait for a batch
    CompletableFuture<RateLimitResult> answer =
        reply.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).handle((r, ex) -> {
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
    if (pending != null) {
      Pending p = pending;
      p.reply.whenComplete((r, ex) -> {
        if (ex != null) {
          p.abandon(); // timed out: release its batch if that never answered
        }
      });
      batch.submit(p);
    }
    return answer;
  }

  /** The batcher for {@code key}, or null when decisions are sent alone. */
  private Batcher batcher(String key) {
    if (batcher != null || slotBatchers == null) {
      return batcher;
    }
    int slot = SlotHash.getSlot(prefix + "{" + key + keySuffix[0]);
    Batcher b = slotBatchers.get(slot);
    if (b == null) {
      slotBatchers.compareAndSet(slot, null, new Batcher());
      b = slotBatchers.get(slot);
    }
    return b;
  }

  /**
   * Waits in the calling thread for a batched decision's reply until {@code deadline} (System.nanoTime());
   * not interruptible, like {@link LuaScript#call}. On timeout the decision is abandoned.
   */
  private static Object awaitReply(Pending p, long deadline) {
    boolean interrupted = false;
    try {
      for (;;) {
        try {
          return p.reply.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw cause instanceof RuntimeException ? (RuntimeException) cause : new CompletionException(cause);
        } catch (TimeoutException e) {
          p.reply.completeExceptionally(e);
          p.abandon();
          throw new CompletionException(e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One decision waiting for (or in) a batch; its reply is the script's reply to it, or Redis's error. */
  private static final class Pending {
    final String key;
    final long units;
    final boolean partial;
    final CompletableFuture<Object> reply = new CompletableFuture<>();
    /** The call that carries it, once sent. */
    volatile InFlight call;

    Pending(String key, long units, boolean partial) {
      this.key = key;
      this.units = units;
      this.partial = partial;
    }

    /** Its caller gave up (timeout): if its call has not answered, that call no longer holds the batcher. */
    void abandon() {
      InFlight c = call;
      if (c != null) {
        c.release();
      }
    }
  }

  /** A script call in flight; released once, when it answers or when one of its callers times out. */
  private static final class InFlight extends AtomicBoolean {
    private static final long serialVersionUID = 1L;
    private final transient Batcher owner;

    InFlight(Batcher owner) {
      this.owner = owner;
    }

    void release() {
      if (compareAndSet(false, true)) {
        owner.inFlight.decrementAndGet();
        owner.drain();
      }
    }
  }

  /**
   * Coalesces concurrent decisions: a decision is queued; if fewer than MAX_IN_FLIGHT calls are in flight it
   * is sent at once (alone), otherwise the next call takes every queued decision (at most maxBatch) as soon as
   * one in flight answers. Lock-free: a CAS on the in-flight count decides who sends; whoever frees a slot
   * (the reply, on Lettuce's I/O thread, or a timed-out caller) drains the queue again, so no queued decision
   * is left behind.
   */
  private final class Batcher {
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    final AtomicInteger inFlight = new AtomicInteger();

    void submit(Pending p) {
      queue.add(p);
      drain();
    }

    void drain() {
      while (!queue.isEmpty()) {
        int f = inFlight.get();
        if (f >= MAX_IN_FLIGHT) {
          return;
        }
        if (!inFlight.compareAndSet(f, f + 1)) {
          continue;
        }
        List<Pending> batch = new ArrayList<>(Math.min(maxBatch, 16));
        Pending p;
        while (batch.size() < maxBatch && (p = queue.poll()) != null) {
          if (!p.reply.isDone()) { // not timed out while queued
            batch.add(p);
          }
        }
        if (batch.isEmpty()) {
          inFlight.decrementAndGet();
          continue;
        }
        send(batch);
      }
    }

    private void send(List<Pending> batch) {
      InFlight call = new InFlight(this);
      for (Pending p : batch) {
        p.call = call;
      }
      CompletableFuture<List<Object>> reply;
      try {
        if (batch.size() == 1) {
          Pending p = batch.get(0);
          reply = script.run(redis, keys(p.key), args(p.units, p.partial, -1));
        } else {
          reply = batchScript.run(redis, batchKeys(batch), batchArgs(batch, -1));
        }
      } catch (RuntimeException e) {
        reply = CompletableFuture.failedFuture(e);
      }
      reply.whenComplete((r, ex) -> {
        call.release(); // the next batch goes out before this one's callers are woken
        for (int j = 0; j < batch.size(); j++) {
          Pending p = batch.get(j);
          if (ex != null) {
            p.reply.completeExceptionally(ex);
          } else if (batch.size() == 1) {
            p.reply.complete(r);
          } else if (j < r.size()) {
            p.reply.complete(r.get(j));
          } else {
            p.reply.completeExceptionally(new IllegalStateException("unexpected batch reply " + r));
          }
        }
      });
      // a caller may have timed out between being taken and its call being set: it abandoned nothing then
      for (Pending p : batch) {
        if (p.reply.isCompletedExceptionally()) {
          call.release();
          break;
        }
      }
    }
  }

  private String[] batchKeys(List<Pending> batch) {
    int n = keySuffix.length;
    String[] keys = new String[batch.size() * n];
    for (int j = 0; j < batch.size(); j++) {
      System.arraycopy(keys(batch.get(j).key), 0, keys, j * n, n);
    }
    return keys;
  }

  private static String[] batchArgs(List<Pending> batch, long nowMicros) {
    String[] args = new String[1 + 2 * batch.size()];
    args[0] = nowMicros < 0 ? "" : Long.toString(nowMicros);
    for (int j = 0; j < batch.size(); j++) {
      Pending p = batch.get(j);
      args[1 + 2 * j] = Long.toString(Math.min(p.units, 1L << 53));
      args[2 + 2 * j] = PARTIAL[p.partial ? 1 : 0];
    }
    return args;
  }

  /**
   * Test-only: the decisions {@code (key, units, partial)} in one batch script call at the test clock
   * {@code nowMicros}, waiting at most the timeout; the results in order.
   */
  List<RateLimitResult> decideBatchAt(List<String> keys, long[] units, boolean[] partial, long nowMicros) {
    List<Pending> batch = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      batch.add(new Pending(keys.get(j), units[j], partial[j]));
    }
    List<Object> r = batchScript.call(redis, batchKeys(batch), batchArgs(batch, nowMicros), timeoutNanos);
    List<RateLimitResult> out = new ArrayList<>();
    for (int j = 0; j < batch.size(); j++) {
      out.add(parse(r.get(j), units[j]));
    }
    return out;
  }

  /**
   * The script's reply to a decision of {@code units}: seven integers, or one (see gcra.lua); one integer
   * comes as a {@code Long} in a batch's reply and as a list of one from the one-decision script.
   */
  @SuppressWarnings("unchecked")
  private RateLimitResult parse(Object reply, long units) {
    List<Object> r = reply instanceof List ? (List<Object>) reply : null;
    if (r == null || r.size() == 1) {
      // one quota, unit 1 us, not partial: the excess after an admission (granted = units), or -(excess + 1)
      long x = (Long) (r == null ? reply : r.get(0));
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
    private int maxBatch = 64;

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
     * Sets the most decisions of concurrent callers sent in one script call (default 64; see the class
     * comment). {@code 1} sends every decision in its own call, pipelined on the connection.
     *
     * @throws IllegalArgumentException if {@code < 1} or {@code > 1000}
     * @param decisions the most decisions per script call
     * @return this builder
     */
    public Builder maxBatch(int decisions) {
      if (decisions < 1 || decisions > 1000) {
        throw new IllegalArgumentException("maxBatch must be between 1 and 1000, was " + decisions);
      }
      this.maxBatch = decisions;
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
