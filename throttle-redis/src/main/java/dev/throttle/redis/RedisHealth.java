package dev.throttle.redis;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outage bookkeeping shared by the Redis components: healthy, or failing since an instant; while failing, one
 * call per probe interval goes to Redis and the others are answered by the failure mode at once, so a slow
 * or dead Redis costs at most one timeout per probe interval instead of one per call.
 */
final class RedisHealth {

  private static final Logger log = LoggerFactory.getLogger(RedisHealth.class);

  private final String component;
  private final RedisHealthListener listener;
  private final long probeIntervalNanos;
  /** 0 when healthy, else System.nanoTime() of the first failure (never 0: forced to 1). */
  private final AtomicLong failingSince = new AtomicLong();
  private final AtomicLong nextProbe = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();

  RedisHealth(String component, RedisHealthListener listener, long probeIntervalNanos) {
    this.component = component;
    this.listener = listener;
    this.probeIntervalNanos = probeIntervalNanos;
  }

  /** True if this call should go to Redis: healthy, or failing and it is this call's turn to probe. */
  boolean shouldTry() {
    if (failingSince.get() == 0) {
      return true;
    }
    long now = System.nanoTime();
    long next = nextProbe.get();
    return now - next >= 0 && nextProbe.compareAndSet(next, now + probeIntervalNanos);
  }

  /** Counts a call answered by the failure mode without trying Redis. */
  void skipped() {
    failedCalls.incrementAndGet();
  }

  void success() {
    long since = failingSince.get();
    if (since != 0 && failingSince.compareAndSet(since, 0)) {
      long down = System.nanoTime() - since;
      long failed = failedCalls.getAndSet(0);
      log.info("{}: Redis answers again after {} ms; {} calls were answered by the failure mode", component,
          down / 1_000_000, failed);
      safe(() -> listener.onRedisUp(component, down, failed));
    }
  }

  void failure(Throwable error, FailureMode mode) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    failedCalls.incrementAndGet();
    long now = System.nanoTime();
    nextProbe.set(now + probeIntervalNanos);
    if (failingSince.get() == 0 && failingSince.compareAndSet(0, now == 0 ? 1 : now)) {
      log.warn("{}: Redis did not answer ({}); answering {} until it does, probing every {} ms", component,
          cause.toString(), mode, probeIntervalNanos / 1_000_000);
      safe(() -> listener.onRedisDown(component, cause));
    }
  }

  boolean failing() {
    return failingSince.get() != 0;
  }

  private void safe(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("{}: RedisHealthListener threw", component, e);
    }
  }
}
