package dev.throttle.bench.redis;

import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.redis.FailureMode;
import dev.throttle.redis.RedisConnection;
import dev.throttle.redis.RedisGcraLimiter;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One limiter decision through Redis: Throttle's {@link RedisGcraLimiter} (one {@code EVALSHA}) against
 * Bucket4j 8.14's Lettuce backend ({@code Bucket4jLettuce.casBasedBuilder}: {@code GET} then a compare-and-swap
 * {@code EVAL}, retried on conflict), both on Lettuce 7.7 with one shared connection, on the same redis-server
 * (its URI in system property {@code redis.uri}; {@link RedisBenchmarkMain} starts it and runs this for 1, 8
 * and 64 threads). {@code keys=hot}: every caller on one key (the contended case); {@code keys=spread}: one key
 * per caller thread. The rate never runs out (10^6/s, capacity 10^6), so every decision writes.
 *
 * <p>At teardown the Redis commands processed per decision and redis-server's CPU time per decision (its
 * {@code INFO cpu}, user + system, µs; warm-up included, as for the commands) are appended to
 * {@code redis.commandsFile}: the round trips per decision and the cost on Redis's one thread.
 */
@State(Scope.Benchmark)
public class RedisLimiterBenchmark {

  @Param({"throttle", "bucket4j"})
  public String impl;

  @Param({"hot", "spread"})
  public String keys;

  private RedisConnection throttleConnection;
  private RedisGcraLimiter throttle;
  private RedisClient bucket4jClient;
  private StatefulRedisConnection<String, byte[]> bucket4jConnection;
  private LettuceBasedProxyManager<String> proxyManager;
  private BucketConfiguration configuration;
  private RedisConnection admin;
  private final LongAdder decisions = new LongAdder();
  private long commandsBefore;
  private double redisCpuBefore;
  private final AtomicInteger threadIds = new AtomicInteger();
  private final String run = Long.toString(System.nanoTime());

  /** Per-thread key and bucket proxy. */
  @State(Scope.Thread)
  public static class Caller {
    String key;
    BucketProxy bucket;

    @Setup(Level.Trial)
    public void setUp(RedisLimiterBenchmark b) {
      int id = b.threadIds.incrementAndGet();
      key = b.keys.equals("hot") ? "hot-" + b.run : "spread-" + b.run + "-" + id;
      if (b.proxyManager != null) {
        bucket = b.proxyManager.builder().build(key, () -> b.configuration);
      }
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    String uri = System.getProperty("redis.uri", "redis://127.0.0.1:6379");
    admin = RedisConnection.open(uri, Duration.ofSeconds(5));
    if (impl.equals("throttle")) {
      throttleConnection = RedisConnection.open(uri, Duration.ofSeconds(5));
      throttle = RedisGcraLimiter.builder(throttleConnection.commands())
          .quota(Quota.of(Rate.perSecond(1_000_000), 1_000_000))
          .timeout(Duration.ofSeconds(5)).failureMode(FailureMode.REFUSE).build();
    } else {
      bucket4jClient = RedisClient.create(uri);
      bucket4jConnection = bucket4jClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      proxyManager = Bucket4jLettuce.casBasedBuilder(bucket4jConnection)
          .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
          .build();
      configuration = BucketConfiguration.builder()
          .addLimit(limit -> limit.capacity(1_000_000).refillGreedy(1_000_000, Duration.ofSeconds(1))).build();
    }
    redisCpuBefore = redisCpuSeconds();
    commandsBefore = totalCommands();
  }

  private long totalCommands() {
    String info = admin.lettuce().sync().info("stats");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("total_commands_processed:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return -1;
  }

  /** CPU time redis-server has used (user + system, seconds): its one thread serves every command. */
  private double redisCpuSeconds() {
    double sum = 0;
    for (String line : admin.lettuce().sync().info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        sum += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return sum;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    // minus the INFO commands themselves (1 at setup counted before, this one)
    long commands = totalCommands() - commandsBefore - 1;
    double redisCpu = redisCpuSeconds() - redisCpuBefore;
    String file = System.getProperty("redis.commandsFile");
    if (file != null) {
      Files.writeString(Path.of(file), impl + " " + keys + " " + threadIds.get() + " "
          + String.format(Locale.ROOT, "%.3f %.2f", commands / (double) decisions.sum(),
              redisCpu * 1e6 / decisions.sum()) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    if (throttleConnection != null) {
      throttleConnection.close();
    }
    if (bucket4jConnection != null) {
      bucket4jConnection.close();
      bucket4jClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    admin.close();
  }

  /** One decision of cost 1 with its figures (remaining, waits). */
  @Benchmark
  public long decide(Caller c) {
    decisions.increment();
    if (throttle != null) {
      RateLimitResult r = throttle.tryAcquire(c.key, 1);
      return r.remaining();
    }
    ConsumptionProbe p = c.bucket.tryConsumeAndReturnRemaining(1);
    return p.getRemainingTokens();
  }
}
