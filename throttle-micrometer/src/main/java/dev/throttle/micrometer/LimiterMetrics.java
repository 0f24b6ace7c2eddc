package dev.throttle.micrometer;

import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.RateLimitResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Server-side Micrometer meters for one named limiter ({@code GcraLimiter} or {@code KeyedGcraLimiter}):
 * {@code throttle.limiter.decisions} (counter, tags {@code limiter} = the name and {@code decision} =
 * {@code allowed} | {@code limited} | {@code exceeds_capacity}) and, for a keyed limiter,
 * {@code throttle.limiter.keys} (gauge: how many keys its table holds).
 *
 * <pre>{@code
 * LimiterMetrics metrics = LimiterMetrics.of(registry, "api").bindKeyTable(limiter);
 * RateLimitResult result = metrics.record(limiter.tryAcquire(clientId));
 * }</pre>
 *
 * <p>The limiter's keys never become tags (their number is unbounded); only the limiter's name and the
 * {@link Decision} do. Recording is one counter increment and allocates nothing, so it suits the hot path.
 * Thread-safe.
 */
public final class LimiterMetrics {

  private final MeterRegistry registry;
  private final String name;
  private final Map<Decision, Counter> decisions = new EnumMap<>(Decision.class);

  private LimiterMetrics(MeterRegistry registry, String name) {
    this.registry = registry;
    this.name = name;
    for (Decision d : Decision.values()) {
      decisions.put(d, Counter.builder("throttle.limiter.decisions").tag("limiter", name)
          .tag("decision", d.name().toLowerCase(Locale.ROOT))
          .description("Limiter decisions, by outcome").register(registry));
    }
  }

  /**
   * Returns the meters of the limiter called {@code name}, registering them in {@code registry}.
   *
   * @param registry where meters are registered
   * @param name the limiter's name, the {@code limiter} tag (a fixed name, never a client key)
   * @return the limiter's meters
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public static LimiterMetrics of(MeterRegistry registry, String name) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    return new LimiterMetrics(registry, name);
  }

  /**
   * Counts {@code result}'s decision and returns {@code result}, so a call can be wrapped in place.
   *
   * @param result what the limiter decided
   * @return {@code result}
   * @throws NullPointerException if {@code result} is null
   */
  public RateLimitResult record(RateLimitResult result) {
    record(result.decision());
    return result;
  }

  /**
   * Counts one decision, for the allocation-free {@code tryAcquire(..., into)} and {@code tryConsume} calls.
   *
   * @param decision what the limiter decided
   * @throws NullPointerException if {@code decision} is null
   */
  public void record(Decision decision) {
    decisions.get(Objects.requireNonNull(decision, "decision")).increment();
  }

  /**
   * Counts a {@code tryConsume} outcome: {@code true} as {@code allowed}, {@code false} as {@code limited}.
   *
   * @param allowed what {@code tryConsume} returned
   * @return {@code allowed}
   */
  public boolean record(boolean allowed) {
    record(allowed ? Decision.ALLOWED : Decision.LIMITED);
    return allowed;
  }

  /**
   * Registers the gauge {@code throttle.limiter.keys}: the number of keys {@code limiter}'s table holds
   * ({@link KeyedGcraLimiter#size()}). Held weakly, as Micrometer gauges are: keep a reference to the limiter.
   *
   * @param limiter the keyed limiter to observe
   * @return this
   * @throws NullPointerException if {@code limiter} is null
   */
  public LimiterMetrics bindKeyTable(KeyedGcraLimiter<?> limiter) {
    Objects.requireNonNull(limiter, "limiter");
    Gauge.builder("throttle.limiter.keys", limiter, KeyedGcraLimiter::size).tag("limiter", name)
        .description("Keys held in the limiter's table").register(registry);
    return this;
  }
}
