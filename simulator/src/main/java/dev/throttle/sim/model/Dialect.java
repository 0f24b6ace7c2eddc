package dev.throttle.sim.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a simulated server writes its rate-limit figures into response headers. Every dialect is written as real
 * header strings and read back by the client through the core {@code RateLimitHeaderParser}; the dialects the core
 * {@code RateLimitHeaderWriter} knows are written by it, the two express-rate-limit drafts by the simulator (see
 * {@code dev.throttle.sim.server.HeaderDialects}). Each constant documents what a fixed window of 50 per 10 s with
 * 49 left and 10 s to its end sends.
 */
public enum Dialect {
  /**
   * Everything {@code RateLimitHeaderWriter.defaults()} writes (draft-10, X-RateLimit-* with delay reset,
   * RateLimit-Remaining, Retry-After on 429): the simulator's historical default.
   */
  FULL("full", "all of draft-10 + X-RateLimit-* (delay) + RateLimit-Remaining + Retry-After on 429"),
  /** IETF draft-10: {@code RateLimit-Policy: "fixed";q=50;w=10} and {@code RateLimit: "fixed";r=49;t=10}. */
  DRAFT10("draft10", "IETF draft-10 RateLimit / RateLimit-Policy, Retry-After on 429"),
  /**
   * express-rate-limit {@code standardHeaders: 'draft-8'}: {@code RateLimit-Policy: "50-in-10sec"; q=50; w=10;
   * pk=:…:}, {@code RateLimit: "50-in-10sec"; r=49; t=10}, Retry-After on 429.
   */
  DRAFT8("draft8", "express-rate-limit draft-8: RateLimit \"50-in-10sec\"; r=49; t=10 + policy, Retry-After on 429"),
  /**
   * express-rate-limit {@code standardHeaders: 'draft-7'}: {@code RateLimit-Policy: 50;w=10} and
   * {@code RateLimit: limit=50, remaining=49, reset=10}, Retry-After on 429.
   */
  DRAFT7("draft7", "express-rate-limit draft-7: RateLimit limit=50, remaining=49, reset=10 + policy, Retry-After"),
  /** GitHub / express legacy: {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Reset} as epoch seconds. */
  X_EPOCH("x-epoch", "X-RateLimit-Limit/-Remaining/-Reset, reset as epoch seconds (GitHub, express legacy)"),
  /** {@code X-RateLimit-*} with the reset as delay seconds, Retry-After on 429. */
  X_DELAY("x-delay", "X-RateLimit-Limit/-Remaining/-Reset, reset as delay seconds, Retry-After on 429"),
  /** Heroku: {@code RateLimit-Remaining} only. */
  REMAINING("remaining", "RateLimit-Remaining only (Heroku)"),
  /** Only {@code Retry-After}, on 429 responses. */
  RETRY_AFTER("retry-after", "Retry-After on 429 only"),
  /** No rate-limit header at all: the client sees only the status (nginx limit_req). */
  NONE("none", "no rate-limit header at all (nginx limit_req)");

  private final String id;
  private final String description;

  Dialect(String id, String description) {
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
   * Finds a dialect by name, case-insensitively; {@code remaining_only} is accepted for {@link #REMAINING}.
   *
   * @throws IllegalArgumentException naming the known dialects if there is none by that name
   */
  public static Dialect byId(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    if (n.equals("remaining-only")) {
      return REMAINING;
    }
    List<String> ids = new ArrayList<>();
    for (Dialect d : values()) {
      if (d.id.equals(n)) {
        return d;
      }
      ids.add(d.id);
    }
    throw new IllegalArgumentException("unknown header dialect '" + name + "'; known: " + String.join(", ", ids));
  }

  @Override
  public String toString() {
    return id;
  }
}
