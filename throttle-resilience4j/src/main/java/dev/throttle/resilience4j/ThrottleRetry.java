package dev.throttle.resilience4j;

import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.policy.AttemptVerdict;
import dev.throttle.core.runner.BlockingRunnerBuilder;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.runner.ThrottleInterruptedException;
import dev.throttle.core.time.NanoClock;
import dev.throttle.core.time.Sleeper;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Resilience4j {@link Retry} driven by a Throttle {@link ThrottlePolicy}: the strategy decides which
 * responses to retry and how long to wait (never less than the server's {@code Retry-After}), the policy's
 * limits decide when to give up, and Resilience4j does the waiting, the metrics and the events.
 *
 * <pre>{@code
 * ThrottleRetry<Response> throttle = ThrottleRetry
 *     .builder(ThrottlePolicy.of(strategy), ResponseAdapter.of(Response::code, r -> parse(r), Response::close))
 *     .build();
 * ThrottleRetry.CheckedAttempt<Response, IOException> send =
 *     throttle.decorateCheckedSupplier(() -> client.newCall(request).execute());   // execute() throws IOException
 * throttle.retry().getEventPublisher().onRetry(e -> log.info("retry in {}", e.getWaitInterval()));
 * Response response = send.get();                                                   // throws IOException only
 * }</pre>
 *
 * <p>Calls that throw a checked exception (OkHttp's {@code execute()}, JDK {@code HttpClient.send}) go through
 * {@link #decorateCheckedSupplier} / {@link #executeCheckedSupplier}: the exception type is kept, so the caller
 * catches exactly what the call throws (nothing is wrapped); unchecked ones use {@link #decorateSupplier}.
 *
 * <p>Each decorated invocation starts its own {@link ThrottledCall}; the {@link Retry} asks it whether to retry
 * and how long to wait (milliseconds, rounded up so a retry never precedes {@code Retry-After}), and retried
 * responses are {@linkplain ResponseAdapter#discard discarded}. On give-up the supplier returns the last response
 * or throws {@link ThrottleGiveUpException}, per {@link Builder#onGiveUp}; exceptions from the supplier are not
 * retried. Use {@link #retry()} for Resilience4j's events and metrics. Design and give-up details:
 * {@code docs/okhttp.md} (Resilience4j section).
 *
 * <p>Immutable and thread-safe: decorated suppliers may run on many threads at once.
 *
 * @param <R> the response type
 */
public final class ThrottleRetry<R> {

  private final ThrottlePolicy policy;
  private final ResponseAdapter<R> adapter;
  private final NanoClock clock;
  private final Sleeper sleeper;
  private final GiveUpAction onGiveUp;
  private final Retry retry;

  private ThrottleRetry(Builder<R> b) {
    this.policy = b.policy();
    this.adapter = b.adapter;
    this.clock = b.clock();
    this.sleeper = b.sleeper();
    this.onGiveUp = b.onGiveUp();
    RetryConfig config = RetryConfig.<Object>custom()
        .maxAttempts(policy.maxAttempts())
        .retryOnResult(ThrottleRetry::decide)
        .retryOnException(e -> false)
        .intervalBiFunction(ThrottleRetry::intervalMillis)
        .consumeResultBeforeRetryAttempt(ThrottleRetry::discard)
        .failAfterMaxAttempts(false)
        .build();
    this.retry = Retry.of(b.name == null ? policy.name() : b.name, config);
  }

  /**
   * Returns a builder.
   *
   * @param <R> the response type
   * @param policy the strategy and limits to apply
   * @param adapter reads status and headers from {@code R} and closes discarded responses
   * @return a builder
   * @throws NullPointerException if an argument is null
   */
  public static <R> Builder<R> builder(ThrottlePolicy policy, ResponseAdapter<R> adapter) {
    return new Builder<>(policy, adapter);
  }

  /**
   * Returns the underlying Resilience4j {@link Retry}, for its event publisher and metrics.
   * @return the underlying Resilience4j {@link Retry}, for its event publisher and metrics
   */
  public Retry retry() {
    return retry;
  }

  /**
   * Returns the policy applied.
   * @return the policy applied
   */
  public ThrottlePolicy policy() {
    return policy;
  }

  /**
   * Returns a supplier that sends {@code attempt} (once per attempt) under this retry, waiting on the calling
   * thread.
   *
   * @param attempt sends one attempt and returns its response
   * @return a supplier that sends {@code attempt} under this retry
   * @throws NullPointerException if {@code attempt} is null; the returned supplier throws it if
   *     {@code attempt} returns null
   * @see #executeSupplier
   */
  public Supplier<R> decorateSupplier(Supplier<? extends R> attempt) {
    Objects.requireNonNull(attempt, "attempt");
    return () -> executeSupplier(attempt);
  }

  /**
   * Sends {@code attempt} (once per attempt) under this retry, waiting on the calling thread.
   *
   * @param attempt sends one attempt and returns its response
   * @return the accepted response, or the last one on give-up with {@link GiveUpAction#RETURN_LAST_RESPONSE}
   * @throws ThrottleGiveUpException on give-up with {@link GiveUpAction#THROW}
   * @throws ThrottleInterruptedException if interrupted while waiting (interrupt flag restored)
   */
  public R executeSupplier(Supplier<? extends R> attempt) {
    Objects.requireNonNull(attempt, "attempt");
    Execution<R> execution = new Execution<>(this, policy.newCall(clock.nanoTime()));
    Execution<R> last;
    try {
      last = retry.executeSupplier(() -> sendBlocking(execution, attempt));
    } catch (NullPointerException e) {
      // Resilience4j 2.x rethrows "the last exception" when its wait after a retried *result* is interrupted;
      // there is none, so it throws null. Report the interrupt instead (the flag is already set again).
      if (Thread.currentThread().isInterrupted() && execution.waiting()) {
        InterruptedException interrupt = new InterruptedException("interrupted during a Resilience4j wait");
        interrupt.addSuppressed(e);
        throw new ThrottleInterruptedException(
            policy.name() + ": interrupted while waiting before attempt " + (execution.attempts() + 1), interrupt);
      }
      throw e;
    }
    return last.finish();
  }

  /**
   * A request attempt that may throw a checked exception of type {@code X}, such as
   * {@code () -> client.newCall(request).execute()} with {@code X = IOException}.
   *
   * @param <T> the response type
   * @param <X> the checked exception the attempt throws
   */
  @FunctionalInterface
  public interface CheckedAttempt<T, X extends Exception> {
    /**
     * Sends the request once.
     *
     * @return the response
     * @throws X if the attempt fails
     */
    T get() throws X;
  }

  /**
   * Returns an attempt that sends {@code attempt} (once per attempt) under this retry, waiting on the calling
   * thread, as {@link #executeCheckedSupplier}.
   *
   * @param attempt the request, possibly throwing a checked exception
   * @param <X> the checked exception it throws, passed through unchanged
   * @return the decorated attempt
   * @throws NullPointerException if {@code attempt} is null
   */
  public <X extends Exception> CheckedAttempt<R, X> decorateCheckedSupplier(CheckedAttempt<? extends R, X> attempt) {
    Objects.requireNonNull(attempt, "attempt");
    return () -> executeCheckedSupplier(attempt);
  }

  /**
   * Sends {@code attempt} (once per attempt) under this retry, waiting on the calling thread. An exception the
   * attempt throws is not retried (as with {@link #executeSupplier}): it is rethrown unchanged, with its type.
   *
   * @param attempt the request, possibly throwing a checked exception
   * @param <X> the checked exception it throws
   * @return the accepted response, or the last one on give-up with {@link GiveUpAction#RETURN_LAST_RESPONSE}
   * @throws X what the attempt threw
   * @throws ThrottleGiveUpException on give-up with {@link GiveUpAction#THROW}
   * @throws ThrottleInterruptedException if interrupted while waiting (interrupt flag restored)
   * @throws NullPointerException if {@code attempt} is null
   */
  public <X extends Exception> R executeCheckedSupplier(CheckedAttempt<? extends R, X> attempt) throws X {
    Objects.requireNonNull(attempt, "attempt");
    try {
      return executeSupplier(() -> {
        try {
          return attempt.get();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new CheckedCarrier(e);
        }
      });
    } catch (CheckedCarrier carrier) {
      @SuppressWarnings("unchecked")
      X checked = (X) carrier.getCause(); // only the attempt's own checked exceptions are carried: of type X
      throw checked;
    }
  }

  /** Carries an attempt's checked exception through Resilience4j (which never retries it) to the caller. */
  private static final class CheckedCarrier extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckedCarrier(Exception cause) {
      super(cause.toString(), cause, false, false);
    }
  }

  /** One synchronous attempt: the pacing wait before the first, then the request. */
  private Execution<R> sendBlocking(Execution<R> execution, Supplier<? extends R> attempt) {
    long pacing = execution.pacingDelayNanos();
    if (pacing > 0) {
      try {
        sleeper.sleep(pacing);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ThrottleInterruptedException(policy.name() + ": interrupted while pacing", e);
      }
    }
    return execution.record(attempt.get());
  }

  /**
   * Returns a supplier that sends {@code attempt} (once per attempt) under this retry asynchronously: waits
   * (pacing and retries) are scheduled on {@code scheduler}, never blocking a thread. The stage completes with
   * the accepted response, the last one on give-up, or exceptionally with the {@link ThrottleGiveUpException}
   * (with {@link GiveUpAction#THROW}) or the attempt's failure.
   *
   * @param scheduler where waits are scheduled and retries sent from
   * @param attempt sends one attempt and returns a stage of its response
   * @return a supplier of the asynchronous call under this retry
   * @throws NullPointerException if an argument is null
   */
  public Supplier<CompletionStage<R>> decorateCompletionStage(ScheduledExecutorService scheduler,
      Supplier<? extends CompletionStage<? extends R>> attempt) {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(attempt, "attempt");
    return () -> {
      Execution<R> execution = new Execution<>(this, policy.newCall(clock.nanoTime()));
      Supplier<CompletionStage<Execution<R>>> oneAttempt = () -> {
        long pacing = execution.pacingDelayNanos();
        if (pacing <= 0) {
          return attempt.get().thenApply(execution::record);
        }
        CompletableFuture<R> paced = new CompletableFuture<>();
        scheduler.schedule(() -> {
          try {
            attempt.get().whenComplete((r, e) -> {
              if (e != null) {
                paced.completeExceptionally(e);
              } else {
                paced.complete(r);
              }
            });
          } catch (RuntimeException e) {
            paced.completeExceptionally(e);
          }
        }, pacing, TimeUnit.NANOSECONDS);
        return paced.thenApply(execution::record);
      };
      return Retry.decorateCompletionStage(retry, scheduler, oneAttempt).get().thenApply(Execution::finish);
    };
  }

  /**
   * The retry predicate: records the response in its call; true while the call wants another attempt. Results
   * that are not ours (the {@link Retry} used directly) are accepted as they are.
   */
  private static boolean decide(Object result) {
    return result instanceof Execution<?> execution && execution.decide();
  }

  private static void discard(int attempt, Object result) {
    if (result instanceof Execution<?> execution) {
      execution.discard();
    }
  }

  /** The interval: the call's next wait, rounded up to whole milliseconds. */
  private static long intervalMillis(int attempt, Either<Throwable, Object> outcome) {
    if (outcome.isLeft() || !(outcome.get() instanceof Execution<?> execution)) {
      return -1; // not reached: exceptions and foreign results are never retried
    }
    long nanos = execution.nextDelayNanos();
    return nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1);
  }

  /**
   * One decorated invocation: its {@link ThrottledCall} and the latest response. Resilience4j sees it as the
   * result of every attempt. Used by one attempt at a time.
   */
  private static final class Execution<R> {

    private final ThrottleRetry<R> owner;
    private final ThrottledCall call;
    private R response;
    private AttemptVerdict verdict;
    private boolean waiting;

    Execution(ThrottleRetry<R> owner, ThrottledCall call) {
      this.owner = owner;
      this.call = call;
    }

    /** Before the first attempt: the pacing wait (asked once); afterwards 0 (Resilience4j waited). */
    long pacingDelayNanos() {
      waiting = false;
      return call.attempts() == 0 ? call.delayNanos(owner.clock.nanoTime()) : 0;
    }

    Execution<R> record(R r) {
      this.response = Objects.requireNonNull(r, "the request supplier returned null");
      return this;
    }

    boolean decide() {
      verdict = call.onResponse(owner.adapter.status(response), owner.adapter.headers(response),
          owner.clock.nanoTime());
      return verdict == AttemptVerdict.RETRY
          || verdict == AttemptVerdict.GIVE_UP && call.giveUp().reason() == ThrottleGiveUpException.Reason.MAX_ATTEMPTS;
    }

    long nextDelayNanos() {
      waiting = true;
      return call.delayNanos(owner.clock.nanoTime());
    }

    /** True from the interval function until the next attempt starts: Resilience4j is waiting. */
    boolean waiting() {
      return waiting;
    }

    int attempts() {
      return call.attempts();
    }

    void discard() {
      owner.adapter.discard(response);
    }

    R finish() {
      return verdict == AttemptVerdict.GIVE_UP
          ? owner.onGiveUp.apply(response, owner.adapter::discard, call.giveUp()) : response;
    }
  }

  /**
   * Builds a {@link ThrottleRetry}: the shared settings of {@link BlockingRunnerBuilder} (the sleeper waits
   * only for pacing before the first attempt of the synchronous path; waits between attempts are
   * Resilience4j's) plus the response adapter and the Resilience4j retry's name. Not thread-safe.
   *
   * @param <R> the response type
   */
  public static final class Builder<R> extends BlockingRunnerBuilder<Builder<R>> {

    private final ResponseAdapter<R> adapter;
    private String name;

    private Builder(ThrottlePolicy policy, ResponseAdapter<R> adapter) {
      super(policy);
      this.adapter = Objects.requireNonNull(adapter, "adapter");
    }

    /**
     * Sets the Resilience4j retry's name; default the policy's name.
     *
     * @param name the retry's name
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder<R> name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name must not be empty");
      }
      this.name = name;
      return this;
    }

    /**
     * Returns a new {@link ThrottleRetry} (with a new Resilience4j {@link Retry}).
     *
     * @return a new retry
     */
    public ThrottleRetry<R> build() {
      return new ThrottleRetry<>(this);
    }
  }
}
