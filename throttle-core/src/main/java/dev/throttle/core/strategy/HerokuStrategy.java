package dev.throttle.core.strategy;

import java.time.Duration;

/**
 * The members shared by the four strategies ported from Heroku's {@code rate_throttle_client}, each a thin
 * public class around one {@link HerokuEngine}: {@link #newCall}, {@link #maxDelayNanos()} and
 * {@link #toString()}; {@link StoredSleep} adds the stored sleep of the three variants that keep one.
 * Thread-safe, as the engine is.
 */
abstract class HerokuStrategy implements ThrottleStrategy {

  final HerokuEngine engine;

  /** @param decrease the stored variants' rule applied after a call's final response; null for none */
  HerokuStrategy(HerokuEngine.Builder<?> b, HerokuEngine.Decrease decrease) {
    this.engine = new HerokuEngine(b, decrease);
  }

  @Override
  public final Call newCall(long nowNanos) {
    return engine.newCall();
  }

  /** Returns the largest delay this strategy can hand out, in nanoseconds. */
  public final long maxDelayNanos() {
    return engine.maxDelayNanos();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }

  /** A variant with a stored sleep {@code S}, waited before every call and updated after each. */
  abstract static class StoredSleep extends HerokuStrategy {

    StoredSleep(HerokuEngine.StoredBuilder<?> b, HerokuEngine.Decrease decrease) {
      super(b, decrease);
    }

    /** Returns the stored sleep {@code S} every call currently starts with, in nanoseconds. */
    public final long storedSleepNanos() {
      return engine.storedSleepNanos();
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + "[sleep=" + Duration.ofNanos(storedSleepNanos()) + "]";
    }
  }
}
