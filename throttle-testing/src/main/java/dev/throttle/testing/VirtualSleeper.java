package dev.throttle.testing;

import dev.throttle.core.time.Sleeper;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Sleeper} that waits in virtual time: instead of parking the thread it advances a
 * {@link ManualNanoClock} by the requested nanoseconds and returns at once. Pair it with the same clock as the
 * runner's or interceptor's clock, and a test that waits minutes runs in microseconds.
 *
 * <p>It records the total and the last requested wait (nanoseconds) so tests can assert on them. It honours
 * interrupts like a real sleeper: a thread whose interrupt flag is set gets {@link InterruptedException} (flag
 * cleared) and the clock does not move.
 *
 * <p>Thread-safe; concurrent sleeps each advance the shared clock by their own amount.
 */
public final class VirtualSleeper implements Sleeper {

  private final ManualNanoClock clock;
  private final AtomicLong totalNanos = new AtomicLong();
  private final AtomicLong lastNanos = new AtomicLong();

  /**
   * Creates a sleeper that advances {@code clock}.
   * @param clock the clock to advance
   */
  public VirtualSleeper(ManualNanoClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void sleep(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    lastNanos.set(nanos);
    totalNanos.addAndGet(nanos);
    clock.advance(nanos);
  }

  /**
   * Returns the sum of every wait so far, in nanoseconds.
   * @return the sum of every wait so far, in nanoseconds
   */
  public long totalNanos() {
    return totalNanos.get();
  }

  /**
   * Returns the last wait requested, in nanoseconds (0 before the first).
   * @return the last wait requested, in nanoseconds (0 before the first)
   */
  public long lastNanos() {
    return lastNanos.get();
  }

  /**
   * Returns the clock this sleeper advances.
   * @return the clock this sleeper advances
   */
  public ManualNanoClock clock() {
    return clock;
  }
}
