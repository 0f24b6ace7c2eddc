package dev.throttle.core.runner;

import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.policy.AttemptVerdict;
import dev.throttle.core.time.NanoClock;
import dev.throttle.core.time.Sleeper;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs requests under a {@link ThrottlePolicy} on the caller's thread, waiting between attempts with a
 * {@link Sleeper}: the {@link ThrottledCall} protocol for synchronous clients.
 *
 * <pre>{@code
 * BlockingThrottleRunner<HttpResponse<String>> runner = BlockingThrottleRunner
 *     .builder(ThrottlePolicy.of(strategy), ResponseAdapter.of(HttpResponse::statusCode, r -> parse(r)))
 *     .build();
 * HttpResponse<String> response = runner.call(() -> send(request));
 * }</pre>
 *
 * <p>A response the policy retries is {@linkplain ResponseAdapter#discard discarded}. On give-up the runner
 * returns the last response (default) or throws {@link dev.throttle.core.policy.ThrottleGiveUpException}, as configured with
 * {@link Builder#onGiveUp}. Exceptions from the request supplier are not retried: they propagate unchanged.
 * If the thread is interrupted during a wait, the runner stops at once, restores the interrupt flag and
 * throws {@link ThrottleInterruptedException}.
 *
 * <p>Immutable and thread-safe: any number of threads may call {@link #call} at once (they share the policy's
 * strategy and retry budget).
 *
 * @param <R> the response type
 */
public final class BlockingThrottleRunner<R> {

  private final ThrottlePolicy policy;
  private final ResponseAdapter<R> adapter;
  private final NanoClock clock;
  private final Sleeper sleeper;
  private final GiveUpAction onGiveUp;

  private BlockingThrottleRunner(Builder<R> b) {
    this.policy = b.policy();
    this.adapter = b.adapter;
    this.clock = b.clock();
    this.sleeper = b.sleeper();
    this.onGiveUp = b.onGiveUp();
  }

  /**
   * Returns a builder.
   *
   * @param <R> the response type
   * @param policy the policy to apply
   * @param adapter reads status and headers of a response
   * @return a builder
   * @throws NullPointerException if an argument is null
   */
  public static <R> Builder<R> builder(ThrottlePolicy policy, ResponseAdapter<R> adapter) {
    return new Builder<>(policy, adapter);
  }

  /**
   * Sends the request {@code attempt} (called once per attempt), waiting and retrying as the policy says.
   *
   * @param attempt sends one attempt and returns its response
   * @return the response to hand to the caller: the first one the strategy accepts, or the last one on give-up
   *     with {@link GiveUpAction#RETURN_LAST_RESPONSE}
   * @throws dev.throttle.core.policy.ThrottleGiveUpException on give-up with {@link GiveUpAction#THROW}
   * @throws ThrottleInterruptedException if the thread is interrupted while waiting (interrupt flag restored)
   * @throws NullPointerException if {@code attempt} is null or returns null
   */
  public R call(Supplier<? extends R> attempt) {
    Objects.requireNonNull(attempt, "attempt");
    ThrottledCall call = policy.newCall(clock.nanoTime());
    while (true) {
      // wait, then re-check right before sending: a later not-before instant may have arrived meanwhile
      for (long delay = call.delayNanos(clock.nanoTime()); delay > 0; delay = call.recheckNanos(clock.nanoTime())) {
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ThrottleInterruptedException(
              policy.name() + ": interrupted while waiting before attempt " + (call.attempts() + 1), e);
        }
      }
      R response = Objects.requireNonNull(attempt.get(), "the request supplier returned null");
      AttemptVerdict verdict = call.onResponse(adapter.status(response), adapter.headers(response), clock.nanoTime());
      if (verdict == AttemptVerdict.DONE) {
        return response;
      }
      if (verdict == AttemptVerdict.GIVE_UP) {
        return onGiveUp.apply(response, adapter::discard, call.giveUp());
      }
      adapter.discard(response);
    }
  }

  /**
   * Returns the policy this runner applies.
   * @return the policy this runner applies
   */
  public ThrottlePolicy policy() {
    return policy;
  }

  /**
   * Builds a {@link BlockingThrottleRunner}: the shared settings of {@link BlockingRunnerBuilder} plus the
   * response adapter. Not thread-safe.
   *
   * @param <R> the response type
   */
  public static final class Builder<R> extends BlockingRunnerBuilder<Builder<R>> {

    private final ResponseAdapter<R> adapter;

    private Builder(ThrottlePolicy policy, ResponseAdapter<R> adapter) {
      super(policy);
      this.adapter = Objects.requireNonNull(adapter, "adapter");
    }

    /**
     * Returns a new runner with these settings.
     *
     * @return a new runner
     */
    public BlockingThrottleRunner<R> build() {
      return new BlockingThrottleRunner<>(this);
    }
  }
}
