package dev.throttle.bench;

import dev.throttle.core.limiter.MutableRateLimitResult;
import dev.throttle.core.limiter.RateLimitResult;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of one admission decision (cost 1, system clock) for Throttle's GCRA and its peers, on the
 * always-allowing and the always-rejecting path ({@link LimiterState}). Subclasses fix the thread count:
 * {@link LimiterBenchmark1Thread}, {@link LimiterBenchmark2Threads}; with 2 threads both hit the same limiter.
 *
 * <p>Run (the numbers in benchmarks/README.md):
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar 'LimiterBenchmark' -f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc -rf json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class LimiterBenchmark {

  /** A result holder per thread, for the allocation-free path with full figures. */
  @State(Scope.Thread)
  public static class Holder {
    final MutableRateLimitResult result = new MutableRateLimitResult();
  }

  /**
   * {@code GcraLimiter.tryConsume(1)}: decision only; lock-free, allocation-free.
   * @param s the limiters under test
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public boolean gcraTryConsume(LimiterState s) {
    return s.gcra.tryConsume(1);
  }

  /**
   * {@code GcraLimiter.tryAcquire(1, now, holder)}: full figures into a caller-owned holder; allocation-free.
   * @param s the limiters under test
   * @param h the per-thread result holder
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public boolean gcraHolder(LimiterState s, Holder h) {
    return s.gcra.tryAcquire(1, System.nanoTime(), h.result);
  }

  /**
   * {@code GcraLimiter.tryAcquire()}: full figures as an immutable {@link RateLimitResult} (allocates it).
   * @param s the limiters under test
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public RateLimitResult gcraResult(LimiterState s) {
    return s.gcra.tryAcquire();
  }

  /**
   * {@code KeyedGcraLimiter.tryConsume("k", 1)}: one tracked key (a ConcurrentHashMap lookup, then the CAS).
   * @param s the limiters under test
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public boolean keyedTryConsume(LimiterState s) {
    return s.keyed.tryConsume("k", 1);
  }

  /**
   * {@link MinimalGcra}: one AtomicLong CAS and System.nanoTime(); the ceiling.
   * @param s the limiters under test
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public boolean minimalGcra(LimiterState s) {
    return s.minimal.tryAcquire();
  }

  /**
   * Bucket4j 8.14 local bucket, {@code SynchronizationStrategy.LOCK_FREE} (the default), nanosecond clock.
   * @param s the limiters under test
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public boolean bucket4jLockFree(LimiterState s) {
    return s.bucket4jLockFree.tryConsume(1);
  }

  /**
   * Bucket4j 8.14 local bucket, {@code SynchronizationStrategy.SYNCHRONIZED}, nanosecond clock.
   * @param s the limiters under test
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public boolean bucket4jSynchronized(LimiterState s) {
    return s.bucket4jSynchronized.tryConsume(1);
  }

  /**
   * Resilience4j 2.3 {@code AtomicRateLimiter.acquirePermission()} with timeout 0 (never parks).
   * @param s the limiters under test
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public boolean resilience4jAtomic(LimiterState s) {
    return s.resilience4j.acquirePermission();
  }

  /**
   * Guava 33.4 {@code RateLimiter.tryAcquire()} (SmoothBursty, synchronized).
   * @param s the limiters under test
   * @return the outcome, consumed by JMH
   */
  @Benchmark
  public boolean guavaTryAcquire(LimiterState s) {
    return s.guava.tryAcquire();
  }
}
