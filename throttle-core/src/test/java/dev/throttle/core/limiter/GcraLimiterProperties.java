package dev.throttle.core.limiter;

import dev.throttle.testing.ManualNanoClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Properties of {@link GcraLimiter} over the whole parameter range, checked against a BigInteger model. */
class GcraLimiterProperties {

  /** How a step calls the limiter. */
  enum Mode { ACQUIRE, AT_MOST, CONSUME, HOLDER }

  /** One call: wait {@code gapEighths/8} of the smallest emission interval (+ jitter ns), then call. */
  record Step(int gapEighths, int jitter, int costKind, long costRandom, Mode mode) {}

  static final long MAX_GAP = 1L << 55;

  /**
   * How far past the limiter's construction a run may drive the clock: readings must lie within 2^62 ns of
   * each other and of the construction reading (GcraLimiter javadoc). Beyond 2^63 ns a difference of readings
   * is meaningless ({@link dev.throttle.core.time.NanoClock}), and a coarse-unit quota then sees time jump back.
   */
  static final long MAX_SPAN = 1L << 62;

  // ------------------------------------------------------------------ generators

  static Arbitrary<Long> logUniform(int maxExponent, long max) {
    return Arbitraries.integers().between(0, maxExponent)
        .flatMap(e -> Arbitraries.longs().between(Math.min(1L << e, max),
            e >= 62 ? max : Math.min((1L << (e + 1)) - 1, max)));
  }

  /** Any rate from 1 per 292 years to 1e9/s (emission interval 1 ns .. 2^62 ns), any capacity. */
  static Arbitrary<Quota> anyQuota() {
    Arbitrary<Long> interval = logUniform(62, Long.MAX_VALUE / 2);
    Arbitrary<Long> count = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(1L)),
        Tuple.of(1, Arbitraries.longs().between(2, 1000)));
    Arbitrary<Long> extra = Arbitraries.longs().between(0, 999);
    Arbitrary<Long> capacity = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(1, 5)),
        Tuple.of(1, logUniform(31, Quota.MAX_CAPACITY)),
        Tuple.of(1, Arbitraries.just(Quota.MAX_CAPACITY)));
    return Combinators.combine(interval, count, extra, capacity).as((t, n, x, c) -> {
      long cnt = t > (Long.MAX_VALUE - 1000) / n ? 1 : n;
      long period = t * cnt + Math.min(x, cnt - 1);
      return Quota.of(Rate.of(cnt, Duration.ofNanos(period)), c);
    });
  }

  static boolean exact(Quota q) {
    return q.rate().emissionIntervalNanos() <= Gcra.MAX_DVT / q.capacity();
  }

  @Provide
  Arbitrary<List<Quota>> exactQuotas() {
    return quotaLists(anyQuota().filter(GcraLimiterProperties::exact));
  }

  @Provide
  Arbitrary<List<Quota>> anyQuotas() {
    return quotaLists(anyQuota());
  }

  private static Arbitrary<List<Quota>> quotaLists(Arbitrary<Quota> quota) {
    return quota.list().ofMinSize(1).ofMaxSize(3).map(qs -> {
      List<Quota> named = new ArrayList<>();
      for (int i = 0; i < qs.size(); i++) {
        named.add(Quota.of("q" + i, qs.get(i).rate(), qs.get(i).capacity()));
      }
      return named;
    });
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step = Combinators.combine(
        Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0)), Tuple.of(5, Arbitraries.integers().between(0, 24))),
        Arbitraries.integers().between(-2, 2),
        Arbitraries.integers().between(0, 7),
        Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.of(Mode.class)).as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<Long> clockStart() {
    return Arbitraries.oneOf(Arbitraries.longs(),
        Arbitraries.longs().between(Long.MAX_VALUE - 1_000_000_000_000L, Long.MAX_VALUE),
        Arbitraries.longs().between(Long.MIN_VALUE, Long.MIN_VALUE + 1_000_000_000L),
        Arbitraries.just(0L));
  }

  @Provide
  Arbitrary<Long> initialRemaining() {
    return Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.just(0L), Arbitraries.longs().between(0, 5));
  }

  // ------------------------------------------------------------------ driver

  static long minCapacity(List<Quota> quotas) {
    return quotas.stream().mapToLong(Quota::capacity).min().orElseThrow();
  }

  static long minInterval(List<Quota> quotas) {
    return quotas.stream().mapToLong(q -> q.rate().emissionIntervalNanos()).min().orElseThrow();
  }

  static long cost(Step s, long capacity) {
    switch (s.costKind()) {
      case 0: return 0;
      case 1: case 2: return 1;
      case 3: return Math.min(2, capacity);
      case 4: return capacity;
      case 5: return capacity + 1;
      case 6: return Math.max(capacity - 1, 0);
      default: return s.costRandom() % (capacity + 1);
    }
  }

  static long gap(Step s, long minInterval) {
    BigInteger g = BigInteger.valueOf(minInterval).multiply(BigInteger.valueOf(s.gapEighths())).shiftRight(3)
        .add(BigInteger.valueOf(s.jitter())).max(BigInteger.ZERO);
    return g.min(BigInteger.valueOf(MAX_GAP)).longValueExact();
  }

  static GcraLimiter build(List<Quota> quotas, long start, long initialRemaining) {
    GcraLimiter.Builder b = GcraLimiter.builder().clock(new ManualNanoClock(start));
    quotas.forEach(b::quota);
    if (initialRemaining >= 0) {
      b.initialRemaining(Math.min(initialRemaining, minCapacity(quotas)));
    }
    return b.build();
  }

  /** Calls the limiter in the step's mode; CONSUME is checked against a peek-free decision only. */
  static RateLimitResult call(GcraLimiter l, Step s, long cost, long now) {
    switch (s.mode()) {
      case AT_MOST:
        return l.tryAcquireAtMost(cost, now);
      case HOLDER: {
        MutableRateLimitResult h = new MutableRateLimitResult();
        boolean ok = l.tryAcquire(cost, now, h);
        assertEquals(ok, h.allowed());
        return h.toResult();
      }
      default:
        return l.tryAcquire(cost, now);
    }
  }

  /** Admitted units at each time, per run; checks admitted(i..j) <= C + (t_j - t_i)/T for every quota. */
  static void assertWindowBound(List<Quota> quotas, List<BigInteger> times, List<Long> admitted) {
    for (Quota q : quotas) {
      BigInteger t = BigInteger.valueOf(q.rate().emissionIntervalNanos());
      BigInteger dvt = t.multiply(BigInteger.valueOf(q.capacity()));
      for (int i = 0; i < times.size(); i++) {
        BigInteger sum = BigInteger.ZERO;
        for (int j = i; j < times.size(); j++) {
          sum = sum.add(BigInteger.valueOf(admitted.get(j)));
          BigInteger allowance = dvt.add(times.get(j).subtract(times.get(i)));
          assertTrue(sum.multiply(t).compareTo(allowance) <= 0,
              () -> "over-admitted " + q + " between steps: " + times + " " + admitted);
        }
      }
    }
  }

  // ------------------------------------------------------------------ properties

  /** (b) Every figure of every step equals the reference model of GCRA virtual scheduling. */
  @Property
  void agreesWithReferenceModel(@ForAll("exactQuotas") List<Quota> quotas, @ForAll("steps") List<Step> steps,
      @ForAll("clockStart") long start, @ForAll("initialRemaining") long initial) {
    GcraLimiter l = build(quotas, start, initial);
    long init = initial < 0 ? Long.MAX_VALUE : Math.min(initial, minCapacity(quotas));
    GcraModel model = new GcraModel(quotas, BigInteger.ZERO, init);
    long minT = minInterval(quotas);
    long capacity = minCapacity(quotas);
    long offset = 0;
    for (Step s : steps) {
      offset += gap(s, minT);
      long now = start + offset;
      long cost = cost(s, capacity);
      if (s.mode() == Mode.CONSUME) {
        GcraModel.Expected e = model.step(cost, BigInteger.valueOf(offset), false);
        assertEquals(e.decision() == Decision.ALLOWED, l.tryConsume(cost, now), () -> "consume " + e);
        continue;
      }
      GcraModel.Expected expected = model.step(cost, BigInteger.valueOf(offset), s.mode() == Mode.AT_MOST);
      RateLimitResult actual = call(l, s, cost, now);
      assertEquals(expected, GcraModel.Expected.of(actual), () -> "step " + s + " cost " + cost);
    }
  }

  /** (a) In any window of w ns at most capacity + w/T units are admitted, for every quota. */
  @Property
  void windowBoundHolds(@ForAll("exactQuotas") List<Quota> quotas, @ForAll("steps") List<Step> steps,
      @ForAll("clockStart") long start, @ForAll("initialRemaining") long initial) {
    runAndCheckBound(quotas, steps, start, initial);
  }

  /**
   * (d) No overflow over the whole range (1 per 292 years .. 1e9/s, capacity up to 2^31-1, coarse internal
   * units, any clock start): every result is internally consistent and the window bound still holds.
   */
  @Property
  void noOverflowAnywhere(@ForAll("anyQuotas") List<Quota> quotas, @ForAll("steps") List<Step> steps,
      @ForAll("clockStart") long start, @ForAll("initialRemaining") long initial) {
    runAndCheckBound(quotas, steps, start, initial);
  }

  private static void runAndCheckBound(List<Quota> quotas, List<Step> steps, long start, long initial) {
    GcraLimiter l = build(quotas, start, initial);
    long minT = minInterval(quotas);
    long capacity = minCapacity(quotas);
    List<BigInteger> times = new ArrayList<>();
    List<Long> admitted = new ArrayList<>();
    long offset = 0;
    for (Step s : steps) {
      offset += gap(s, minT);
      long now = start + offset;
      long cost = cost(s, capacity);
      long granted;
      if (s.mode() == Mode.CONSUME) {
        granted = l.tryConsume(cost, now) ? cost : 0;
      } else {
        RateLimitResult r = call(l, s, cost, now); // RateLimitResult.of validates ranges and consistency
        granted = r.granted();
        assertTrue(r.remaining() <= r.limit());
        assertTrue(granted <= cost);
        if (r.allowed() && granted > 0) {
          assertTrue(r.remaining() <= r.limit() - granted, r::toString);
          assertTrue(r.resetAfterNanos() >= granted, r::toString);
        }
        if (r.decision() == Decision.ALLOWED && s.mode() != Mode.AT_MOST) {
          assertEquals(cost, granted);
        }
        if (r.decision() == Decision.LIMITED) {
          assertTrue(r.retryAfterNanos() > 0 && r.retryAfterNanos() < RateLimitResult.NEVER
              || r.retryAfterNanos() == Long.MAX_VALUE, r::toString);
        }
        assertEquals(cost > capacity && s.mode() != Mode.AT_MOST, r.decision() == Decision.EXCEEDS_CAPACITY);
      }
      times.add(BigInteger.valueOf(offset));
      admitted.add(granted);
    }
    assertWindowBound(quotas, times, admitted);
  }

  /** (c) A refused request retried exactly after retryAfter is admitted; 1 ns earlier it is refused. */
  @Property
  void retryAfterIsExact(@ForAll("anyQuotas") List<Quota> quotas, @ForAll("steps") List<Step> steps,
      @ForAll("clockStart") long start, @ForAll @LongRange(min = 0, max = 5) long initial,
      @ForAll @IntRange(min = 1, max = 3) int cost) {
    GcraLimiter l = build(quotas, start, initial);
    long capacity = minCapacity(quotas);
    long minT = minInterval(quotas);
    long c = Math.min(cost, capacity);
    long offset = 0;
    for (Step s : steps) {
      offset += gap(s, minT);
      if (offset > MAX_SPAN) {
        return;
      }
      long now = start + offset;
      RateLimitResult r = l.tryAcquire(c, now);
      if (r.decision() == Decision.LIMITED && r.retryAfterNanos() < (1L << 60)) {
        long retry = r.retryAfterNanos();
        if (offset + retry > MAX_SPAN) {
          return; // retrying would leave the span the limiter supports (each refusal may add up to 2^60 ns)
        }
        assertFalse(l.tryConsume(c, now + retry - 1), () -> "admitted 1 ns before retryAfter " + r);
        MutableRateLimitResult h = new MutableRateLimitResult();
        assertTrue(l.tryAcquire(c, now + retry, h), () -> "refused at retryAfter " + r + " then " + h);
        offset += retry;
      }
    }
  }

  /** Partial grants never exceed what an all-or-nothing request could take, and are maximal. */
  @Property
  void partialGrantIsMaximal(@ForAll("exactQuotas") List<Quota> quotas, @ForAll("clockStart") long start,
      @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 8) Integer> costs) {
    GcraLimiter l = build(quotas, start, -1);
    long now = start;
    for (int cost : costs) {
      RateLimitResult peek = l.tryAcquire(0, now);
      RateLimitResult r = l.tryAcquireAtMost(cost, now);
      assertEquals(Math.min(cost, peek.remaining()), r.granted(), () -> peek + " then " + r);
      if (r.granted() < cost) {
        assertFalse(l.tryConsume(1, now), "a partial grant left units that fit");
      }
      now += 1;
    }
  }
}
