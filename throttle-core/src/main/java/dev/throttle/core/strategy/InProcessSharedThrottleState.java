package dev.throttle.core.strategy;

/**
 * A {@link SharedThrottleState} kept in this process: the strategies that share it (several client instances
 * in one JVM, the simulator's processes) behave as one client. Instants are readings of the callers' common
 * {@link dev.throttle.core.time.NanoClock}, compared by subtraction.
 *
 * <p>Optionally it models a remote state's round trip ({@link #withRoundTrip(long)}, for the simulator):
 * the slot is reserved as of the moment the request reaches the state, half a round trip after the call, and
 * no wait is shorter than the round trip (the caller learns its slot only when the answer comes back).
 *
 * <p>Thread-safe (synchronized: every operation is a few arithmetic steps).
 */
public final class InProcessSharedThrottleState implements SharedThrottleState {

  private final long roundTripNanos;
  private boolean started;
  private long lastSlot;
  private long notBefore;
  private boolean hasNotBefore;
  private volatile long interval;

  private InProcessSharedThrottleState(long roundTripNanos) {
    this.roundTripNanos = roundTripNanos;
  }

  /**
   * Returns a new state with no round-trip cost.
   * @return a new state with no round-trip cost
   */
  public static InProcessSharedThrottleState create() {
    return new InProcessSharedThrottleState(0);
  }

  /**
   * Returns a new state that models a remote one with the given round trip.
   *
   * @throws IllegalArgumentException if {@code roundTripNanos < 0}
   * @param roundTripNanos the round trip in nanoseconds
   * @return a new state that models a remote one with the given round trip
   */
  public static InProcessSharedThrottleState withRoundTrip(long roundTripNanos) {
    if (roundTripNanos < 0) {
      throw new IllegalArgumentException("roundTripNanos must be >= 0, was " + roundTripNanos);
    }
    return new InProcessSharedThrottleState(roundTripNanos);
  }

  @Override
  public synchronized long reserveSlot(long nowNanos, long minDelayNanos) {
    long slot = nowNanos + roundTripNanos;
    if (hasNotBefore && notBefore - slot > 0) {
      slot = notBefore;
    }
    if (started && lastSlot + interval - slot > 0) {
      slot = lastSlot + interval;
    }
    started = true;
    lastSlot = slot; // the fleet's own spacing: a process's longer own wait does not hold the others back
    return Math.max(slot - nowNanos, Math.max(minDelayNanos, roundTripNanos));
  }

  @Override
  public synchronized void learn(long nowNanos, long holdOffNanos, long intervalNanos) {
    long at = nowNanos + roundTripNanos / 2;
    if (holdOffNanos > 0) {
      long nb = at + holdOffNanos;
      if (!hasNotBefore || nb - notBefore > 0) {
        notBefore = nb;
        hasNotBefore = true;
      }
    }
    if (intervalNanos >= 0) {
      interval = intervalNanos;
    }
  }

  @Override
  public long intervalNanos() {
    return interval;
  }

  @Override
  public String toString() {
    return "InProcessSharedThrottleState[roundTrip=" + roundTripNanos + "ns, interval=" + interval + "ns]";
  }
}
