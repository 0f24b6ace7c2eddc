package dev.throttle.field;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Free ports and waiting for a server to accept connections, on 127.0.0.1 only. */
final class Ports {

  static final String HOST = "127.0.0.1";

  private Ports() {}

  /** Returns a port that was free a moment ago on 127.0.0.1. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until 127.0.0.1:{@code port} accepts a connection, for at most {@code timeout}; fails early when
   * {@code alive} turns false.
   *
   * @param diagnostics what to add to the error (the server's log)
   */
  static void awaitListening(int port, Duration timeout, BooleanSupplier alive, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(HOST, port), 200);
        return;
      } catch (IOException notYet) {
        if (!alive.getAsBoolean()) {
          throw new IllegalStateException("server exited before listening on port " + port + ": "
              + diagnostics.get());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("server not listening on port " + port + " after " + timeout + ": "
              + diagnostics.get());
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for port " + port, e);
        }
      }
    }
  }

  /** Stops {@code process} with SIGTERM, then SIGKILL after 5 s; waits for it to exit. */
  static void stop(ProcessHandle process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      process.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      try {
        process.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller's next start failing, if at all
      }
    }
  }
}
