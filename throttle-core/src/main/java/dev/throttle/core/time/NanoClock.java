package dev.throttle.core.time;

/**
 * A source of monotonic time in integer nanoseconds, the only clock the limiter and the strategies read.
 *
 * <p>Values are only meaningful as differences between two readings of the same clock, as with
 * {@link System#nanoTime()}: they may be negative and may wrap around {@link Long#MAX_VALUE}; all code in
 * this library compares readings by subtraction, never with {@code <} on raw values. Inject a virtual clock
 * in tests and simulations; use {@link #system()} in production.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface NanoClock {

  /**
   * Returns the current reading in nanoseconds.
   * @return the current reading in nanoseconds
   */
  long nanoTime();

  /**
   * Returns the clock backed by {@link System#nanoTime()}.
   * @return the clock backed by {@link System#nanoTime()}
   */
  static NanoClock system() {
    return SystemNanoClock.INSTANCE;
  }
}

/** The {@link System#nanoTime()} clock; an enum so that it is a serializable singleton. */
enum SystemNanoClock implements NanoClock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
