package dev.throttle.core.policy;

import dev.throttle.core.strategy.ThrottleStrategy;

import dev.throttle.core.time.DurationChecks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ThrottleStrategy} plus limits on how long and how often a request may wait: the object every runner
 * (blocking, async, OkHttp, Resilience4j, simulator) starts calls from. The strategy decides <i>whether</i> to
 * retry and <i>how long</i> to wait; the policy decides whether that is still acceptable:
 *
 * <ul>
 *   <li>{@code maxAttempts} (default {@value #DEFAULT_MAX_ATTEMPTS}): attempts sent, the first included;
 *   <li>{@code maxDelay} (default 2 minutes): the longest single wait before a retry;
 *   <li>{@code maxTotalWait} (default 5 minutes): the most waiting, summed over the call, pacing included;
 *   <li>an optional {@link RetryBudget} (default none), gRPC-style, shared by all calls of this policy.
 * </ul>
 *
 * <p>When a retry's wait would break a limit (or end after the deadline of {@link #newCallWithDeadline}), the
 * call's verdict is {@link AttemptVerdict#GIVE_UP} and {@link ThrottledCall#giveUp()} says which limit. A
 * pacing wait before the first attempt is never a give-up: it is clamped to {@code min(maxDelay, maxTotalWait)}.
 * Every wait, retry and give-up is a {@link ThrottleEvent} for the listeners and an SLF4J log line (debug for
 * waits, warn for give-ups); a listener that throws is logged and ignored.
 *
 * <p>Immutable and thread-safe; the {@link ThrottledCall}s it creates are not (one per request). The exact
 * rules, events and logging are in {@code docs/policy.md}.
 *
 * @see ThrottledCall the protocol runners follow
 * @see dev.throttle.core.runner.BlockingThrottleRunner
 * @see dev.throttle.core.runner.AsyncThrottleRunner
 */
public final class ThrottlePolicy {

  /** Default maximum attempts per call, the first included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  /** Default maximum single wait: 2 minutes. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(2);
  /** Default maximum total wait per call: 5 minutes. */
  public static final Duration DEFAULT_MAX_TOTAL_WAIT = Duration.ofMinutes(5);
  /** Default name, used as the event key. */
  public static final String DEFAULT_NAME = "throttle";

  static final Logger LOG = LoggerFactory.getLogger(ThrottlePolicy.class);

  private final ThrottleStrategy strategy;
  private final String name;
  private final int maxAttempts;
  private final long maxDelayNanos;
  private final long maxTotalWaitNanos;
  private final RetryBudget retryBudget;
  private final RetryBudgetState budgetState;
  private final List<ThrottleListener> listeners;

  private ThrottlePolicy(ThrottleStrategy strategy, String name, int maxAttempts, long maxDelayNanos,
      long maxTotalWaitNanos, RetryBudget retryBudget, List<ThrottleListener> listeners) {
    this.strategy = strategy;
    this.name = name;
    this.maxAttempts = maxAttempts;
    this.maxDelayNanos = maxDelayNanos;
    this.maxTotalWaitNanos = maxTotalWaitNanos;
    this.retryBudget = retryBudget;
    this.budgetState = retryBudget == null ? null : retryBudget.newState();
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Returns a policy with the default limits around {@code strategy}.
   *
   * @param strategy the strategy that decides the waits
   * @return a policy with the default limits around {@code strategy}
   * @throws NullPointerException if {@code strategy} is null
   */
  public static ThrottlePolicy of(ThrottleStrategy strategy) {
    return builder(strategy).build();
  }

  /**
   * Returns a builder for a policy around {@code strategy}, with every limit at its default.
   *
   * @param strategy the strategy that decides the waits
   * @return a builder for a policy around {@code strategy}, with every limit at its default
   * @throws NullPointerException if {@code strategy} is null
   */
  public static Builder builder(ThrottleStrategy strategy) {
    return new Builder(strategy);
  }

  /**
   * Starts one logical request.
   *
   * @param nowNanos the runner's clock reading
   * @return the call, to be driven by the runner
   */
  public ThrottledCall newCall(long nowNanos) {
    return new DefaultThrottledCall(this, strategy.newCall(nowNanos), false, 0);
  }

  /**
   * Starts one logical request that must send its last attempt no later than {@code deadlineNanos} (a reading
   * of the same clock, e.g. now + the HTTP client's call timeout): a retry whose wait would end after the
   * deadline gives up with {@link ThrottleGiveUpException.Reason#CALL_TIMEOUT}, and a pacing wait is
   * clamped to end at the deadline. The policy's own limits still apply.
   *
   * @param nowNanos the runner's clock reading
   * @param deadlineNanos the clock reading after which no attempt may start
   * @return the call, to be driven by the runner
   */
  public ThrottledCall newCallWithDeadline(long nowNanos, long deadlineNanos) {
    return new DefaultThrottledCall(this, strategy.newCall(nowNanos), true, deadlineNanos);
  }

  /**
   * Returns a policy with the same name, limits, listener and retry-budget configuration around another
   * strategy instance, with its own fresh retry budget: for adapters that keep one strategy per host or key.
   *
   * @param otherStrategy the strategy of the new policy
   * @return a policy like this one around {@code otherStrategy}, with a fresh retry budget
   * @throws NullPointerException if {@code otherStrategy} is null
   */
  public ThrottlePolicy withStrategy(ThrottleStrategy otherStrategy) {
    return withStrategy(otherStrategy, name);
  }

  /**
   * Like {@link #withStrategy(ThrottleStrategy)}, with another name (event key), e.g. the host.
   *
   * @param otherStrategy the strategy of the new policy
   * @param otherName the name of the new policy, non-empty
   * @return a new policy around {@code otherStrategy} named {@code otherName}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code otherName} is empty
   */
  public ThrottlePolicy withStrategy(ThrottleStrategy otherStrategy, String otherName) {
    return new ThrottlePolicy(Objects.requireNonNull(otherStrategy, "strategy"), checkName(otherName),
        maxAttempts, maxDelayNanos, maxTotalWaitNanos, retryBudget, listeners);
  }

  /**
   * Returns the strategy this policy runs.
   * @return the strategy this policy runs
   */
  public ThrottleStrategy strategy() {
    return strategy;
  }

  /**
   * Returns the name, used as the key of this policy's events.
   * @return the name, used as the key of this policy's events
   */
  public String name() {
    return name;
  }

  /**
   * Returns the maximum attempts per call, the first included.
   * @return the maximum attempts per call, the first included
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the longest single wait before a retry.
   * @return the longest single wait before a retry
   */
  public Duration maxDelay() {
    return Duration.ofNanos(maxDelayNanos);
  }

  /**
   * Returns the most waiting one call may do in total.
   * @return the most waiting one call may do in total
   */
  public Duration maxTotalWait() {
    return Duration.ofNanos(maxTotalWaitNanos);
  }

  /**
   * Returns the retry budget configuration, if any.
   * @return the retry budget configuration, if any
   */
  public Optional<RetryBudget> retryBudget() {
    return Optional.ofNullable(retryBudget);
  }

  /**
   * Returns the listeners events go to, in the order they were added (unmodifiable; empty unless set).
   * @return the listeners events go to, in the order they were added (unmodifiable; empty unless set)
   */
  public List<ThrottleListener> listeners() {
    return listeners;
  }

  /**
   * Returns how many tokens this policy's retry budget holds now (a snapshot for metrics; retries stop when it
   * is at or below half of {@link RetryBudget#maxTokens()}), or {@link Double#NaN} without a budget.
   *
   * @return the current tokens, or {@link Double#NaN}
   */
  public double retryBudgetTokens() {
    return budgetState == null ? Double.NaN : budgetState.tokensMilli() / 1000.0;
  }

  long maxDelayNanos() {
    return maxDelayNanos;
  }

  long maxTotalWaitNanos() {
    return maxTotalWaitNanos;
  }

  RetryBudgetState budgetState() {
    return budgetState;
  }

  void onThrottle(int attempt, long delayNanos) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: pacing, waiting {} ms before attempt {}", name, millis(delayNanos), attempt);
    }
    if (!listeners.isEmpty()) {
      emit(new ThrottleEvent(ThrottleEvent.Type.THROTTLE, name, attempt, 0, delayNanos, null));
    }
  }

  void onRetry(int attempt, int status, long delayNanos) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: status {}, retrying in {} ms (attempt {})", name, status, millis(delayNanos), attempt);
    }
    if (!listeners.isEmpty()) {
      emit(new ThrottleEvent(ThrottleEvent.Type.RETRY, name, attempt, status, delayNanos, null));
    }
  }

  void onGiveUp(ThrottleGiveUpException giveUp) {
    if (LOG.isWarnEnabled()) {
      LOG.warn("{}: {}", name, giveUp.getMessage());
    }
    if (!listeners.isEmpty()) {
      emit(new ThrottleEvent(ThrottleEvent.Type.GIVE_UP, name, giveUp.attempts(), giveUp.lastStatus(),
          giveUp.neededDelayNanos(), giveUp.reason()));
    }
  }

  private void emit(ThrottleEvent event) {
    for (ThrottleListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("{}: throttle listener threw on {}; ignored", name, event, e);
      }
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    return name;
  }

  @Override
  public String toString() {
    return "ThrottlePolicy[name=" + name + ", strategy=" + strategy + ", maxAttempts=" + maxAttempts
        + ", maxDelay=" + maxDelay() + ", maxTotalWait=" + maxTotalWait() + ", retryBudget=" + retryBudget
        + "]";
  }

  /**
   * Builds a {@link ThrottlePolicy}. Each setter checks its argument at once; {@link #build()} does not change
   * the builder, so one builder can build several policies (each with its own retry-budget tokens). Not
   * thread-safe.
   */
  public static final class Builder {

    private final ThrottleStrategy strategy;
    private String name = DEFAULT_NAME;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private long maxDelayNanos = DEFAULT_MAX_DELAY.toNanos();
    private long maxTotalWaitNanos = DEFAULT_MAX_TOTAL_WAIT.toNanos();
    private RetryBudget retryBudget;
    private final List<ThrottleListener> listeners = new ArrayList<>();

    private Builder(ThrottleStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    /**
     * Sets the name, used as the event key and in log lines; default {@value ThrottlePolicy#DEFAULT_NAME}.
     *
     * @param name the name, used as the event key and in log lines
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder name(String name) {
      this.name = checkName(name);
      return this;
    }

    /**
     * Sets the maximum attempts per call, the first included (1 = never retry); default
     * {@value ThrottlePolicy#DEFAULT_MAX_ATTEMPTS}.
     *
     * @param maxAttempts the maximum attempts per call, the first included (1 = never retry)
     * @return this builder
     * @throws IllegalArgumentException if {@code maxAttempts < 1}
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the longest single wait before a retry; a longer requested wait ends the call with
     * {@link ThrottleGiveUpException.Reason#MAX_DELAY}. Default 2 minutes.
     *
     * @param maxDelay the longest single wait before a retry
     * @return this builder
     * @throws NullPointerException if {@code maxDelay} is null
     * @throws IllegalArgumentException if {@code maxDelay} is negative or longer than about 292 years
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelayNanos = DurationChecks.nonNegativeNanos(maxDelay, "maxDelay");
      return this;
    }

    /**
     * Sets the most waiting one call may do in total (pacing and retry waits, not the time spent on the
     * requests themselves); a retry that would exceed it ends the call with
     * {@link ThrottleGiveUpException.Reason#MAX_TOTAL_WAIT}. Default 5 minutes.
     *
     * @param maxTotalWait the most waiting one call may do in total
     * @return this builder
     * @throws NullPointerException if {@code maxTotalWait} is null
     * @throws IllegalArgumentException if {@code maxTotalWait} is negative or longer than about 292 years
     */
    public Builder maxTotalWait(Duration maxTotalWait) {
      this.maxTotalWaitNanos = DurationChecks.nonNegativeNanos(maxTotalWait, "maxTotalWait");
      return this;
    }

    /**
     * Sets a retry budget shared by all calls of the built policy; default none.
     *
     * @param retryBudget a retry budget shared by all calls of the built policy
     * @return this builder
     * @throws NullPointerException if {@code retryBudget} is null
     */
    public Builder retryBudget(RetryBudget retryBudget) {
      this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget");
      return this;
    }

    /**
     * Removes the retry budget (the default).
     * @return this builder
     */
    public Builder noRetryBudget() {
      this.retryBudget = null;
      return this;
    }

    /**
     * Adds a listener that receives this policy's events, after those added before (each gets every event);
     * default none.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder addListener(ThrottleListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Returns a new policy with these settings.
     * @return a new policy with these settings
     */
    public ThrottlePolicy build() {
      return new ThrottlePolicy(strategy, name, maxAttempts, maxDelayNanos, maxTotalWaitNanos, retryBudget,
          listeners);
    }
  }
}
