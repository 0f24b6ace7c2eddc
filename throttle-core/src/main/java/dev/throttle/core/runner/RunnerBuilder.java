package dev.throttle.core.runner;

import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.time.NanoClock;

import java.util.Objects;

/**
 * The settings every builder of something that runs a {@link ThrottlePolicy} shares, with the same names
 * everywhere: the {@linkplain #policy() policy}, the {@link #clock(NanoClock) clock} the strategy reads
 * and what to do {@link #onGiveUp(GiveUpAction) on give-up}. {@link BlockingRunnerBuilder} adds the sleeper of
 * runners that wait on the calling thread. Extended by the builders of {@link BlockingThrottleRunner},
 * {@link AsyncThrottleRunner} and the adapters (the OkHttp interceptor, the Resilience4j retry).
 *
 * <p>Each setter checks its argument at once. Not thread-safe.
 *
 * @param <B> the concrete builder type, returned by every setter
 */
public abstract class RunnerBuilder<B extends RunnerBuilder<B>> {

  private ThrottlePolicy policy;
  private NanoClock clock = NanoClock.system();
  private GiveUpAction onGiveUp = GiveUpAction.RETURN_LAST_RESPONSE;

  /**
   * Creates a builder for {@code policy}.
   *
   * @param policy the policy to run
   * @throws NullPointerException if {@code policy} is null
   */
  protected RunnerBuilder(ThrottlePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * Returns this builder as its concrete type.
   *
   * @return this builder
   */
  @SuppressWarnings("unchecked")
  protected final B self() {
    return (B) this;
  }

  /**
   * Sets the monotonic clock the strategy reads (and waits are measured on); default
   * {@link NanoClock#system()}. With a virtual clock, also set a sleeper (or scheduler) that advances it.
   *
   * @param clock the monotonic clock
   * @return this builder
   * @throws NullPointerException if {@code clock} is null
   */
  public B clock(NanoClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Sets what a call that gives up does: return the last response (default,
   * {@link GiveUpAction#RETURN_LAST_RESPONSE}) or discard it and throw ({@link GiveUpAction#THROW}).
   *
   * @param onGiveUp what a call that gives up does
   * @return this builder
   * @throws NullPointerException if {@code onGiveUp} is null
   */
  public B onGiveUp(GiveUpAction onGiveUp) {
    this.onGiveUp = Objects.requireNonNull(onGiveUp, "onGiveUp");
    return self();
  }

  /**
   * Replaces the policy, for builders that let it be changed after creation.
   *
   * @param policy the policy to run
   * @throws NullPointerException if {@code policy} is null
   */
  protected final void replacePolicy(ThrottlePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * Returns the policy to run, for the runner being built.
   *
   * @return the policy
   */
  public final ThrottlePolicy policy() {
    return policy;
  }

  /**
   * Returns the configured clock.
   *
   * @return the clock
   */
  public final NanoClock clock() {
    return clock;
  }

  /**
   * Returns the configured give-up action.
   *
   * @return the give-up action
   */
  public final GiveUpAction onGiveUp() {
    return onGiveUp;
  }
}
