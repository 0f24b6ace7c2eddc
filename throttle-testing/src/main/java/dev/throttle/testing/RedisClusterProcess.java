package dev.throttle.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis Cluster for tests: {@code n} {@code redis-server} masters (no replicas) on 127.0.0.1, each at a
 * free port with a free cluster-bus port ({@code cluster-port}), its own temporary directory (its
 * {@code nodes.conf}), no persistence, in the foreground; the 16384 slots are spread evenly by
 * {@code redis-cli --cluster create ... --cluster-yes}, and {@link #start(int)} returns once every node reports
 * {@code cluster_state:ok} with every slot assigned and every node known. {@link #close()} stops each server by
 * its pid (SIGTERM, SIGKILL after 5 s) and deletes the directories.
 *
 * <p>Requires {@code redis-server} and {@code redis-cli} (Redis 7 or later, for {@code cluster-port}) on the
 * PATH: Debian's {@code redis-server} package ships both ({@code .ci/run} installs it); {@link #available()}
 * tells whether they are there. Not thread-safe.
 */
public final class RedisClusterProcess implements AutoCloseable {

  private final Path root;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  private RedisClusterProcess(Path root) {
    this.root = root;
  }

  /**
   * Returns whether {@code redis-server} and {@code redis-cli} can be run (each answers {@code --version}).
   *
   * @return true if both programs are on the PATH
   */
  public static boolean available() {
    return runs("redis-server", "--version") && runs("redis-cli", "--version");
  }

  /**
   * Starts {@code masters} masters, assigns the slots, and waits until the cluster is healthy on every node.
   *
   * @param masters the number of masters, at least 3 ({@code redis-cli --cluster create} needs 3)
   * @return the running cluster
   * @throws IllegalArgumentException if {@code masters < 3}
   * @throws IllegalStateException if a server does not start or the cluster is not healthy within 20 s (every
   *     process started so far is stopped first)
   */
  public static RedisClusterProcess start(int masters) {
    if (masters < 3) {
      throw new IllegalArgumentException("a Redis Cluster needs at least 3 masters, was " + masters);
    }
    RedisClusterProcess c;
    try {
      c = new RedisClusterProcess(Files.createTempDirectory("redis-cluster-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (int i = 0; i < masters; i++) {
        c.startNode(i);
      }
      c.createCluster();
      c.awaitHealthy(TimeUnit.SECONDS.toNanos(20));
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Returns the client ports of the masters, in start order.
   * @return the client ports of the masters, in start order
   */
  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /**
   * Returns {@code redis://127.0.0.1:port} of every master, the seed URIs for a cluster client.
   * @return {@code redis://127.0.0.1:port} of every master
   */
  public List<String> uris() {
    List<String> out = new ArrayList<>();
    for (int p : ports) {
      out.add("redis://127.0.0.1:" + p);
    }
    return out;
  }

  /**
   * Returns the pids of the running servers, in start order (-1 for one that has stopped).
   * @return the pids of the running servers
   */
  public List<Long> pids() {
    List<Long> out = new ArrayList<>();
    for (Process p : processes) {
      out.add(p.isAlive() ? p.pid() : -1L);
    }
    return out;
  }

  /**
   * Runs {@code redis-cli -p port args...} against one node and returns its output (e.g. {@code CLUSTER INFO}).
   *
   * @param port the node's port
   * @param args the command and its arguments
   * @return what redis-cli printed, trimmed
   * @throws IllegalStateException if redis-cli cannot be run or does not finish within 10 s
   */
  public String cli(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    return run(cmd, 10);
  }

  /** Stops every server by its pid (SIGTERM, SIGKILL after 5 s), waits for each, and deletes the directories. */
  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private void startNode(int i) {
    Path dir = root.resolve("node-" + i);
    int port;
    int busPort;
    Process p;
    try {
      Files.createDirectories(dir);
      port = RedisServerProcess.freePort();
      busPort = RedisServerProcess.freePort();
      while (busPort == port) {
        busPort = RedisServerProcess.freePort();
      }
      p = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--cluster-enabled", "yes", "--cluster-port", Integer.toString(busPort),
          "--cluster-config-file", dir.resolve("nodes.conf").toString(), "--cluster-node-timeout", "5000",
          "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
          "--loglevel", "warning"))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (apt-get install redis-server)", e);
    }
    processes.add(p);
    ports.add(port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      if (!p.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + p.exitValue() + " on port " + port + ": "
            + log(dir));
      }
      if (cliQuiet(port, "PING").equals("PONG")) {
        return;
      }
      RedisServerProcess.sleep(20);
    }
    throw new IllegalStateException("redis-server did not answer on port " + port + " within 10 s: " + log(dir));
  }

  private void createCluster() {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (int p : ports) {
      cmd.add("127.0.0.1:" + p);
    }
    cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    String out = run(cmd, 20);
    if (!out.contains("All 16384 slots covered")) {
      throw new IllegalStateException("redis-cli --cluster create did not cover the slots: " + out);
    }
  }

  private void awaitHealthy(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    String last = "";
    while (System.nanoTime() - deadline < 0) {
      boolean ok = true;
      for (int p : ports) {
        last = cliQuiet(p, "CLUSTER", "INFO");
        if (!last.contains("cluster_state:ok") || !last.contains("cluster_slots_ok:16384")
            || !last.contains("cluster_known_nodes:" + ports.size())) {
          ok = false;
          break;
        }
      }
      if (ok) {
        return;
      }
      RedisServerProcess.sleep(50);
    }
    throw new IllegalStateException("Redis Cluster not healthy within the timeout: " + last);
  }

  private String cliQuiet(int port, String... args) {
    try {
      return cli(port, args);
    } catch (IllegalStateException e) {
      return "";
    }
  }

  private static String run(List<String> cmd, int timeoutSeconds) {
    Path out = null;
    try {
      // output to a file, so a process that hangs cannot block the reader past the timeout
      out = Files.createTempFile("redis-cli-", ".out");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(cmd.get(0) + " did not finish within " + timeoutSeconds + " s");
      }
      return Files.readString(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + " (apt-get install redis-server)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  private static boolean runs(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("redis.log")).strip();
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
