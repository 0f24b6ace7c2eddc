package dev.throttle.core.runner;

import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.policy.AttemptVerdict;
import dev.throttle.core.time.NanoClock;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs asynchronous requests under a {@link ThrottlePolicy}: the {@link ThrottledCall} protocol for clients
 * that return a {@link CompletionStage}. Waits are {@linkplain ScheduledExecutorService#schedule scheduled}
 * on the given executor, never by parking a thread, so one scheduler thread can keep any number of throttled
 * calls waiting.
 *
 * <pre>{@code
 * AsyncThrottleRunner<HttpResponse<String>> runner = AsyncThrottleRunner
 *     .builder(ThrottlePolicy.of(strategy), adapter, scheduler).build();
 * CompletableFuture<HttpResponse<String>> f = runner.call(() -> client.sendAsync(request, ofString()));
 * }</pre>
 *
 * <p>The first attempt is sent on the calling thread unless pacing asks for a wait; retries are sent from the
 * scheduler. A response the policy retries is {@linkplain ResponseAdapter#discard discarded}. On give-up the
 * returned future completes with the last response (default) or exceptionally with
 * {@link dev.throttle.core.policy.ThrottleGiveUpException}. A failed request stage (or a supplier that throws) completes the future
 * exceptionally with that failure, unwrapped from {@link CompletionException}; it is not retried. Cancelling
 * the returned future cancels a pending wait, and a response that arrives after cancellation is discarded. If
 * the scheduler rejects a wait, the future completes exceptionally with the rejection.
 *
 * <p><b>Which scheduler.</b> {@link #sharedScheduler()} is the library's own: one daemon thread that only
 * starts attempts (it never waits on anything), with {@link ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy
 * remove-on-cancel} on, so a cancelled wait leaves its queue at once. If you pass your own
 * {@link ScheduledThreadPoolExecutor} (or one from {@code Executors.newScheduledThreadPool}), call
 * {@code setRemoveOnCancelPolicy(true)} on it: otherwise every cancelled wait (a cancelled call, a timed-out
 * caller) stays queued, with its call's state, until it would have fallen due.
 *
 * <p>Immutable and thread-safe. The executor is not shut down by this class.
 *
 * @param <R> the response type
 */
public final class AsyncThrottleRunner<R> {

  private final ThrottlePolicy policy;
  private final ResponseAdapter<R> adapter;
  private final ScheduledExecutorService scheduler;
  private final NanoClock clock;
  private final GiveUpAction onGiveUp;

  private AsyncThrottleRunner(Builder<R> b) {
    this.policy = b.policy();
    this.adapter = b.adapter;
    this.scheduler = b.scheduler;
    this.clock = b.clock();
    this.onGiveUp = b.onGiveUp();
  }

  /**
   * Returns a builder.
   *
   * @param policy the policy to run
   * @param adapter reads status and headers from {@code R}, closes discarded responses
   * @param scheduler where waits are scheduled and retries sent from; a {@link ScheduledThreadPoolExecutor}
   *     should have remove-on-cancel on (see the class documentation)
   * @param <R> the response type
   * @return a new builder
   * @throws NullPointerException if an argument is null
   */
  public static <R> Builder<R> builder(ThrottlePolicy policy, ResponseAdapter<R> adapter,
      ScheduledExecutorService scheduler) {
    return new Builder<>(policy, adapter, scheduler);
  }

  /**
   * Returns a builder that schedules on {@link #sharedScheduler()}.
   *
   * @param policy the policy to run
   * @param adapter reads status and headers from {@code R}, closes discarded responses
   * @param <R> the response type
   * @return a new builder
   * @throws NullPointerException if an argument is null
   */
  public static <R> Builder<R> builder(ThrottlePolicy policy, ResponseAdapter<R> adapter) {
    return new Builder<>(policy, adapter, sharedScheduler());
  }

  /**
   * Returns the library's shared scheduler, created on first use: one daemon thread named
   * {@code throttle-scheduler}, with remove-on-cancel on (a cancelled wait is dropped from the queue at once).
   * Its tasks only start attempts, so one thread serves any number of waiting calls. Never shut it down.
   *
   * @return the shared scheduler
   */
  public static ScheduledExecutorService sharedScheduler() {
    return SharedScheduler.INSTANCE;
  }

  /**
   * Returns a new scheduler as the library configures its own: {@code threads} daemon threads named
   * {@code name-N}, remove-on-cancel on. The caller owns it (and shuts it down).
   *
   * @param name the thread name prefix
   * @param threads the number of threads, {@code >= 1}
   * @return a new scheduler
   * @throws IllegalArgumentException if {@code threads < 1}
   * @throws NullPointerException if {@code name} is null
   */
  public static ScheduledThreadPoolExecutor newScheduler(String name, int threads) {
    Objects.requireNonNull(name, "name");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }
    java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Holder of the lazily created shared scheduler. */
  private static final class SharedScheduler {
    static final ScheduledThreadPoolExecutor INSTANCE = newScheduler("throttle-scheduler", 1);

    private SharedScheduler() {}
  }

  /**
   * Starts sending the request {@code attempt} (called once per attempt), waiting and retrying as the policy
   * says.
   *
   * @param attempt sends the request once, returning its stage
   * @return a future of the response to hand to the caller (see the class documentation)
   * @throws NullPointerException if {@code attempt} is null
   */
  public CompletableFuture<R> call(Supplier<? extends CompletionStage<? extends R>> attempt) {
    Objects.requireNonNull(attempt, "attempt");
    Execution execution = new Execution(attempt, policy.newCall(clock.nanoTime()));
    execution.next();
    return execution.result;
  }

  /**
   * Returns the policy this runner applies.
   *
   * @return the policy
   */
  public ThrottlePolicy policy() {
    return policy;
  }

  /** The state of one call; its steps run one at a time (each step starts the next). */
  private final class Execution implements Runnable {

    final CompletableFuture<R> result = new CompletableFuture<>();
    private final Supplier<? extends CompletionStage<? extends R>> attempt;
    private final ThrottledCall call;
    private volatile Future<?> pendingWait;

    Execution(Supplier<? extends CompletionStage<? extends R>> attempt, ThrottledCall call) {
      this.attempt = attempt;
      this.call = call;
      result.whenComplete((r, e) -> {
        Future<?> pending = pendingWait;
        if (result.isCancelled() && pending != null) {
          pending.cancel(false);
        }
      });
    }

    /** Asks for the next delay and sends now or schedules the attempt. */
    void next() {
      try {
        long delay = call.delayNanos(clock.nanoTime());
        if (delay == 0 && call.attempts() == 0) {
          run();
          return;
        }
        schedule(delay);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    private void schedule(long delay) {
      pendingWait = scheduler.schedule(this, delay, TimeUnit.NANOSECONDS);
      if (result.isCancelled()) {
        pendingWait.cancel(false); // cancelled between the check in whenComplete and the assignment
      }
    }

    /** Sends one attempt, unless a not-before instant learned during the wait defers it (the re-check). */
    @Override
    public void run() {
      if (result.isDone()) {
        return;
      }
      CompletionStage<? extends R> stage;
      try {
        long again = call.recheckNanos(clock.nanoTime());
        if (again > 0) {
          schedule(again);
          return;
        }
        stage = Objects.requireNonNull(attempt.get(), "the request supplier returned a null stage");
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      stage.whenComplete(this::onOutcome);
    }

    private void onOutcome(R response, Throwable failure) {
      if (failure != null) {
        result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure);
        return;
      }
      try {
        if (result.isDone()) {
          adapter.discard(response); // cancelled while the attempt was in flight
          return;
        }
        AttemptVerdict verdict =
            call.onResponse(adapter.status(response), adapter.headers(response), clock.nanoTime());
        if (verdict == AttemptVerdict.RETRY) {
          adapter.discard(response);
          next();
        } else {
          complete(verdict == AttemptVerdict.DONE
              ? response : onGiveUp.apply(response, adapter::discard, call.giveUp())); // throws with THROW
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    private void complete(R response) {
      if (!result.complete(response)) {
        adapter.discard(response); // the caller cancelled meanwhile
      }
    }
  }

  /**
   * Builds an {@link AsyncThrottleRunner}: the shared settings of {@link RunnerBuilder} plus the response
   * adapter and the scheduler. The clock defaults to {@link NanoClock#system()}; the scheduler's waits are in
   * real time, so only change it for tests that also control the scheduler. Not thread-safe.
   *
   * @param <R> the response type
   */
  public static final class Builder<R> extends RunnerBuilder<Builder<R>> {

    private final ResponseAdapter<R> adapter;
    private final ScheduledExecutorService scheduler;

    private Builder(ThrottlePolicy policy, ResponseAdapter<R> adapter, ScheduledExecutorService scheduler) {
      super(policy);
      this.adapter = Objects.requireNonNull(adapter, "adapter");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Returns a new runner with these settings.
     *
     * @return a new runner
     */
    public AsyncThrottleRunner<R> build() {
      return new AsyncThrottleRunner<>(this);
    }
  }
}
