package dev.throttle.jdkhttp;

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
 * A real HTTP server on 127.0.0.1 (JDK {@code com.sun.net.httpserver}) that answers each path from a script
 * of responses, then 200 "ok"; it records every request's path and arrival time ({@code System.nanoTime}).
 */
final class ScriptedServer implements AutoCloseable {

  record Reply(int status, Map<String, String> headers) {}

  record Request(String path, long atNanos) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, Queue<Reply>> scripts = new ConcurrentHashMap<>();
  private volatile Reply fallback = new Reply(200, Map.of());
  final List<Request> requests = new CopyOnWriteArrayList<>();

  ScriptedServer() throws IOException {
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

  /** Queues replies for {@code path}, answered in order before the fallback. */
  ScriptedServer script(String path, Reply... replies) {
    scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(replies));
    return this;
  }

  /** Sets the reply once a path's script is used up (default 200). */
  ScriptedServer fallback(Reply reply) {
    this.fallback = reply;
    return this;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  long count(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).count();
  }

  static Reply tooManyRequests(int retryAfterSeconds) {
    return new Reply(429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
