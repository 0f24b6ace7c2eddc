package dev.throttle.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A real HTTP server on 127.0.0.1 at a free port (JDK {@code com.sun.net.httpserver}) for testing a throttled
 * client: each path answers from a script of replies (for example a 429 with {@code Retry-After}), then from a
 * fallback (default 200). The body is {@code "<status> <path>"}. It records every request's path and arrival
 * time ({@link System#nanoTime()}, nanoseconds), so a test can check the waits between attempts.
 *
 * <p>Thread-safe: requests are served on four threads and scripts may be added while it runs. Close it to stop
 * the server and its threads.
 */
public final class ScriptedServer implements AutoCloseable {

  /**
   * One scripted reply.
   *
   * @param status the HTTP status code
   * @param headers response header fields, name to value
   */
  public record Reply(int status, Map<String, String> headers) {}

  /**
   * One request the server received.
   *
   * @param path the request path
   * @param atNanos when it arrived, {@link System#nanoTime()}
   */
  public record Request(String path, long atNanos) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, Queue<Reply>> scripts = new ConcurrentHashMap<>();
  private volatile Reply fallback = new Reply(200, Map.of());
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  /**
   * Starts the server on a free port of 127.0.0.1.
   *
   * @throws IOException if the server cannot bind
   */
  public ScriptedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requests.add(new Request(path, System.nanoTime()));
      exchange.getRequestBody().readAllBytes();
      Queue<Reply> script = scripts.get(path);
      Reply reply = script == null ? null : script.poll();
      if (reply == null) {
        reply = fallback;
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] body = (reply.status() + " " + path).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Queues replies for {@code path}, answered in order before the fallback.
   *
   * @param path the request path, e.g. {@code "/api"}
   * @param replies the replies, in order
   * @return this server
   */
  public ScriptedServer script(String path, Reply... replies) {
    scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(replies));
    return this;
  }

  /**
   * Sets the reply once a path's script is used up (default 200, no header).
   *
   * @param reply the fallback reply
   * @return this server
   */
  public ScriptedServer fallback(Reply reply) {
    this.fallback = reply;
    return this;
  }

  /**
   * Returns the URI of {@code path} on this server.
   *
   * @param path the request path, starting with {@code /}
   * @return {@code http://127.0.0.1:<port><path>}
   */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /**
   * Returns every request received so far, in arrival order.
   *
   * @return an unmodifiable snapshot
   */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /**
   * Counts the requests received for {@code path}.
   *
   * @param path the request path
   * @return how many requests arrived for it
   */
  public long count(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).count();
  }

  /**
   * Returns a 429 reply with {@code Retry-After} in delay-seconds.
   *
   * @param retryAfterSeconds the {@code Retry-After} value
   * @return the reply
   */
  public static Reply tooManyRequests(int retryAfterSeconds) {
    return new Reply(429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  /** Stops the server and its threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
