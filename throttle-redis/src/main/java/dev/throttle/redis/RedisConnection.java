package dev.throttle.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce connection to a single Redis server, with the options the Redis components need: commands are
 * rejected at once while disconnected (rather than queued until the connection is back), every command has a
 * timeout, and the connection is re-established within half a second of Redis coming back. Thread-safe; one
 * connection serves every thread (Lettuce pipelines concurrent commands on it).
 *
 * <p>For Redis Cluster use {@link RedisClusterConnection}; for a connection configured otherwise, open it
 * yourself and pass its {@code async()} commands to the builders instead.
 */
public final class RedisConnection implements AutoCloseable {

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private RedisConnection(String uri, Duration commandTimeout) {
    this.resources = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, RedisURI.create(uri));
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .requestQueueSize(100_000)
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
        .build());
    try {
      this.connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Connects to {@code uri} (e.g. {@code redis://127.0.0.1:6379}).
   *
   * @param commandTimeout how long one command may take before Lettuce cancels it
   * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
   * @param uri the uri
   * @return a connection that times out every command after {@code commandTimeout} and reconnects by itself
   */
  public static RedisConnection open(String uri, Duration commandTimeout) {
    return new RedisConnection(uri, commandTimeout);
  }

  /**
   * Returns the asynchronous scripting commands of this connection.
   * @return the asynchronous scripting commands of this connection
   */
  public RedisScriptingAsyncCommands<String, String> commands() {
    return connection.async();
  }

  /**
   * Returns the underlying Lettuce connection (e.g. to issue other commands).
   * @return the underlying Lettuce connection
   */
  public StatefulRedisConnection<String, String> lettuce() {
    return connection;
  }

  /** Closes the connection and releases the client's threads. */
  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
