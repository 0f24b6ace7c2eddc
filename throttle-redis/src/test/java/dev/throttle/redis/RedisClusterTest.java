package dev.throttle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.testing.RedisClusterProcess;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limiter and the shared state against a real Redis Cluster of three masters, through Lettuce's
 * {@code RedisClusterClient} ({@link RedisClusterConnection}): one decision's quota keys share a hash tag (one
 * slot, one node, one atomic script call), different keys land on different nodes, many threads never
 * over-admit. Skipped (assumption) only when redis-server or redis-cli is missing.
 */
class RedisClusterTest {

  private static RedisClusterProcess cluster;
  private static RedisClusterConnection connection;

  @BeforeAll
  static void startCluster() {
    Assumptions.assumeTrue(RedisClusterProcess.available(), "redis-server and redis-cli are not installed");
    cluster = RedisClusterProcess.start(3);
    connection = RedisClusterConnection.open(cluster.uris(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stopCluster() {
    if (connection != null) {
      connection.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Fails the test on any Redis failure: the failure modes would otherwise answer in Redis's place. */
  private static final RedisHealthListener NO_FAILURES = new RedisHealthListener() {
    @Override
    public void onRedisDown(String component, Throwable cause) {
      DOWN.compareAndSet(null, new AssertionError(component + " lost Redis", cause));
    }
  };
  private static final AtomicReference<Throwable> DOWN = new AtomicReference<>();

  private static void assertRedisNeverFailed() {
    if (DOWN.get() != null) {
      throw new AssertionError(DOWN.get());
    }
  }

  private static RedisAdvancedClusterCommands<String, String> sync() {
    return connection.lettuce().sync();
  }

  /** The master that serves {@code redisKey}'s slot, as the client's slot map says. */
  private static String nodeOf(String redisKey) {
    RedisClusterNode node = connection.lettuce().getPartitions().getPartitionBySlot(SlotHash.getSlot(redisKey));
    assertNotNull(node, "no node for " + redisKey);
    return node.getNodeId();
  }

  /** Keys {@code prefix + i} until their hash tags cover every master, at least {@code min} of them. */
  private static List<String> keysOnEveryNode(String prefix, int min, java.util.function.Function<String, String> tag) {
    Set<String> nodes = new HashSet<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < min || nodes.size() < 3; i++) {
      String k = prefix + i;
      keys.add(k);
      nodes.add(nodeOf(tag.apply(k)));
    }
    return keys;
  }

  @Test
  void theClusterHasThreeMastersEachServingSlots() {
    assertEquals(3, connection.lettuce().getPartitions().size());
    String info = cluster.cli(cluster.ports().get(0), "CLUSTER", "INFO");
    assertTrue(info.contains("cluster_state:ok"), info);
    assertTrue(info.contains("cluster_size:3"), info);
  }

  @Test
  void manyThreadsNeverOverAdmitAndEveryQuotaOfADecisionIsChargedTogether() throws Exception {
    // "second" lets a key through at 20/s after a burst of 5; "hour" caps it at 40 in all (no recovery worth a
    // unit within the test: one per 90 s). A key admitted 40 times has had both quotas charged on every
    // admission and on no refusal; 41 would be an over-admission, fewer a refusal that charged "hour".
    Quota second = Quota.of("second", Rate.perSecond(20), 5);
    Quota hour = Quota.of("hour", Rate.of(40, Duration.ofHours(1)), 40);
    RedisGcraLimiter limiter = RedisGcraLimiter.builder(connection.commands()).keyPrefix("cl-gcra:")
        .quota(second).quota(hour).timeout(Duration.ofSeconds(5)).failureMode(FailureMode.REFUSE).listener(NO_FAILURES).build();
    List<String> keys = keysOnEveryNode("k", 6, k -> limiter.keys(k)[0]);
    for (String k : keys) {
      String[] redisKeys = limiter.keys(k);
      assertEquals(SlotHash.getSlot(redisKeys[0]), SlotHash.getSlot(redisKeys[1]), "one slot per decision");
    }
    Map<String, AtomicLong> admitted = new ConcurrentHashMap<>();
    Map<String, AtomicLong> firstSend = new ConcurrentHashMap<>();
    Map<String, AtomicLong> lastAnswer = new ConcurrentHashMap<>();
    for (String k : keys) {
      admitted.put(k, new AtomicLong());
      firstSend.put(k, new AtomicLong(Long.MAX_VALUE));
      lastAnswer.put(k, new AtomicLong(Long.MIN_VALUE));
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    // at least 2.5 s (the hour quota is used up after 1.75 s at 20/s, then every key is hammered while exhausted),
    // longer only if a slow machine has not yet brought every key to 40 (at most 15 s)
    long minNanos = Duration.ofMillis(2500).toNanos();
    long maxNanos = Duration.ofSeconds(15).toNanos();
    long start = System.nanoTime();
    java.util.function.BooleanSupplier done = () -> {
      long t = System.nanoTime() - start;
      return t >= maxNanos || t >= minNanos && admitted.values().stream().allMatch(a -> a.get() >= 40);
    };
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      int offset = t;
      Thread th = new Thread(() -> {
        try {
          go.await();
          for (int i = offset; !done.getAsBoolean(); i++) {
            String k = keys.get(i % keys.size());
            long sent = System.nanoTime();
            RateLimitResult r = limiter.tryAcquire(k, 1);
            long answered = System.nanoTime();
            if (r.decision() == Decision.ALLOWED) {
              admitted.get(k).incrementAndGet();
              firstSend.get(k).accumulateAndGet(sent, Math::min);
              lastAnswer.get(k).accumulateAndGet(answered, Math::max);
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      threads.add(th);
      th.start();
    }
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    Set<String> nodes = new HashSet<>();
    for (String k : keys) {
      long n = admitted.get(k).get();
      double seconds = (lastAnswer.get(k).get() - firstSend.get(k).get()) / 1e9;
      // "second": burst 5 + 20/s over the span of this key's admissions (+1 for the unit being earned)
      assertTrue(n <= 5 + 20 * seconds + 1, k + ": " + n + " admitted in " + seconds + " s");
      assertEquals(40, n, k + ": the hour quota admits exactly its capacity");
      // every quota key of the decision lives on the master of the tag's slot, and only there
      String node = nodeOf(limiter.keys(k)[0]);
      nodes.add(node);
      for (String redisKey : limiter.keys(k)) {
        assertEquals(node, nodeOf(redisKey));
      }
      // (the "second" key has expired by now: it expires when its TAT passes)
      assertEquals(1L, sync().exists(limiter.keys(k)[1]), limiter.keys(k)[1] + " was written");
    }
    assertEquals(3, nodes.size(), "the keys spread over every master");
    // the keys really are on the masters the slot map names: ask each master directly for its own keys
    Map<Integer, Long> perNode = new HashMap<>();
    for (int port : cluster.ports()) {
      String count = cluster.cli(port, "EVAL", "return #redis.call('KEYS', 'cl-gcra:*:01')", "0");
      perNode.put(port, Long.parseLong(count.replaceAll("[^0-9]", "")));
    }
    assertEquals((long) keys.size(), perNode.values().stream().mapToLong(Long::longValue).sum(), perNode.toString());
    assertTrue(perNode.values().stream().allMatch(n -> n > 0), "every master holds keys: " + perNode);
    assertRedisNeverFailed();
  }

  @Test
  void asyncCallsAcrossNodesNeverOverAdmit() {
    RedisGcraLimiter limiter = RedisGcraLimiter.builder(connection.commands()).keyPrefix("cl-async:")
        .quota(Quota.of(Rate.perHour(1), 30)).timeout(Duration.ofSeconds(5)).failureMode(FailureMode.REFUSE).listener(NO_FAILURES)
        .build();
    List<String> keys = keysOnEveryNode("a", 3, k -> limiter.keys(k)[0]);
    Map<String, List<java.util.concurrent.CompletableFuture<RateLimitResult>>> futures = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      for (String k : keys) {
        futures.computeIfAbsent(k, x -> new ArrayList<>()).add(limiter.tryAcquireAsync(k, 1).toCompletableFuture());
      }
    }
    futures.forEach((k, fs) -> assertEquals(30, fs.stream().mapToLong(f -> f.join().granted()).sum(), k));
    // reset deletes the key's state on its node: the key admits its capacity again
    limiter.reset(keys.get(0));
    assertEquals(0L, sync().exists(limiter.keys(keys.get(0))[0]));
    assertEquals(30, limiter.tryAcquireAtMost(keys.get(0), 100).granted());
    assertRedisNeverFailed();
  }

  @Test
  void sharedStateSpacesTheFleetsSlotsOnEveryNode() throws Exception {
    long intervalNanos = Duration.ofMillis(20).toNanos();
    int perName = 24;
    List<String> names = keysOnEveryNode("token-", 3, n -> "cl-fleet:{" + n + "}");
    Set<String> nodes = new HashSet<>();
    for (String name : names) {
      RedisSharedThrottleState state = RedisSharedThrottleState.builder(connection.commands(), name)
          .keyPrefix("cl-fleet:").timeout(Duration.ofSeconds(5)).listener(NO_FAILURES).build();
      state.learn(System.nanoTime(), 0, intervalNanos);
      assertEquals(intervalNanos, state.intervalNanos());
      // 6 threads reserve 4 slots each at once: the slots (the caller's now + the delay handed out) are one
      // interval apart, so they span at least (n - 1) intervals; the Redis round trip blurs each by its length
      long[] slots = new long[perName];
      long[] trips = new long[perName];
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      AtomicLong next = new AtomicLong();
      for (int t = 0; t < 6; t++) {
        Thread th = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < perName / 6; i++) {
            long now = System.nanoTime();
            long d = state.reserveSlot(now, 0);
            int j = (int) next.getAndIncrement();
            trips[j] = System.nanoTime() - now;
            slots[j] = now + d;
          }
        });
        threads.add(th);
        th.start();
      }
      go.countDown();
      for (Thread th : threads) {
        th.join();
      }
      Arrays.sort(slots);
      long blur = Arrays.stream(trips).max().orElse(0);
      long span = slots[perName - 1] - slots[0];
      assertTrue(span >= (perName - 1) * intervalNanos - 2 * blur,
          name + ": span " + span / 1e6 + " ms, round trips up to " + blur / 1e6 + " ms");
      String key = "cl-fleet:{" + name + "}";
      assertEquals(String.valueOf(intervalNanos / 1000), sync().hget(key, "iv"));
      nodes.add(nodeOf(key));
    }
    assertEquals(3, nodes.size(), "the names' states spread over every master");
    assertRedisNeverFailed();
  }
}
