package dev.throttle.redis;

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

/**
 * A Lua script run by {@code EVALSHA} (one round trip), falling back to {@code EVAL} (which also caches it)
 * when Redis answers {@code NOSCRIPT}, e.g. after a restart or {@code SCRIPT FLUSH}.
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
}
