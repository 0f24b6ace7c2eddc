package dev.throttle.sim.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The server algorithms the simulator models; {@code dev.throttle.sim.server.ServerModels} maps each to its
 * implementation. What the {@link ServerSpec} figures mean for each kind is documented per constant.
 */
public enum ServerKind {
  /** GCRA / token bucket: the core {@code GcraLimiter}; {@code rate} refills, {@code capacity} is the burst. */
  GCRA("gcra", "GCRA / token bucket (the core GcraLimiter): rate, capacity = burst, initial fill"),
  /**
   * Fixed window: {@code rate} = limit per window (50/10s: 50 requests per 10 s window); a window starts with the
   * first request after the previous one ended (express-rate-limit, GitHub's 5,000 per hour).
   */
  FIXED_WINDOW("fixed-window", "fixed window: rate = limit per window, counter reset when the window ends"),
  /**
   * Sliding window, weighted counter: the previous window's count weighted by its overlap with the last
   * {@code period}, plus the current window's count, must stay below the limit (Cloudflare, many API gateways).
   */
  SLIDING_WINDOW("sliding-window", "sliding window (weighted counter of the previous and current window)"),
  /**
   * Leaky bucket with a burst queue, as nginx {@code limit_req}: {@code rate} leaks, {@code capacity} is the
   * {@code burst}; excess requests over the burst are refused, those within it pass at once ({@code nodelay}) or
   * are delayed until they conform.
   */
  LEAKY_BUCKET("leaky-bucket", "leaky bucket with burst queue as nginx limit_req: rate, capacity = burst, nodelay"),
  /** Concurrency limit: at most {@code capacity} requests in flight at the server; {@code rate} is unused. */
  CONCURRENCY("concurrency", "concurrency limit: at most capacity requests in flight (service time matters)");

  private final String id;
  private final String description;

  ServerKind(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** Returns the name used on the command line and in scenario files. */
  public String id() {
    return id;
  }

  /** Returns a one-line description. */
  public String description() {
    return description;
  }

  /**
   * Finds a kind by name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the known kinds if there is none by that name
   */
  public static ServerKind byId(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    List<String> ids = new ArrayList<>();
    for (ServerKind k : values()) {
      if (k.id.equals(n)) {
        return k;
      }
      ids.add(k.id);
    }
    throw new IllegalArgumentException("unknown server model '" + name + "'; known: " + String.join(", ", ids));
  }

  @Override
  public String toString() {
    return id;
  }
}
