package dev.throttle.bench.redis;

import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.redis.FailureMode;
import dev.throttle.redis.RedisConnection;
import dev.throttle.redis.RedisGcraLimiter;
import dev.throttle.testing.RedisServerProcess;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Where the time of one decision goes, for the same workload as {@link RedisLimiterBenchmark} (cost 1, a limit
 * that never runs out, one shared Lettuce connection per implementation, one redis-server on 127.0.0.1 that
 * this starts and stops by pid). For each implementation and key pattern ({@code hot}: one key; {@code spread}:
 * one key per caller thread) it runs N caller threads for a while and reports, per decision: CPU time of this
 * JVM (all threads), CPU time of the Lettuce I/O thread alone (one connection is served by one event-loop
 * thread, so it saturates first), CPU time of redis-server (its {@code INFO cpu}, one thread serves every
 * command), and the commands Redis processed ({@code INFO stats}). CPU time per decision is far less sensitive
 * to other load on the machine than decisions per second.
 *
 * <pre>
 * java [-Dimpl=throttle|bucket4j] [-Dkeys=hot|spread] -cp benchmarks/target/benchmarks.jar \
 *     dev.throttle.bench.redis.RedisCostMeasurement [threads] [seconds] [rounds]
 * </pre>
 */
public final class RedisCostMeasurement {

  private RedisCostMeasurement() {}

  /** One decision for caller {@code i}. */
  interface Caller {
    long decide();
  }

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    String only = System.getProperty("impl", "");
    String onlyKeys = System.getProperty("keys", "");
    List<String> rows = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      System.out.println("redis-server pid " + redis.pid() + " at " + redis.uri() + ", " + threads + " threads");
      RedisClient adminClient = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> adminConnection = adminClient.connect()) {
        RedisCommands<String, String> admin = adminConnection.sync();
        for (int round = 0; round < rounds; round++) {
          for (String keys : new String[] {"hot", "spread"}) {
            for (String impl : new String[] {"throttle", "bucket4j"}) {
              if (!only.isEmpty() && !only.equals(impl) || !onlyKeys.isEmpty() && !onlyKeys.equals(keys)) {
                continue;
              }
              rows.add(measure(redis.uri(), admin, impl, keys, threads, seconds));
              System.err.println(rows.get(rows.size() - 1));
            }
          }
        }
      } finally {
        adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
    System.out.println();
    System.out.println("| impl | keys | callers | decisions/s | JVM CPU µs/decision"
        + " | Lettuce I/O thread CPU µs/decision | redis-server CPU µs/decision | Redis commands/decision |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static String measure(String uri, RedisCommands<String, String> admin, String impl, String keys,
      int threads, int seconds) throws Exception {
    String run = impl + "-" + keys + "-" + System.nanoTime();
    AutoCloseable close;
    IntFunction<Caller> callers;
    if (impl.equals("throttle")) {
      RedisConnection connection = RedisConnection.open(uri, Duration.ofSeconds(5));
      RedisGcraLimiter limiter = RedisGcraLimiter.builder(connection.commands())
          .quota(Quota.of(Rate.perSecond(1_000_000), 1_000_000))
          .timeout(Duration.ofSeconds(5)).failureMode(FailureMode.REFUSE).build();
      callers = i -> {
        String key = keys.equals("hot") ? run : run + "-" + i;
        return () -> limiter.tryAcquire(key, 1).remaining();
      };
      close = connection;
    } else {
      RedisClient client = RedisClient.create(uri);
      StatefulRedisConnection<String, byte[]> connection =
          client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      LettuceBasedProxyManager<String> proxyManager = Bucket4jLettuce.casBasedBuilder(connection)
          .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
          .build();
      BucketConfiguration configuration = BucketConfiguration.builder()
          .addLimit(limit -> limit.capacity(1_000_000).refillGreedy(1_000_000, Duration.ofSeconds(1))).build();
      callers = i -> {
        BucketProxy bucket = proxyManager.builder()
            .build(keys.equals("hot") ? run : run + "-" + i, () -> configuration);
        return () -> bucket.tryConsumeAndReturnRemaining(1).getRemainingTokens();
      };
      close = () -> {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      };
    }
    LongAdder decisions = new LongAdder();
    LongAdder sink = new LongAdder();
    volatile_stop = false;
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Caller c = callers.apply(i);
      Thread t = new Thread(() -> {
        while (!volatile_stop) {
          sink.add(c.decide());
          decisions.increment();
        }
      }, "caller-" + i);
      t.setDaemon(true);
      workers.add(t);
    }
    workers.forEach(Thread::start);
    Thread.sleep(Math.max(2000, seconds * 500L)); // warm-up
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long d0 = decisions.sum();
    long cpu0 = os.getProcessCpuTime();
    Map<Long, Long> io0 = ioThreadCpu();
    double r0 = redisCpu(admin);
    long c0 = redisCommands(admin);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long d1 = decisions.sum();
    long cpu1 = os.getProcessCpuTime();
    Map<Long, Long> io1 = ioThreadCpu();
    double r1 = redisCpu(admin);
    long c1 = redisCommands(admin);
    long t1 = System.nanoTime();
    volatile_stop = true;
    for (Thread t : workers) {
      t.join(10_000);
    }
    close.close();
    double n = d1 - d0;
    return String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %.1f | %.1f | %.1f | %.2f |", impl, keys, threads,
        n / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e3 / n, busiest(io0, io1) / 1e3 / n, (r1 - r0) * 1e6 / n,
        (c1 - c0 - 2) / n);
  }

  private static volatile boolean volatile_stop;

  /** CPU time of each Lettuce event-loop thread by thread id. */
  private static Map<Long, Long> ioThreadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : mx.dumpAllThreads(false, false)) {
      if (info.getThreadName().contains("EventLoop")) {
        cpu.put(info.getThreadId(), mx.getThreadCpuTime(info.getThreadId()));
      }
    }
    return cpu;
  }

  /** The largest CPU time an event-loop thread spent between the two readings: the measured connection's. */
  private static long busiest(Map<Long, Long> before, Map<Long, Long> after) {
    long max = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      max = Math.max(max, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return max;
  }

  private static double redisCpu(RedisCommands<String, String> admin) {
    double sum = 0;
    for (String line : admin.info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        sum += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return sum;
  }

  private static long redisCommands(RedisCommands<String, String> admin) {
    for (String line : admin.info("stats").split("\r?\n")) {
      if (line.startsWith("total_commands_processed:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return -1;
  }
}
