package dev.throttle.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, benchmarks and field runs: started on 127.0.0.1 at a free port with
 * no persistence ({@code --save '' --appendonly no}), in the foreground, and stopped by its pid. It can be
 * stopped and started again on the same port to simulate a restart (all data and cached scripts are lost).
 *
 * <p>Requires {@code redis-server} on the PATH (Debian package {@code redis-server}; {@code .ci/run} installs
 * it). Not thread-safe.
 */
public final class RedisServerProcess implements AutoCloseable {

  private final int port;
  private Process process;

  private RedisServerProcess(int port) {
    this.port = port;
  }

  /**
   * Starts a server at a free port and waits until it answers {@code PING}.
   *
   * @throws IllegalStateException if it cannot be started within 10 s
   * @return a running redis-server on a free port of 127.0.0.1
   */
  public static RedisServerProcess start() {
    RedisServerProcess r = new RedisServerProcess(freePort());
    r.startAgain();
    return r;
  }

  /**
   * Returns the port.
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns {@code redis://127.0.0.1:port}.
   * @return {@code redis://127.0.0.1:port}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Returns the pid of the running server, or -1 if stopped.
   * @return the pid of the running server, or -1 if stopped
   */
  public long pid() {
    return process != null && process.isAlive() ? process.pid() : -1;
  }

  /** Starts the server again on the same port (after {@link #stop()}), and waits until it answers. */
  public void startAgain() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running, pid " + process.pid());
    }
    try {
      process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"))
          .redirectErrorStream(true)
          .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "redis-" + port + ".log"))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (apt-get install redis-server)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
      }
      if (ping()) {
        return;
      }
      sleep(20);
    }
    stop();
    throw new IllegalStateException("redis-server did not answer on port " + port + " within 10 s");
  }

  /** Stops the server (SIGTERM to its pid, SIGKILL after 5 s) and waits for it to exit. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the server at once (SIGKILL), as a crash would. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  private boolean ping() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      return "+PONG".equals(line);
    } catch (IOException e) {
      return false;
    }
  }

  /** A free TCP port on 127.0.0.1 (shared with {@link RedisClusterProcess}). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sleeps {@code ms}, restoring the interrupt flag and failing if interrupted (shared with the cluster). */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
