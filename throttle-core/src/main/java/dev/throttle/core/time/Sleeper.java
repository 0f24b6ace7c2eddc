package dev.throttle.core.time;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits on behalf of a blocking runner. Pluggable so tests and simulations can wait in virtual time (e.g.
 * {@code nanos -> manualClock.advance(nanos)}).
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@code nanos} nanoseconds ({@code > 0}), or less if interrupted.
   *
   * @param nanos nanoseconds to wait, {@code > 0}
   * @throws InterruptedException if the thread is interrupted before or during the wait (the interrupt flag is
   *     then cleared, as with {@link Thread#sleep})
   */
  void sleep(long nanos) throws InterruptedException;

  /**
   * Returns a sleeper that parks the current thread for the full duration (measured with
   * {@link System#nanoTime()}), parking again after spurious wake-ups, and throws
   * {@link InterruptedException} as soon as the thread is interrupted.
   * @return the system sleeper
   */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}

/** {@link Sleeper#system()}: {@link LockSupport#parkNanos} in a loop until the deadline or an interrupt. */
enum SystemSleeper implements Sleeper {
  INSTANCE;

  @Override
  public void sleep(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    long remaining = nanos;
    while (remaining > 0) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while throttling");
      }
      LockSupport.parkNanos(this, remaining);
      remaining = deadline - System.nanoTime();
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted while throttling");
    }
  }
}
