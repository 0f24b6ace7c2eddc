package dev.throttle.sim.server;

import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.ServerSpec;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The registry of server models, in the shape of Caffeine's simulator policy registry: one factory per
 * {@link ServerKind}, so a new algorithm is one class and one line here. Also computes, per kind, what the
 * limit allows over a run (the denominator of utilisation).
 */
public final class ServerModels {

  private static final Map<ServerKind, BiFunction<ServerSpec, Boolean, ServerModel>> FACTORIES;

  static {
    Map<ServerKind, BiFunction<ServerSpec, Boolean, ServerModel>> m = new EnumMap<>(ServerKind.class);
    m.put(ServerKind.GCRA, GcraModel::new);
    m.put(ServerKind.FIXED_WINDOW, FixedWindowModel::new);
    m.put(ServerKind.SLIDING_WINDOW, SlidingWindowModel::new);
    m.put(ServerKind.LEAKY_BUCKET, LeakyBucketModel::new);
    m.put(ServerKind.CONCURRENCY, ConcurrencyModel::new);
    FACTORIES = Collections.unmodifiableMap(m);
  }

  private ServerModels() {}

  /** Returns a fresh model for the spec (one per run); it builds header figures only if the dialect sends any. */
  public static ServerModel create(ServerSpec spec) {
    return FACTORIES.get(spec.kind()).apply(spec, spec.dialect() != Dialect.NONE);
  }

  /**
   * What the limit allows a perfectly greedy client over {@code [0, endNanos]} for the non-GCRA kinds (GCRA, with
   * its limit changes, is {@code Metrics.allowance}): a fixed or sliding window, {@code count} per started window;
   * a leaky bucket, {@code burst + 1} at once plus {@code rate × elapsed}; a concurrency limit has no rate: NaN.
   *
   * @throws IllegalArgumentException for GCRA
   */
  public static double allowance(ServerSpec spec, long endNanos) {
    long period = spec.rate().period().toNanos();
    switch (spec.kind()) {
      case FIXED_WINDOW:
      case SLIDING_WINDOW:
        return (double) spec.rate().count() * Math.max(1, (endNanos + period - 1) / period);
      case LEAKY_BUCKET:
        return spec.capacity() + 1 + (double) spec.rate().count() * endNanos / period;
      case CONCURRENCY:
        return Double.NaN;
      default:
        throw new IllegalArgumentException("use Metrics.allowance for " + spec.kind());
    }
  }
}
