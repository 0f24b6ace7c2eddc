package dev.throttle.okhttp;

import java.util.concurrent.TimeUnit;

/** Blocks the calling thread; replaced in tests to record or virtualise waits. */
@FunctionalInterface
interface Sleeper {

  /** The real thing: {@link TimeUnit#sleep}, which throws as soon as the thread is interrupted. */
  Sleeper SYSTEM = TimeUnit.NANOSECONDS::sleep;

  /** Blocks for about {@code nanos} ({@code > 0}); may return early; throws if interrupted. */
  void sleep(long nanos) throws InterruptedException;
}
