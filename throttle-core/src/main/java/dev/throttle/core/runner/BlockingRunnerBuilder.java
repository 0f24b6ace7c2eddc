package dev.throttle.core.runner;

import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.time.Sleeper;

import java.util.Objects;

/**
 * A {@link RunnerBuilder} for runners that wait on the calling thread ({@link BlockingThrottleRunner}, the
 * OkHttp interceptor, the Resilience4j retry's synchronous path): adds the {@link #sleeper(Sleeper) sleeper}
 * that makes those waits. Not thread-safe.
 *
 * @param <B> the concrete builder type, returned by every setter
 */
public abstract class BlockingRunnerBuilder<B extends BlockingRunnerBuilder<B>> extends RunnerBuilder<B> {

  private Sleeper sleeper = Sleeper.system();

  /**
   * Creates a builder for {@code policy}.
   *
   * @param policy the policy to run
   * @throws NullPointerException if {@code policy} is null
   */
  protected BlockingRunnerBuilder(ThrottlePolicy policy) {
    super(policy);
  }

  /**
   * Sets how the runner waits on the calling thread; default {@link Sleeper#system()}. Tests may pass one
   * that advances a virtual {@link #clock(dev.throttle.core.time.NanoClock) clock}.
   *
   * @param sleeper what waits
   * @return this builder
   * @throws NullPointerException if {@code sleeper} is null
   */
  public B sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return self();
  }

  /**
   * Returns the configured sleeper.
   *
   * @return the sleeper
   */
  public final Sleeper sleeper() {
    return sleeper;
  }
}
