package dev.throttle.field;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;

/**
 * nginx {@code limit_req} on 127.0.0.1: a leaky bucket per client address ({@code rate} per second,
 * {@code burst}, {@code nodelay}, status 429, no rate-limit headers) in front of a static file. Runs as an
 * unprivileged prefix ({@code nginx -p DIR/ -c DIR/nginx.conf}) with its pid file and logs inside DIR, and is
 * stopped by the pid in its pid file. Its own count of admitted requests is its access log ({@code $msec
 * $status} per request).
 */
public final class NginxServer implements RealServer {

  /** Requests of slack in {@link #violations}: log times are not admission times. */
  static final int SLACK = 1;

  private final Path dir;
  private final int port;
  private final int ratePerSecond;
  private final int burst;
  private boolean stopped;

  private NginxServer(Path dir, int port, int ratePerSecond, int burst) {
    this.dir = dir;
    this.port = port;
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
  }

  /**
   * Starts nginx in a new directory under {@code workDir}.
   *
   * @param nginx the nginx executable
   * @param ratePerSecond {@code limit_req_zone ... rate=}
   * @param burst {@code limit_req ... burst=} (with {@code nodelay})
   */
  public static NginxServer start(Path nginx, Path workDir, int ratePerSecond, int burst) throws IOException {
    // nginx started by root runs its worker as nobody: the static file must be readable by everyone, and the
    // directories above it traversable (temp directories are created rwx------)
    Set<PosixFilePermission> workPerms = new HashSet<>(Files.getPosixFilePermissions(workDir));
    if (workPerms.addAll(Set.of(PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE))) {
      Files.setPosixFilePermissions(workDir, workPerms);
    }
    Path dir = Files.createTempDirectory(workDir, "nginx-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path html = Files.createDirectories(dir.resolve("html"));
    Files.setPosixFilePermissions(html, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = Files.writeString(html.resolve("data.txt"), "ok\n");
    Files.createDirectories(dir.resolve("tmp"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    int port = Ports.freePort();
    Files.writeString(dir.resolve("nginx.conf"), config(dir, port, ratePerSecond, burst));
    NginxServer server = new NginxServer(dir, port, ratePerSecond, burst);
    Process launcher = new ProcessBuilder(nginx.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf")
        .toString(), "-e", dir.resolve("error.log").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("launcher.log").toFile()).start();
    try {
      if (!launcher.waitFor(10, TimeUnit.SECONDS) || launcher.exitValue() != 0) {
        launcher.destroyForcibly();
        throw new IllegalStateException("nginx did not start: " + server.diagnostics());
      }
      Ports.awaitListening(port, Duration.ofSeconds(10), () -> server.master().map(ProcessHandle::isAlive)
          .orElse(true), server::diagnostics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      throw new IOException("interrupted while starting nginx", e);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  static String config(Path dir, int port, int ratePerSecond, int burst) {
    String d = dir.toString();
    return String.join("\n",
        "# written by dev.throttle.field.NginxServer",
        "daemon on;",
        "master_process on;",
        "worker_processes 1;",
        "pid " + d + "/nginx.pid;",
        "error_log " + d + "/error.log error;",
        "events { worker_connections 512; }",
        "http {",
        "  default_type text/plain;",
        "  log_format field '$msec $status';",
        "  access_log " + d + "/access.log field;",
        "  client_body_temp_path " + d + "/tmp/body;",
        "  proxy_temp_path " + d + "/tmp/proxy;",
        "  fastcgi_temp_path " + d + "/tmp/fastcgi;",
        "  uwsgi_temp_path " + d + "/tmp/uwsgi;",
        "  scgi_temp_path " + d + "/tmp/scgi;",
        "  limit_req_zone $binary_remote_addr zone=api:1m rate=" + ratePerSecond + "r/s;",
        "  server {",
        "    listen " + Ports.HOST + ":" + port + ";",
        "    root " + d + "/html;",
        "    location / {",
        "      # limit_req applies to a static file; a `return` would run before it and never be limited",
        "      limit_req zone=api burst=" + burst + " nodelay;",
        "      limit_req_status 429;",
        "      limit_req_log_level warn;",
        "    }",
        "  }",
        "}",
        "");
  }

  @Override
  public HttpUrl url() {
    return HttpUrl.get("http://" + Ports.HOST + ":" + port + "/data.txt");
  }

  /** Stops nginx (so its access log is complete), then reads the access log and checks the limit over every interval. */
  @Override
  public ServerCounts counts() throws IOException {
    close();
    List<Long> admittedMs = new ArrayList<>();
    long rejected = 0;
    java.util.Map<String, Integer> other = new java.util.TreeMap<>();
    Path log = dir.resolve("access.log");
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        String[] f = line.trim().split(" ");
        if (f.length != 2) {
          continue;
        }
        long ms = Math.round(Double.parseDouble(f[0]) * 1000);
        if (f[1].equals("200")) {
          admittedMs.add(ms);
        } else if (f[1].equals("429")) {
          rejected++;
        } else {
          other.merge(f[1], 1, Integer::sum);
        }
      }
    }
    admittedMs.sort(null);
    List<String> problems = new ArrayList<>(violations(admittedMs, ratePerSecond, burst));
    other.forEach((status, n) -> problems.add(n + " answers with status " + status + " (set-up broken?): "
        + diagnostics()));
    return new ServerCounts(admittedMs.size(), rejected, problems);
  }

  /**
   * Returns every interval [t_i, t_j] of admitted requests (log times in ms) in which more were admitted than
   * {@code limit_req} allows: {@code rate × (t_j − t_i) + burst + 1}, plus 1 of slack because the log's times are
   * when each response was logged, rounded to the millisecond, not the instants of admission. (burst + 1: nginx
   * admits a new key's first request with an excess of 0, then {@code burst} more at once.) Only the worst
   * interval per starting request is reported.
   */
  static List<String> violations(List<Long> admittedMs, int ratePerSecond, int burst) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < admittedMs.size(); i++) {
      double worst = 0;
      String worstText = null;
      for (int j = i; j < admittedMs.size(); j++) {
        long elapsedMs = admittedMs.get(j) - admittedMs.get(i);
        double allowed = ratePerSecond * elapsedMs / 1000.0 + burst + 1 + SLACK;
        int count = j - i + 1;
        if (count > allowed && count - allowed > worst) {
          worst = count - allowed;
          worstText = count + " admitted in " + elapsedMs + " ms from request " + i + " (allowed "
              + String.format(java.util.Locale.ROOT, "%.1f", allowed) + ")";
        }
      }
      if (worstText != null) {
        out.add(worstText);
      }
    }
    return out;
  }

  private java.util.Optional<ProcessHandle> master() {
    try {
      Path pidFile = dir.resolve("nginx.pid");
      if (!Files.exists(pidFile)) {
        return java.util.Optional.empty();
      }
      return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private String diagnostics() {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("launcher.log", "error.log")) {
      try {
        Path p = dir.resolve(name);
        if (Files.exists(p)) {
          b.append(name).append(": ").append(Files.readString(p).strip()).append("; ");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    master().ifPresent(Ports::stop);
  }

  @Override
  public String toString() {
    return "nginx limit_req " + ratePerSecond + " r/s burst " + burst + " nodelay at " + url();
  }
}
