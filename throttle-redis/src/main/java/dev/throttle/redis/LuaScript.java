package dev.throttle.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Lua script run by {@code EVALSHA} (one round trip), falling back to {@code EVAL} (which also caches it)
 * when Redis answers {@code NOSCRIPT}, e.g. after a restart or {@code SCRIPT FLUSH}. {@link #run} is
 * asynchronous; {@link #call} waits for the reply in the calling thread with a deadline and adds no stage,
 * timer or thread hop to the reply (the Lettuce I/O thread only completes the command's future).
 */
final class LuaScript {

  private final String source;
  private final String sha;

  static LuaScript resource(String resource) {
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LuaScript source(String source) {
    return new LuaScript(source);
  }

  /** This script with {@code header} (e.g. constants) before its first line: another script, another SHA. */
  LuaScript prepend(String header) {
    return new LuaScript(header + source);
  }

  /** This script with {@code tail} after its last line: another script, another SHA. */
  LuaScript append(String tail) {
    return new LuaScript(source + tail);
  }

  private LuaScript(String source) {
    this.source = source;
    try {
      this.sha = HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String sha() {
    return sha;
  }

  CompletableFuture<List<Object>> run(RedisScriptingAsyncCommands<String, String> redis, String[] keys,
      String[] args) {
    CompletableFuture<List<Object>> first = redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
        .toCompletableFuture();
    return first.exceptionallyCompose(ex -> {
      Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
      if (cause instanceof RedisNoScriptException) {
        return redis.<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /**
   * Runs the script and waits at most {@code timeoutNanos} for its reply, a {@code NOSCRIPT} reload included.
   * Like {@code join()} it is not interruptible: an interrupt is kept for the caller and the wait goes on.
   *
   * @throws RuntimeException Redis's error, or a {@link CompletionException} caused by a
   *     {@link TimeoutException} when no reply came in time
   */
  List<Object> call(RedisScriptingAsyncCommands<String, String> redis, String[] keys, String[] args,
      long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      return await(redis.evalsha(sha, ScriptOutputType.MULTI, keys, args), deadline);
    } catch (RedisNoScriptException e) {
      return await(redis.eval(source, ScriptOutputType.MULTI, keys, args), deadline);
    }
  }

  private static List<Object> await(RedisFuture<List<Object>> reply, long deadline) {
    boolean interrupted = false;
    try {
      for (;;) {
        try {
          return reply.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw cause instanceof RuntimeException ? (RuntimeException) cause : new CompletionException(cause);
        } catch (TimeoutException e) {
          throw new CompletionException(e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
