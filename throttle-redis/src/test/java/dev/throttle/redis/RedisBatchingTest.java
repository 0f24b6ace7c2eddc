package dev.throttle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Concurrent decisions coalesced into one script call, against a real redis-server: no over- or under-admission,
 * calls are actually shared under load (counted with {@code INFO commandstats}), a lone caller still makes one
 * call per decision, and a limiter with {@code maxBatch(1)} never shares.
 */
class RedisBatchingTest {

  private static final Quota SLOW = Quota.of(Rate.perHour(1), 50);

  private static RedisGcraLimiter.Builder builder(Quota... quotas) {
    RedisGcraLimiter.Builder b = RedisGcraLimiter.builder(SharedRedis.connection().commands())
        .timeout(Duration.ofSeconds(5)).failureMode(FailureMode.REFUSE);
    for (Quota q : quotas) {
      b.quota(q);
    }
    return b;
  }

  /** Script calls Redis has run so far (EVALSHA and EVAL, the NOSCRIPT reload). */
  private static long scriptCalls() {
    long sum = 0;
    for (String line : SharedRedis.connection().lettuce().sync().info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        int from = line.indexOf("calls=") + 6;
        sum += Long.parseLong(line.substring(from, line.indexOf(',', from)));
      }
    }
    return sum;
  }

  @Test
  void manyThreadsOnFewKeysAdmitExactlyWhatTheLocalLimiterAdmits() throws Exception {
    Quota perMinute = Quota.of("minute", Rate.perMinute(1), 30);
    RedisGcraLimiter limiter = builder(SLOW, perMinute).keyPrefix("batch-mt:").build();
    KeyedGcraLimiter<String> local = KeyedGcraLimiter.<String>builder().quota(SLOW).quota(perMinute).build();
    int threads = 32;
    String[] keys = {"a", "b", "c"};
    ConcurrentHashMap<String, AtomicLong> admitted = new ConcurrentHashMap<>();
    CyclicBarrier start = new CyclicBarrier(threads);
    long callsBefore = scriptCalls();
    List<Thread> ts = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int id = i;
      Thread t = new Thread(() -> {
        try {
          start.await();
          for (int k = 0; k < 30; k++) {
            String key = keys[(id + k) % keys.length];
            long cost = 1 + (id + k) % 3;
            RateLimitResult r = (id + k) % 2 == 0 ? limiter.tryAcquire(key, cost)
                : k % 3 == 0 ? limiter.tryAcquireAtMostAsync(key, cost).toCompletableFuture().join()
                : limiter.tryAcquireAsync(key, cost).toCompletableFuture().join();
            assertTrue(r.decision() != Decision.ALLOWED || r.granted() > 0 || cost == 0, r::toString);
            admitted.computeIfAbsent(key, x -> new AtomicLong()).addAndGet(r.granted());
          }
        } catch (Throwable e) {
          synchronized (errors) {
            errors.add(e);
          }
        }
      });
      ts.add(t);
      t.start();
    }
    for (Thread t : ts) {
      t.join();
    }
    assertEquals(List.of(), errors);
    long calls = scriptCalls() - callsBefore;
    int decisions = threads * 30;
    // far more demand than 30 units per key: every key is granted exactly its smallest capacity, never more
    for (String key : keys) {
      assertEquals(30, admitted.get(key).get(), key);
      // and Redis's state agrees with the local limiter charged the same 30 units: same figures for a peek
      local.tryAcquire(key, 30);
      RateLimitResult peekRedis = limiter.tryAcquire(key, 0);
      RateLimitResult peekLocal = local.tryAcquire(key, 0);
      assertEquals(peekLocal.remaining(), peekRedis.remaining(), key);
      assertEquals(peekLocal.quota(), peekRedis.quota(), key);
    }
    assertTrue(calls < decisions, "32 threads: " + calls + " script calls for " + decisions + " decisions");
  }

  @Test
  void asyncDecisionsIssuedAtOnceShareCallsAndAdmitExactlyTheCapacityOnOneKey() {
    RedisGcraLimiter limiter = builder(SLOW).keyPrefix("batch-async:").build();
    limiter.tryAcquire("warm", 0); // loads the one-decision script
    long before = scriptCalls();
    List<CompletableFuture<RateLimitResult>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      replies.add(limiter.tryAcquireAsync("k", 1).toCompletableFuture());
    }
    // exactly 50 admitted, with the remaining counts 49, 48, ..., 0 each once, the rest refused. Not asserted: that
    // the admitted ones are the first 50 issued. A call that meets NOSCRIPT (the batch script not yet loaded) is
    // sent again with EVAL after a later batch already ran, so batches may be decided out of issue order (CI saw it).
    java.util.Set<Long> remaining = new java.util.HashSet<>();
    int admitted = 0;
    for (CompletableFuture<RateLimitResult> reply : replies) {
      RateLimitResult r = reply.join();
      if (r.decision() == Decision.ALLOWED) {
        admitted++;
        assertTrue(remaining.add(r.remaining()), "remaining " + r.remaining() + " twice");
      }
    }
    assertEquals(50, admitted);
    for (long left = 0; left < 50; left++) {
      assertTrue(remaining.contains(left), "no decision left " + left);
    }
    long calls = scriptCalls() - before;
    // the first decision goes alone; the others queue while it is in flight and share calls of <= 64
    assertTrue(calls <= 50, calls + " script calls for 200 decisions");
    assertTrue(calls >= 4, calls + " script calls for 200 decisions: at most 64 per call");
  }

  @Test
  void aLoneCallerMakesOneCallPerDecisionAndMaxBatchOneNeverShares() throws Exception {
    RedisGcraLimiter lone = builder(SLOW).keyPrefix("batch-lone:").build();
    lone.tryAcquire("warm", 0);
    long before = scriptCalls();
    for (int i = 0; i < 20; i++) {
      lone.tryAcquire("k" + i, 1);
      lone.tryAcquireAsync("k" + i, 1).toCompletableFuture().join();
    }
    assertEquals(40, scriptCalls() - before);

    RedisGcraLimiter unbatched = builder(SLOW).keyPrefix("batch-one:").maxBatch(1).build();
    unbatched.tryAcquire("warm", 0);
    before = scriptCalls();
    List<CompletableFuture<RateLimitResult>> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      replies.add(unbatched.tryAcquireAsync("k", 1).toCompletableFuture());
    }
    replies.forEach(CompletableFuture::join);
    assertEquals(100, scriptCalls() - before);
  }
}
