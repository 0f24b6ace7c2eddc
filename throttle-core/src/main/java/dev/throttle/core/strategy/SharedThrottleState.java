package dev.throttle.core.strategy;

/**
 * Throttle state shared by every process of a client fleet that uses one API token, so that the fleet behaves
 * as one client: one schedule of send slots, one not-before instant, one learned rate. Used by
 * {@link SharedStateStrategy}; {@link InProcessSharedThrottleState} keeps it in this process (tests, the
 * simulator, several clients in one JVM), {@code dev.throttle.redis.RedisSharedThrottleState} in Redis.
 *
 * <p><b>Protocol.</b> All times cross this interface as durations relative to the caller's {@code nowNanos},
 * because processes do not share a clock: an implementation backed by a server uses its own clock and reads
 * {@code nowNanos} only as "the moment of this call". The state is three values:
 * <ul>
 *   <li>the <b>last slot</b>: when the fleet's latest reserved send goes out;
 *   <li>the <b>not-before</b> instant: no send before it (from Retry-After or {@code r=0;t});
 *   <li>the <b>interval</b>: the fleet's learned spacing between sends (0 = unknown, no spacing).
 * </ul>
 * {@link #reserveSlot} picks the fleet's slot {@code max(now, notBefore, lastSlot + interval)}, records it as the
 * last slot and returns {@code max(slot - now, minDelay)}: one atomic step (one round trip for a remote state).
 * The caller's own longer wait is not recorded, so one cautious process does not hold the others back.
 *
 * <p>Implementations are thread-safe, never block longer than their configured timeout and never throw for a
 * remote failure (they answer from a local fallback instead).
 */
public interface SharedThrottleState {

  /**
   * Reserves the fleet's next send slot, no earlier than {@code minDelayNanos} from now.
   *
   * @param nowNanos the caller's clock reading
   * @param minDelayNanos the caller's own wait before this send (its local strategy's delay), {@code >= 0}
   * @return the wait from now until the reserved slot, {@code >= minDelayNanos}
   */
  long reserveSlot(long nowNanos, long minDelayNanos);

  /**
   * Tells the fleet what a response taught: nobody sends for {@code holdOffNanos} from now (0 = nothing
   * learned; the not-before instant never moves earlier), and the spacing between sends is
   * {@code intervalNanos} (negative = unchanged).
   * @param nowNanos the caller's clock reading, in nanoseconds
   * @param holdOffNanos the hold off in nanoseconds
   * @param intervalNanos the interval in nanoseconds
   */
  void learn(long nowNanos, long holdOffNanos, long intervalNanos);

  /**
   * Returns the fleet's current interval in nanoseconds, 0 if none was learned (may be a cached reading).
   * @return the fleet's current interval in nanoseconds, 0 if none was learned (may be a cached reading)
   */
  long intervalNanos();
}
