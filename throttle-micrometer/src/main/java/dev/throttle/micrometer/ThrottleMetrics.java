package dev.throttle.micrometer;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottleListener;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.runner.ResponseAdapter;
import dev.throttle.core.strategy.ThrottleStrategy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Client-side Micrometer meters for throttling policies: a {@link ThrottleListener} to add to any number of
 * policies with {@link ThrottlePolicy.Builder#addListener} (beside other listeners), plus a
 * {@linkplain #meter(String, ResponseAdapter) response-adapter decorator} that counts attempts by status and
 * gauges for a policy's {@linkplain #bindRetryBudget(ThrottlePolicy) retry budget} and its strategy's
 * {@linkplain #bindPacing(ThrottlePolicy) pacing interval} ({@link #bind(ThrottlePolicy)} registers both).
 *
 * <pre>{@code
 * ThrottleMetrics metrics = ThrottleMetrics.of(registry);
 * ThrottlePolicy policy = ThrottlePolicy.builder(strategy).name("github").addListener(metrics).build();
 * metrics.bind(policy);
 * }</pre>
 *
 * <p>Meters (every one tagged {@code policy} = the event key, i.e. the policy's name):
 * {@code throttle.waits} (timer, tag {@code kind} = {@code pacing} | {@code retry}: each wait a runner was told
 * to make), {@code throttle.retries} (counter, tag {@code status} = {@code 2xx} | {@code 3xx} | {@code 429} |
 * {@code 4xx} | {@code 503} | {@code 5xx} | {@code other}: the status of the retried response), {@code throttle.giveups} (counter, tag
 * {@code reason} = the lower-case {@link ThrottleGiveUpException.Reason}), {@code throttle.attempts} (counter,
 * tag {@code status} as above, counted only through {@link #meter} or {@link #recordAttempt}: listeners do not
 * see responses that end a call), {@code throttle.retry.budget.tokens} (gauge) and
 * {@code throttle.pacing.interval} (gauge, seconds: the interval the strategy spaces the client's attempts by now,
 * see {@link ThrottleStrategy#pacingIntervalNanos()}; its inverse is the pacing rate per second).
 *
 * <p><b>Bounded cardinality.</b> Tags are the policy name and fixed enum values only. At most
 * {@code maxPolicies} (default 100) distinct policy names get meters of their own; events of further names
 * (for example per-host policies of an adapter that keys by host) are counted under {@code policy = "other"}.
 * A gauge observes the first policy bound under its tag value: binding another policy of the same name (or one
 * beyond {@code maxPolicies}) registers nothing new.
 *
 * <p>Thread-safe; {@link #onEvent} is cheap (one map lookup and a meter update, no allocation once a
 * policy's meters exist).
 */
public final class ThrottleMetrics implements ThrottleListener {

  /** The default for {@code maxPolicies}. */
  public static final int DEFAULT_MAX_POLICIES = 100;
  /** The policy tag value used once {@code maxPolicies} names have meters. */
  public static final String OTHER_POLICY = "other";

  private final MeterRegistry registry;
  private final int maxPolicies;
  private final Map<String, PolicyMeters> byPolicy = new ConcurrentHashMap<>();

  private ThrottleMetrics(MeterRegistry registry, int maxPolicies) {
    this.registry = registry;
    this.maxPolicies = maxPolicies;
  }

  /**
   * Returns metrics that register their meters in {@code registry}, for at most
   * {@value #DEFAULT_MAX_POLICIES} policy names.
   *
   * @param registry where meters are registered
   * @return the metrics listener
   * @throws NullPointerException if {@code registry} is null
   */
  public static ThrottleMetrics of(MeterRegistry registry) {
    return of(registry, DEFAULT_MAX_POLICIES);
  }

  /**
   * Returns metrics that give at most {@code maxPolicies} policy names meters of their own.
   *
   * @param registry where meters are registered
   * @param maxPolicies the most distinct {@code policy} tag values before {@value #OTHER_POLICY}, at least 1
   * @return the metrics listener
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalArgumentException if {@code maxPolicies < 1}
   */
  public static ThrottleMetrics of(MeterRegistry registry, int maxPolicies) {
    Objects.requireNonNull(registry, "registry");
    if (maxPolicies < 1) {
      throw new IllegalArgumentException("maxPolicies must be at least 1, was " + maxPolicies);
    }
    return new ThrottleMetrics(registry, maxPolicies);
  }

  @Override
  public void onEvent(ThrottleEvent event) {
    PolicyMeters m = meters(event.key());
    switch (event.type()) {
      case THROTTLE -> m.pacingWaits.record(event.delayNanos(), TimeUnit.NANOSECONDS);
      case RETRY -> {
        m.retryWaits.record(event.delayNanos(), TimeUnit.NANOSECONDS);
        m.retries.get(StatusClass.of(event.status())).increment();
      }
      case GIVE_UP -> {
        ThrottleGiveUpException.Reason reason = event.reason();
        if (reason != null) {
          m.giveUps.get(reason).increment();
        }
      }
      default -> { }
    }
  }

  /**
   * Counts one attempt's response for policy {@code policyName} in {@code throttle.attempts}; for runners that
   * do not take a {@link ResponseAdapter}.
   *
   * @param policyName the policy's name (its event key)
   * @param status the response's HTTP status
   * @throws NullPointerException if {@code policyName} is null
   */
  public void recordAttempt(String policyName, int status) {
    meters(Objects.requireNonNull(policyName, "policyName")).attempts.get(StatusClass.of(status)).increment();
  }

  /**
   * Returns an adapter that counts every response a runner reads (one per attempt, as
   * {@link dev.throttle.core.runner.BlockingThrottleRunner} and
   * {@link dev.throttle.core.runner.AsyncThrottleRunner} read each status once) in {@code throttle.attempts},
   * and otherwise delegates.
   *
   * @param policyName the policy's name, the {@code policy} tag
   * @param delegate the adapter to decorate
   * @param <R> the response type
   * @return the counting adapter
   * @throws NullPointerException if an argument is null
   */
  public <R> ResponseAdapter<R> meter(String policyName, ResponseAdapter<R> delegate) {
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(delegate, "delegate");
    return new ResponseAdapter<>() {
      @Override
      public int status(R response) {
        int status = delegate.status(response);
        recordAttempt(policyName, status);
        return status;
      }

      @Override
      public RateLimitHeaders headers(R response) {
        return delegate.headers(response);
      }

      @Override
      public void discard(R response) {
        delegate.discard(response);
      }
    };
  }

  /**
   * Registers the gauge {@code throttle.retry.budget.tokens} for {@code policy}'s retry budget (its current
   * tokens, see {@link ThrottlePolicy#retryBudgetTokens()}). Does nothing for a policy without a budget. The
   * gauge holds the policy weakly, as Micrometer gauges do: keep a reference to the policy.
   *
   * @param policy the policy to observe
   * @return this
   * @throws NullPointerException if {@code policy} is null
   */
  public ThrottleMetrics bindRetryBudget(ThrottlePolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (policy.retryBudget().isPresent()) {
      Gauge.builder("throttle.retry.budget.tokens", policy, ThrottlePolicy::retryBudgetTokens)
          .tag("policy", meters(policy.name()).policy)
          .description("Tokens in the policy's retry budget; retries stop at or below half of the maximum")
          .register(registry);
    }
    return this;
  }

  /**
   * Registers the gauge {@code throttle.pacing.interval} (base unit seconds) for {@code policy}'s strategy: the
   * interval by which it spaces the client's attempts now ({@link ThrottleStrategy#pacingIntervalNanos()} in
   * seconds; 0 while it lets attempts go at once). Does nothing for a strategy without a pacing schedule (one
   * that answers {@link ThrottleStrategy#NO_PACING}, such as pure backoff). Each read is the strategy's
   * side-effect-free snapshot. The gauge holds the policy weakly, as Micrometer gauges do: keep a reference to the
   * policy (a runner built on it does).
   *
   * @param policy the policy to observe
   * @return this
   * @throws NullPointerException if {@code policy} is null
   */
  public ThrottleMetrics bindPacing(ThrottlePolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (policy.strategy().pacingIntervalNanos() != ThrottleStrategy.NO_PACING) {
      Gauge.builder("throttle.pacing.interval", policy, p -> seconds(p.strategy().pacingIntervalNanos()))
          .tag("policy", meters(policy.name()).policy).baseUnit("seconds")
          .description("Interval by which the policy's strategy spaces attempts now; 0 while unpaced")
          .register(registry);
    }
    return this;
  }

  /**
   * Registers both gauges of {@code policy}: {@link #bindRetryBudget} and {@link #bindPacing}.
   *
   * @param policy the policy to observe
   * @return this
   * @throws NullPointerException if {@code policy} is null
   */
  public ThrottleMetrics bind(ThrottlePolicy policy) {
    return bindRetryBudget(policy).bindPacing(policy);
  }

  /** Nanoseconds as seconds; NaN for a negative reading (no schedule). */
  static double seconds(long nanos) {
    return nanos < 0 ? Double.NaN : nanos / 1e9;
  }

  private PolicyMeters meters(String name) {
    PolicyMeters m = byPolicy.get(name);
    if (m != null) {
      return m;
    }
    if (byPolicy.size() >= maxPolicies) {
      return byPolicy.computeIfAbsent(OTHER_POLICY, n -> new PolicyMeters(registry, n)); // may exceed by one
    }
    return byPolicy.computeIfAbsent(name, n -> new PolicyMeters(registry, n));
  }

  /** The bounded {@code status} tag values. */
  enum StatusClass {
    S2XX("2xx"), S3XX("3xx"), S429("429"), S4XX("4xx"), S503("503"), S5XX("5xx"), OTHER("other");

    final String tag;

    StatusClass(String tag) {
      this.tag = tag;
    }

    static StatusClass of(int status) {
      if (status == 429) {
        return S429;
      }
      if (status == 503) {
        return S503;
      }
      return switch (status / 100) {
        case 2 -> S2XX;
        case 3 -> S3XX;
        case 4 -> S4XX;
        case 5 -> S5XX;
        default -> OTHER;
      };
    }
  }

  /** Every meter of one policy name, created together. */
  private static final class PolicyMeters {

    final String policy;
    final Timer pacingWaits;
    final Timer retryWaits;
    final Map<StatusClass, Counter> retries = new EnumMap<>(StatusClass.class);
    final Map<StatusClass, Counter> attempts = new EnumMap<>(StatusClass.class);
    final Map<ThrottleGiveUpException.Reason, Counter> giveUps = new EnumMap<>(ThrottleGiveUpException.Reason.class);

    PolicyMeters(MeterRegistry registry, String policy) {
      this.policy = policy;
      pacingWaits = wait(registry, policy, "pacing");
      retryWaits = wait(registry, policy, "retry");
      for (StatusClass s : StatusClass.values()) {
        retries.put(s, Counter.builder("throttle.retries").tag("policy", policy).tag("status", s.tag)
            .description("Responses the policy retried, by status").register(registry));
        attempts.put(s, Counter.builder("throttle.attempts").tag("policy", policy).tag("status", s.tag)
            .description("Attempts sent (responses received), by status").register(registry));
      }
      for (ThrottleGiveUpException.Reason r : ThrottleGiveUpException.Reason.values()) {
        giveUps.put(r, Counter.builder("throttle.giveups").tag("policy", policy)
            .tag("reason", r.name().toLowerCase(java.util.Locale.ROOT))
            .description("Calls that gave up, by the limit that ended them").register(registry));
      }
    }

    private static Timer wait(MeterRegistry registry, String policy, String kind) {
      return Timer.builder("throttle.waits").tag("policy", policy).tag("kind", kind)
          .description("Waits runners were told to make before an attempt").register(registry);
    }
  }
}
