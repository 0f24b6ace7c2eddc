package dev.throttle.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The smallest correct lock-free GCRA: one {@link AtomicLong} TAT, one CAS, {@link System#nanoTime()} per call,
 * cost 1 only, no figures, no overflow handling beyond wrapping subtraction. The practical ceiling for
 * {@code GcraLimiter.tryConsume}.
 */
final class MinimalGcra {

  private final long interval;
  private final long tolerance;
  private final AtomicLong tat;

  MinimalGcra(long intervalNanos, long capacity) {
    this.interval = intervalNanos;
    this.tolerance = intervalNanos * capacity;
    this.tat = new AtomicLong(System.nanoTime() - tolerance);
  }

  boolean tryAcquire() {
    long now = System.nanoTime();
    for (;;) {
      long current = tat.get();
      long base = current - now > 0 ? current : now;
      long next = base + interval;
      if (next - now > tolerance) {
        return false;
      }
      if (tat.compareAndSet(current, next)) {
        return true;
      }
    }
  }
}
