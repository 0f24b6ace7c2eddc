package dev.throttle.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce connection to a Redis Cluster, with the options the Redis components need; the cluster
 * counterpart of {@link RedisConnection}. Each script call goes to the master of its keys' slot (all keys of one
 * decision share a hash tag, so one slot); {@code MOVED}/{@code ASK} redirections are followed, and the slot
 * map is refreshed when Redis redirects, a slot has no known node, or a node keeps failing to reconnect, and
 * every 60 s. Commands are rejected at once
 * while the target node is disconnected (rather than queued), every command has a timeout, and connections are
 * re-established within half a second of a node coming back. The connection to every master is opened by
 * {@link #open}: Lettuce would open each on its first command and, rejecting commands while disconnected,
 * refuse that command. (A master that joins later is connected on its first command, which the component then
 * answers with its failure mode.) Thread-safe; one connection object serves every
 * thread (Lettuce pipelines concurrent commands on one connection per node).
 *
 * <pre>{@code
 * RedisClusterConnection redis = RedisClusterConnection.open(
 *     List.of("redis://10.0.0.1:6379", "redis://10.0.0.2:6379"), Duration.ofMillis(100));
 * KeyedRateLimiter<String> limiter = RedisGcraLimiter.builder(redis.commands()).quota(quota).build();
 * }</pre>
 *
 * <p>For other options (TLS, Sentinel, read from replicas) configure a Lettuce client yourself and pass its
 * connection's {@code async()} to the builders.
 */
public final class RedisClusterConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterConnection.class);

  private final ClientResources resources;
  private final RedisClusterClient client;
  private final StatefulRedisClusterConnection<String, String> connection;

  private RedisClusterConnection(List<String> seeds, Duration commandTimeout) {
    List<RedisURI> uris = new ArrayList<>();
    for (String s : seeds) {
      uris.add(RedisURI.create(Objects.requireNonNull(s, "seed uri")));
    }
    this.resources = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClusterClient.create(resources, uris);
    client.setOptions(ClusterClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .requestQueueSize(100_000)
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            // Lettuce 7 enables every adaptive trigger (MOVED, ASK, persistent reconnects, uncovered slot,
            // unknown node) by default; the periodic refresh is off by default
            .enablePeriodicRefresh(Duration.ofSeconds(60))
            .build())
        .build());
    try {
      this.connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    connectMasters();
  }

  /**
   * Opens the connection to every master now. Lettuce opens a node's connection on the first command for it,
   * and with {@code REJECT_COMMANDS} that first command is rejected while the connection is pending (the
   * component would answer with its failure mode for one probe interval); found by RedisClusterTest.
   */
  private void connectMasters() {
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (RedisClusterNode node : connection.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        pending.add(connection.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
            .toCompletableFuture());
      }
    }
    for (CompletableFuture<?> f : pending) {
      try {
        f.get(2, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // an unreachable master: its commands fail (failure mode) until Lettuce connects to it
        LOG.debug("cannot connect to a cluster master now", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Connects to the cluster that the seed nodes belong to (one reachable seed suffices; the others are found
   * from its {@code CLUSTER SHARDS}/{@code CLUSTER NODES}).
   *
   * @param seedUris one or more nodes of the cluster, e.g. {@code redis://127.0.0.1:7000}
   * @param commandTimeout how long one command may take before Lettuce cancels it
   * @return a connection that routes by slot, times out every command after {@code commandTimeout} and
   *     reconnects by itself
   * @throws IllegalArgumentException if {@code seedUris} is empty or {@code commandTimeout} is not positive
   * @throws NullPointerException if an argument or a seed is null
   * @throws io.lettuce.core.RedisException if no seed can be reached or the cluster's topology cannot be read
   */
  public static RedisClusterConnection open(List<String> seedUris, Duration commandTimeout) {
    Objects.requireNonNull(seedUris, "seedUris");
    if (seedUris.isEmpty()) {
      throw new IllegalArgumentException("seedUris: at least one node of the cluster is required");
    }
    return new RedisClusterConnection(seedUris, RedisClientBuilder.positive(commandTimeout, "commandTimeout"));
  }

  /**
   * Returns the asynchronous scripting commands of this connection, routed by slot: pass them to
   * {@link RedisGcraLimiter#builder} or {@link RedisSharedThrottleState#builder}.
   *
   * @return the asynchronous scripting commands of this connection
   */
  public RedisScriptingAsyncCommands<String, String> commands() {
    return connection.async();
  }

  /**
   * Returns the underlying Lettuce cluster connection (e.g. for its partitions or other commands).
   *
   * @return the underlying Lettuce cluster connection
   */
  public StatefulRedisClusterConnection<String, String> lettuce() {
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
