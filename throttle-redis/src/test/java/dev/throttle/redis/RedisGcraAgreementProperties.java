package dev.throttle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.limiter.GcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.testing.ManualNanoClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The Lua GCRA against the local {@link GcraLimiter} on the same arrival sequences (test-only clock passed into
 * the script, in microseconds), and the window bound with extreme quotas, against a real redis-server.
 */
class RedisGcraAgreementProperties {

  /** A realistic Redis TIME in microseconds (2023-11), so absolute times have their real magnitude. */
  private static final long BASE_MICROS = 1_700_000_000_000_000L;
  private static final AtomicLong KEYS = new AtomicLong();

  record Op(long dtMicros, long cost, boolean partial) {}

  record Case(List<Quota> quotas, List<Op> ops) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Quota> quota = Combinators.combine(
        Arbitraries.longs().between(1, 2_000_000), // T in microseconds (up to 2 s)
        Arbitraries.longs().between(1, 40))
        .as((tUs, c) -> Quota.of(Rate.of(1, Duration.ofNanos(tUs * 1000)), c));
    Arbitrary<List<Quota>> quotas = quota.list().ofMinSize(1).ofMaxSize(3).map(RedisGcraAgreementProperties::named);
    return quotas.flatMap(qs -> {
      long maxT = qs.stream().mapToLong(q -> q.rate().emissionIntervalNanos() / 1000).max().orElse(1);
      Arbitrary<Op> op = Combinators.combine(
          Arbitraries.frequencyOf(
              net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, maxT * 2)),
              net.jqwik.api.Tuple.of(2, Arbitraries.just(0L)),
              net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, maxT * 80))),
          Arbitraries.longs().between(0, 45),
          Arbitraries.of(true, false)).as(Op::new);
      return op.list().ofMinSize(1).ofMaxSize(40).map(ops -> new Case(qs, ops));
    });
  }

  private static List<Quota> named(List<Quota> qs) {
    List<Quota> out = new ArrayList<>();
    for (int i = 0; i < qs.size(); i++) {
      out.add(Quota.of("q" + i, qs.get(i).rate(), qs.get(i).capacity()));
    }
    return out;
  }

  @Property(tries = 250)
  void sameFiguresAsTheLocalLimiter(@ForAll("cases") Case c) {
    ManualNanoClock clock = new ManualNanoClock(0);
    GcraLimiter.Builder lb = GcraLimiter.builder().clock(clock);
    RedisGcraLimiter.Builder rb = RedisGcraLimiter.builder(SharedRedis.connection().commands())
        .timeout(Duration.ofSeconds(5)).failureMode(FailureMode.REFUSE);
    for (Quota q : c.quotas()) {
      lb.quota(q);
      rb.quota(q);
    }
    GcraLimiter local = lb.build();
    RedisGcraLimiter redis = rb.build();
    String key = "agree-" + KEYS.incrementAndGet();
    long t = 0;
    boolean blocking = false;
    for (Op op : c.ops()) {
      t += op.dtMicros();
      RateLimitResult expected = op.partial() ? local.tryAcquireAtMost(op.cost(), t * 1000)
          : local.tryAcquire(op.cost(), t * 1000);
      // both paths, alternately: the asynchronous one and the blocking one (reply parsed in the caller)
      blocking = !blocking;
      RateLimitResult actual = blocking ? redis.decideNow(key, op.cost(), op.partial(), BASE_MICROS + t)
          : redis.decide(key, op.cost(), op.partial(), BASE_MICROS + t).join();
      assertEquals(expected, actual, () -> "at t=" + op + " " + c.quotas());
    }
  }

  /**
   * The batch script (several decisions of concurrent callers in one call) against the local limiter: ops with
   * no time step after the previous one join its batch; decisions alternate between two keys, so a batch
   * holds decisions on one key in a row and on different keys.
   */
  @Property(tries = 200)
  void batchesGiveTheSameFiguresAsTheLocalLimiter(@ForAll("cases") Case c) {
    ManualNanoClock clock = new ManualNanoClock(0);
    RedisGcraLimiter.Builder rb = RedisGcraLimiter.builder(SharedRedis.connection().commands())
        .timeout(Duration.ofSeconds(5)).failureMode(FailureMode.REFUSE);
    List<GcraLimiter> locals = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      GcraLimiter.Builder lb = GcraLimiter.builder().clock(clock);
      c.quotas().forEach(lb::quota);
      locals.add(lb.build());
    }
    c.quotas().forEach(rb::quota);
    RedisGcraLimiter redis = rb.build();
    long id = KEYS.incrementAndGet();
    List<String> names = List.of("batch-" + id + "-a", "batch-" + id + "-b");
    List<Op> ops = c.ops();
    long t = 0;
    int i = 0;
    while (i < ops.size()) {
      t += ops.get(i).dtMicros();
      int end = i + 1;
      while (end < ops.size() && ops.get(end).dtMicros() == 0) {
        end++;
      }
      int m = end - i;
      List<String> keys = new ArrayList<>();
      long[] units = new long[m];
      boolean[] partial = new boolean[m];
      List<RateLimitResult> expected = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        Op op = ops.get(i + j);
        int k = (i + j) % 2;
        keys.add(names.get(k));
        units[j] = op.cost();
        partial[j] = op.partial();
        GcraLimiter local = locals.get(k);
        expected.add(op.partial() ? local.tryAcquireAtMost(op.cost(), t * 1000) : local.tryAcquire(op.cost(), t * 1000));
      }
      List<RateLimitResult> actual = redis.decideBatchAt(keys, units, partial, BASE_MICROS + t);
      long at = t;
      assertEquals(expected, actual, () -> "batch at t=" + at + " " + keys + " " + c.quotas());
      i = end;
    }
  }

  @Provide
  Arbitrary<Quota> extremeQuotas() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.longs().between(1, 10_000), Arbitraries.longs().between(1, 50))
            .as((tUs, cap) -> Quota.of(Rate.of(1, Duration.ofNanos(tUs * 1000 + 1)), cap)),
        Arbitraries.longs().between(1, Quota.MAX_CAPACITY).map(cap -> Quota.of(Rate.of(1, Duration.ofDays(365)), cap)),
        Arbitraries.longs().between(1, Quota.MAX_CAPACITY)
            .map(cap -> Quota.of(Rate.of(1, Duration.ofNanos(Long.MAX_VALUE)), cap)),
        Arbitraries.just(Quota.of(Rate.perSecond(1_000_000), 1)));
  }

  /** In any window of w microseconds the units granted never exceed capacity + w/T, whatever the units. */
  @Property(tries = 150)
  void windowBound(@ForAll("extremeQuotas") Quota q, @ForAll("gaps") List<Long> gapsMicros) {
    RedisGcraLimiter redis = RedisGcraLimiter.builder(SharedRedis.connection().commands())
        .timeout(Duration.ofSeconds(5)).quota(q).failureMode(FailureMode.REFUSE).build();
    String key = "window-" + KEYS.incrementAndGet();
    long cost = Math.min(q.capacity(), 3);
    List<long[]> grants = new ArrayList<>();
    long t = 0;
    for (long gap : gapsMicros) {
      t += gap;
      RateLimitResult r = redis.decide(key, cost, true, BASE_MICROS + t).join();
      if (r.granted() > 0) {
        grants.add(new long[] {t, r.granted()});
      }
      assertTrue(r.remaining() <= q.capacity());
    }
    double tMicros = q.rate().emissionIntervalNanos() / 1000.0;
    for (int i = 0; i < grants.size(); i++) {
      long sum = 0;
      for (int j = i; j < grants.size(); j++) {
        sum += grants.get(j)[1];
        long w = grants.get(j)[0] - grants.get(i)[0];
        assertTrue(sum <= q.capacity() + Math.floor(w / tMicros) + 0, "window " + w + " us admitted " + sum
            + " for " + q);
      }
    }
  }

  @Provide
  Arbitrary<List<Long>> gaps() {
    return Arbitraries.longs().between(0, 30_000).list().ofMinSize(1).ofMaxSize(60);
  }
}
