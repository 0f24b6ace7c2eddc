package dev.throttle.sim.strategy;

import dev.throttle.core.strategy.InProcessSharedThrottleState;
import dev.throttle.core.strategy.SharedStateStrategy;
import dev.throttle.core.strategy.ThrottleStrategy;

import java.util.Objects;

/**
 * Simulates a client fleet on one API token: every strategy instance (one per simulated process, i.e. per
 * {@code --share K} clients) is the inner strategy wrapped in {@link SharedStateStrategy}, and all instances
 * of one run coordinate through one {@link InProcessSharedThrottleState} that models a remote state's round
 * trip (every slot reservation costs it). The state is fresh for every run ({@link #forRun()}).
 */
public final class FleetStrategyFactory implements StrategyFactory {

  private final StrategyFactory inner;
  private final long roundTripNanos;
  private final InProcessSharedThrottleState state;

  private FleetStrategyFactory(StrategyFactory inner, long roundTripNanos) {
    this.inner = inner;
    this.roundTripNanos = roundTripNanos;
    this.state = InProcessSharedThrottleState.withRoundTrip(roundTripNanos);
  }

  /**
   * Returns a fleet of {@code inner} instances sharing state at the given round-trip cost.
   *
   * @throws IllegalArgumentException if {@code roundTripNanos < 0}
   */
  public static FleetStrategyFactory of(StrategyFactory inner, long roundTripNanos) {
    return new FleetStrategyFactory(Objects.requireNonNull(inner, "inner"), roundTripNanos);
  }

  @Override
  public ThrottleStrategy create(long seed, long initialSleepNanos) {
    return SharedStateStrategy.wrap(inner.create(seed, initialSleepNanos), state);
  }

  @Override
  public StrategyFactory forRun() {
    return new FleetStrategyFactory(inner, roundTripNanos);
  }
}
