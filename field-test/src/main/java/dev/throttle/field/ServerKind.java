package dev.throttle.field;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real rate limiters the field test runs, each with the exact set-up measured in docs/field-test.md. */
public enum ServerKind {

  /** nginx {@code limit_req}: 20 r/s, burst 10, nodelay, status 429, no rate-limit headers. */
  NGINX("nginx", "nginx limit_req 20 r/s, burst 10, nodelay (no headers)", 20.0),
  /** express-rate-limit 50 per 10 s (fixed window), {@code standardHeaders: 'draft-8'}. */
  EXPRESS_DRAFT8("express-draft8", "express-rate-limit 50 per 10 s, draft-8 headers", 5.0),
  /** express-rate-limit 50 per 10 s (fixed window), {@code standardHeaders: 'draft-7'}. */
  EXPRESS_DRAFT7("express-draft7", "express-rate-limit 50 per 10 s, draft-7 headers", 5.0),
  /** express-rate-limit 50 per 10 s (fixed window), {@code legacyHeaders} only ({@code X-RateLimit-*}). */
  EXPRESS_LEGACY("express-legacy", "express-rate-limit 50 per 10 s, legacy X-RateLimit-* headers", 5.0);

  static final int NGINX_RATE = 20;
  static final int NGINX_BURST = 10;
  static final int EXPRESS_LIMIT = 50;
  static final Duration EXPRESS_WINDOW = Duration.ofSeconds(10);

  private final String id;
  private final String description;
  private final double limitPerSecond;

  ServerKind(String id, String description, double limitPerSecond) {
    this.id = id;
    this.description = description;
    this.limitPerSecond = limitPerSecond;
  }

  /** Returns the command-line name. */
  public String id() {
    return id;
  }

  /** Returns a one-line description of the set-up. */
  public String description() {
    return description;
  }

  /** Returns the configured limit as a long-run rate in requests per second (goodput's 100 %). */
  public double limitPerSecond() {
    return limitPerSecond;
  }

  /** Returns what is missing to run this server, each with the command that installs it (empty if nothing). */
  public List<String> missing(Prerequisites p) {
    return this == NGINX ? p.missingForNginx() : new ArrayList<>(p.missingForExpress());
  }

  /** Starts a fresh instance at a free port on 127.0.0.1. */
  public RealServer start(Prerequisites p, Path workDir) throws IOException {
    List<String> missing = missing(p);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(String.join("; ", missing));
    }
    switch (this) {
      case NGINX:
        return NginxServer.start(p.nginx().orElseThrow(), workDir, NGINX_RATE, NGINX_BURST);
      case EXPRESS_DRAFT8:
        return ExpressServer.start(p.node().orElseThrow(), p.nodeDir(), workDir, ExpressServer.Headers.DRAFT_8,
            EXPRESS_LIMIT, EXPRESS_WINDOW);
      case EXPRESS_DRAFT7:
        return ExpressServer.start(p.node().orElseThrow(), p.nodeDir(), workDir, ExpressServer.Headers.DRAFT_7,
            EXPRESS_LIMIT, EXPRESS_WINDOW);
      case EXPRESS_LEGACY:
        return ExpressServer.start(p.node().orElseThrow(), p.nodeDir(), workDir, ExpressServer.Headers.LEGACY,
            EXPRESS_LIMIT, EXPRESS_WINDOW);
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Finds a server by its command-line name.
   *
   * @throws IllegalArgumentException naming the known servers if there is none by that name
   */
  public static ServerKind byId(String name) {
    List<String> ids = new ArrayList<>();
    for (ServerKind s : values()) {
      if (s.id.equalsIgnoreCase(name.trim())) {
        return s;
      }
      ids.add(s.id);
    }
    throw new IllegalArgumentException("unknown server '" + name + "'; known: " + String.join(", ", ids));
  }

  @Override
  public String toString() {
    return id;
  }
}
