package dev.throttle.field;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * express-rate-limit 8 (with express 5) on 127.0.0.1: a fixed window of {@code limit} requests per
 * {@code windowMs} per client address, answering 429 beyond it, with one of its header variants. Runs
 * {@code field-test/node/server.js} with node, stopped by its pid. The app counts what it admits itself, per
 * window, and serves the counts on {@code /__stats} (outside the limiter).
 */
public final class ExpressServer implements RealServer {

  /** The header variants express-rate-limit offers, as {@code server.js} names them. */
  public enum Headers {
    /** {@code standardHeaders: 'draft-8'}: {@code RateLimit} and {@code RateLimit-Policy} with q, w, r, t. */
    DRAFT_8("draft-8"),
    /** {@code standardHeaders: 'draft-7'}: {@code RateLimit: limit=, remaining=, reset=}. */
    DRAFT_7("draft-7"),
    /** {@code legacyHeaders: true} only: {@code X-RateLimit-*} with the reset as epoch seconds, no window. */
    LEGACY("legacy");

    private final String id;

    Headers(String id) {
      this.id = id;
    }

    /** Returns the name {@code server.js} takes in its HEADERS variable. */
    public String id() {
      return id;
    }
  }

  private final Process process;
  private final Path log;
  private final int port;
  private final int limit;
  private boolean stopped;

  private ExpressServer(Process process, Path log, int port, int limit) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.limit = limit;
  }

  /**
   * Starts the app.
   *
   * @param node the node executable
   * @param nodeDir the directory with {@code server.js} and its installed {@code node_modules}
   * @param workDir where its log goes
   */
  public static ExpressServer start(Path node, Path nodeDir, Path workDir, Headers headers, int limit,
      Duration window) throws IOException {
    int port = Ports.freePort();
    Path log = Files.createTempFile(workDir, "express-" + headers.id() + "-", ".log");
    ProcessBuilder pb = new ProcessBuilder(node.toString(), "server.js").directory(nodeDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("HEADERS", headers.id());
    pb.environment().put("LIMIT", Integer.toString(limit));
    pb.environment().put("WINDOW_MS", Long.toString(window.toMillis()));
    Process process = pb.start();
    ExpressServer server = new ExpressServer(process, log, port, limit);
    try {
      Ports.awaitListening(port, Duration.ofSeconds(20), process::isAlive, server::diagnostics);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  @Override
  public HttpUrl url() {
    return HttpUrl.get("http://" + Ports.HOST + ":" + port + "/");
  }

  /** Reads the app's own counts from {@code /__stats} and checks each window against the limit. */
  @Override
  public ServerCounts counts() throws IOException {
    OkHttpClient plain = new OkHttpClient.Builder().build();
    String body;
    try (Response r = plain.newCall(new Request.Builder().url(url().resolve("/__stats")).build()).execute()) {
      if (r.code() != 200) {
        throw new IOException("/__stats answered " + r.code());
      }
      body = r.body().string();
    } finally {
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }
    long admitted = -1;
    long rejected = -1;
    List<String> violations = new ArrayList<>();
    long windowAdmitted = 0;
    for (String line : body.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f[0].equals("total")) {
        admitted = Long.parseLong(f[1]);
        rejected = Long.parseLong(f[2]);
      } else if (f[0].equals("window")) {
        long a = Long.parseLong(f[2]);
        windowAdmitted += a;
        if (a > limit) {
          violations.add(String.format(Locale.ROOT, "window ending %s admitted %d > %d", f[1], a, limit));
        }
      }
    }
    if (admitted < 0) {
      throw new IOException("/__stats had no total: " + body);
    }
    if (windowAdmitted != admitted) {
      violations.add("windows add up to " + windowAdmitted + " admitted, total says " + admitted);
    }
    return new ServerCounts(admitted, rejected, violations);
  }

  private String diagnostics() {
    try {
      return "node log: " + Files.readString(log).strip();
    } catch (IOException e) {
      return "node log unreadable: " + e;
    }
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    Ports.stop(process.toHandle());
  }

  @Override
  public String toString() {
    return "express-rate-limit " + limit + " per window at " + url();
  }
}
