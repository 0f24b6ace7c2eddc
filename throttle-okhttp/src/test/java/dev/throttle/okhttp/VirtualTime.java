package dev.throttle.okhttp;

import dev.throttle.testing.ManualNanoClock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;

/**
 * Virtual time for interceptor tests: a {@link ManualNanoClock}, a {@link dev.throttle.core.time.Sleeper} that advances it instead of
 * sleeping, and a network interceptor recording the virtual time at which each attempt was sent.
 */
final class VirtualTime {
  final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
  final List<Long> sendTimes = new CopyOnWriteArrayList<>();
  volatile long slept;

  final dev.throttle.core.time.Sleeper sleeper = nanos -> {
    slept += nanos;
    clock.advance(nanos);
  };

  final Interceptor recorder = chain -> {
    sendTimes.add(clock.nanoTime());
    return chain.proceed(chain.request());
  };

  /** Virtual nanoseconds between attempt i and i+1. */
  long gap(int i) {
    return sendTimes.get(i + 1) - sendTimes.get(i);
  }
}
