package dev.throttle.field;

import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * A real rate limiter running as a separate process on 127.0.0.1, started at a free port and stopped by its pid
 * on {@link #close()}. It keeps its own count of the requests it admitted, which the harness reads to check that
 * the limit was never exceeded.
 *
 * <p>Not thread-safe: one thread starts, reads and stops it.
 */
public interface RealServer extends AutoCloseable {

  /** Returns the URL of the rate-limited resource. */
  HttpUrl url();

  /**
   * Returns the server's own counts (admitted, rejected) and the limit violations found in them; call it after
   * the load has stopped and before {@link #close()} (nginx's counts are read after it stops, so this may stop
   * the server).
   *
   * @throws IOException if the counts cannot be read
   */
  ServerCounts counts() throws IOException;

  /** Stops the server (by its pid) and waits for it to exit; safe to call twice. */
  @Override
  void close();

  /**
   * What the server itself counted.
   *
   * @param admitted requests it answered with 200
   * @param rejected requests it answered with 429
   * @param violations each breach of its configured limit found in its own record (empty if none)
   */
  record ServerCounts(long admitted, long rejected, List<String> violations) {
    /** Copies the list. */
    public ServerCounts {
      violations = List.copyOf(violations);
    }
  }
}
