package dev.throttle.testing;

import dev.throttle.core.time.NanoClock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NanoClock} that only moves when told to: for tests and simulations that drive time themselves.
 *
 * <p>Thread-safe.
 */
public final class ManualNanoClock implements NanoClock {

  private final AtomicLong now;

  /**
   * Creates a clock reading {@code startNanos}.
   * @param startNanos the initial reading in nanoseconds
   */
  public ManualNanoClock(long startNanos) {
    this.now = new AtomicLong(startNanos);
  }

  /** Creates a clock reading 0. */
  public ManualNanoClock() {
    this(0);
  }

  @Override
  public long nanoTime() {
    return now.get();
  }

  /**
   * Sets the reading; any value, including one before the current reading.
   * @param nanos the new reading in nanoseconds
   */
  public void set(long nanos) {
    now.set(nanos);
  }

  /**
   * Advances the reading by {@code nanos} (wrapping like {@link System#nanoTime()}) and returns the new one.
   * @param nanos nanoseconds to advance by (may be negative)
   * @return the new reading in nanoseconds
   */
  public long advance(long nanos) {
    return now.addAndGet(nanos);
  }

  /**
   * Advances the reading by {@code duration} and returns the new one.
   * @param duration how much to advance by
   * @return the new reading in nanoseconds
   */
  public long advance(Duration duration) {
    return advance(duration.toNanos());
  }
}
