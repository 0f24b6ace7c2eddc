package dev.throttle.sim.server;

import dev.throttle.core.headers.RateLimitHeaderFormat;
import dev.throttle.core.headers.RateLimitHeaderWriter;
import dev.throttle.core.headers.RateLimitHeaderWriter.Figures;
import dev.throttle.core.headers.RateLimitHeaderWriter.ResetStyle;

import dev.throttle.sim.model.Dialect;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes a {@link Response} as header strings in a {@link Dialect}. The dialects the core
 * {@link RateLimitHeaderWriter} knows (draft-10, X-RateLimit-* with delay or epoch reset, RateLimit-Remaining,
 * Retry-After) are written by it: its GCRA mapping for GCRA results, {@link RateLimitHeaderWriter#writeFigures}
 * otherwise. The core writer has no express-rate-limit draft-7 / draft-8 format, so those two are written here,
 * byte for byte as express-rate-limit 8 writes them (see docs/simulator.md):
 * <pre>
 * draft-8: RateLimit-Policy: "50-in-10sec"; q=50; w=10; pk=:MTI3LjAuMC4x:
 *          RateLimit: "50-in-10sec"; r=49; t=10
 * draft-7: RateLimit-Policy: 50;w=10
 *          RateLimit: limit=50, remaining=49, reset=10
 * </pre>
 * with {@code Retry-After: <seconds>} on a refused request. Stateless and thread-safe.
 */
public final class HeaderDialects {

  /** The wall-clock instant the virtual time 0 stands for: 2026-01-01T00:00:00Z, in epoch milliseconds. */
  public static final long EPOCH_MILLIS_AT_ZERO = 1_767_225_600_000L;

  private static final Map<Dialect, RateLimitHeaderWriter> WRITERS = new EnumMap<>(Dialect.class);

  static {
    WRITERS.put(Dialect.FULL, RateLimitHeaderWriter.defaults());
    WRITERS.put(Dialect.DRAFT10, writer(ResetStyle.DELAY_SECONDS, RateLimitHeaderFormat.IETF_DRAFT,
        RateLimitHeaderFormat.RETRY_AFTER));
    WRITERS.put(Dialect.X_EPOCH, writer(ResetStyle.EPOCH_SECONDS, RateLimitHeaderFormat.X_RATELIMIT,
        RateLimitHeaderFormat.RETRY_AFTER));
    WRITERS.put(Dialect.X_DELAY, writer(ResetStyle.DELAY_SECONDS, RateLimitHeaderFormat.X_RATELIMIT,
        RateLimitHeaderFormat.RETRY_AFTER));
    WRITERS.put(Dialect.REMAINING, writer(ResetStyle.DELAY_SECONDS, RateLimitHeaderFormat.RATELIMIT_REMAINING));
    WRITERS.put(Dialect.RETRY_AFTER, writer(ResetStyle.DELAY_SECONDS, RateLimitHeaderFormat.RETRY_AFTER));
  }

  private HeaderDialects() {}

  private static RateLimitHeaderWriter writer(ResetStyle style, RateLimitHeaderFormat... formats) {
    return RateLimitHeaderWriter.builder().formats(formats).resetStyle(style).build();
  }

  /**
   * Writes the response's headers in the dialect.
   *
   * @param dialect the dialect
   * @param response the server's decision
   * @param nowNanos virtual time of the response (epoch-second resets are computed from it)
   * @param sink receives (name, value) per field
   */
  public static void write(Dialect dialect, Response response, long nowNanos, BiConsumer<String, String> sink) {
    if (dialect == Dialect.NONE) {
      return;
    }
    long epochMillis = EPOCH_MILLIS_AT_ZERO + Math.floorDiv(nowNanos, 1_000_000L);
    if (dialect == Dialect.DRAFT8 || dialect == Dialect.DRAFT7) {
      Figures f = response.figures();
      if (f != null) {
        express(dialect, f, sink);
      }
      return;
    }
    RateLimitHeaderWriter w = WRITERS.get(dialect);
    if (response.gcra() != null) {
      w.write(response.gcra(), epochMillis, sink);
    } else if (response.figures() != null) {
      w.writeFigures(response.figures(), epochMillis, sink);
    }
  }

  private static void express(Dialect dialect, Figures f, BiConsumer<String, String> sink) {
    long reset = f.nextUnitNanos() < 0 ? 0 : ceilSeconds(f.nextUnitNanos());
    if (dialect == Dialect.DRAFT8) {
      String name = "\"" + f.limit() + "-in-" + f.windowSeconds() + "sec\"";
      sink.accept("RateLimit-Policy", name + "; q=" + f.limit() + "; w=" + f.windowSeconds() + "; pk=:MTI3LjAuMC4x:");
      sink.accept("RateLimit", name + "; r=" + f.remaining() + "; t=" + reset);
    } else {
      sink.accept("RateLimit-Policy", f.limit() + ";w=" + f.windowSeconds());
      sink.accept("RateLimit", "limit=" + f.limit() + ", remaining=" + f.remaining() + ", reset=" + reset);
    }
    if (f.retryAfterNanos() >= 0) {
      sink.accept("Retry-After", Long.toString(Math.max(1, ceilSeconds(f.retryAfterNanos()))));
    }
  }

  private static long ceilSeconds(long nanos) {
    return nanos / 1_000_000_000L + (nanos % 1_000_000_000L == 0 ? 0 : 1);
  }
}
