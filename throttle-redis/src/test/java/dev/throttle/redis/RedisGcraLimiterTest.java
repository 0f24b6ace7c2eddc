package dev.throttle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.headers.RateLimitHeaderWriter;
import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.KeyedGcraLimiter;
import dev.throttle.core.limiter.KeyedRateLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** RedisGcraLimiter against a real redis-server: concurrency, two JVMs, expiry, NOSCRIPT, hash tags. */
class RedisGcraLimiterTest {

  private static final Quota SLOW = Quota.of(Rate.perHour(1), 50);

  private static RedisGcraLimiter limiter(Quota... quotas) {
    RedisGcraLimiter.Builder b = RedisGcraLimiter.builder(SharedRedis.connection().commands())
        .timeout(Duration.ofSeconds(5)).failureMode(FailureMode.REFUSE);
    Arrays.stream(quotas).forEach(b::quota);
    return b.build();
  }

  private static RedisCommands<String, String> sync() {
    return SharedRedis.connection().lettuce().sync();
  }

  @Test
  void manyThreadsOnOneKeyNeverOverAdmit() throws Exception {
    RedisGcraLimiter limiter = limiter(SLOW);
    AtomicLong admitted = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Thread t = new Thread(() -> {
        for (int k = 0; k < 40; k++) {
          admitted.addAndGet(limiter.tryAcquire("threads", 1).granted());
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(50, admitted.get());
  }

  @Test
  void asyncCallsNeverOverAdmit() {
    RedisGcraLimiter limiter = limiter(SLOW);
    List<CompletableFuture<RateLimitResult>> fs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      fs.add(limiter.tryAcquireAsync("async", 1).toCompletableFuture());
    }
    long admitted = fs.stream().mapToLong(f -> f.join().granted()).sum();
    assertEquals(50, admitted);
  }

  @Test
  void twoJvmsNeverOverAdmit() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    List<Process> ps = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      // C1 only and the serial collector: the workers start faster (this test's time is mostly JVM start-up)
      Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp,
          AdmitWorker.class.getName(), SharedRedis.server().uri(),
          "jvms", "8", "30", "100").redirectErrorStream(true).start();
      ps.add(p);
      outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }
    // both JVMs connected and loaded the script: start them together
    for (BufferedReader r : outs) {
      String l;
      do {
        l = r.readLine();
      } while (l != null && !l.equals("ready"));
      assertEquals("ready", l);
    }
    for (Process p : ps) {
      p.getOutputStream().write('\n');
      p.getOutputStream().flush();
    }
    long total = 0;
    for (int i = 0; i < 2; i++) {
      Process p = ps.get(i);
      String out = outs.get(i).lines().filter(l -> l.startsWith("admitted=")).findFirst().orElse("");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      assertFalse(out.isEmpty(), "worker printed no result");
      total += Long.parseLong(out.substring("admitted=".length()));
    }
    assertEquals(100, total, "480 attempts from 2 JVMs x 8 threads on one key of capacity 100");
  }

  @Test
  void keyExpiresWhenItHoldsNoInformation() throws Exception {
    RedisGcraLimiter limiter = limiter(Quota.of(Rate.of(1, Duration.ofMillis(300)), 2));
    String k = limiter.keys("expiry")[0];
    assertTrue(limiter.tryAcquireAtMost("expiry", 0).allowed(), "peek");
    assertEquals(0, sync().exists(k), "a peek writes nothing");
    RateLimitResult r = limiter.tryAcquire("expiry", 2);
    assertTrue(r.allowed());
    assertEquals(0, r.remaining());
    long pttl = sync().pttl(k);
    // TAT - now = 600 ms; the key expires within a millisecond of it
    assertTrue(pttl > 500 && pttl <= 601, "pttl " + pttl);
    assertEquals(Decision.LIMITED, limiter.tryAcquire("expiry", 1).decision());
    Thread.sleep(650);
    assertEquals(0, sync().exists(k), "expired once TAT passed");
    assertEquals(2, limiter.tryAcquireAtMost("expiry", 0).remaining());
  }

  @Test
  void reloadsTheScriptAfterNoscript() {
    RedisGcraLimiter limiter = limiter(SLOW);
    assertTrue(limiter.tryAcquire("noscript", 1).allowed());
    sync().scriptFlush();
    RateLimitResult r = limiter.tryAcquire("noscript", 1);
    assertTrue(r.allowed());
    assertEquals(48, r.remaining());
  }

  @Test
  void quotasOfOneKeyShareASlotAndAreDecidedTogether() {
    RedisGcraLimiter limiter = limiter(Quota.of("burst", Rate.perSecond(10), 5), Quota.of("hour", Rate.perHour(1), 7));
    String[] keys = limiter.keys("user{1}:x");
    assertEquals(SlotHash.getSlot(keys[0]), SlotHash.getSlot(keys[1]));
    RateLimitResult r = limiter.tryAcquire("multi", 5);
    assertTrue(r.allowed());
    assertEquals("burst", r.quota().name());
    RateLimitResult refused = limiter.tryAcquire("multi", 3);
    assertEquals(Decision.LIMITED, refused.decision());
    assertEquals("hour", refused.quota().name(), "the quota needing the longest wait");
    // nothing was charged to the burst quota by the refusal
    assertEquals(0, limiter.tryAcquireAtMost("multi", 0).remaining());
    assertEquals(Decision.EXCEEDS_CAPACITY, limiter.tryAcquire("multi", 6).decision());
    RateLimitResult partial = limiter.tryAcquireAtMost("multi-p", 9);
    assertEquals(5, partial.granted());
  }

  @Test
  void headerWriterWorksUnchangedAndResetForgets() {
    KeyedRateLimiter<String> limiter = limiter(Quota.of(Rate.perMinute(60), 10));
    RateLimitResult r = limiter.tryAcquire("headers", 10);
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    RateLimitHeaderWriter.defaults().write(r, System.currentTimeMillis(), headers::put);
    assertNotNull(headers.get("RateLimit"));
    assertEquals(Decision.LIMITED, limiter.tryAcquire("headers").decision());
    limiter.reset("headers");
    assertEquals(10, limiter.tryAcquireAtMost("headers", 0).remaining());
  }

  @Test
  void localAndRedisLimitersAreInterchangeable() {
    List<KeyedRateLimiter<String>> both = List.of(
        KeyedGcraLimiter.<String>builder().quota(SLOW).build(), limiter(SLOW));
    for (KeyedRateLimiter<String> l : both) {
      assertEquals(30, l.tryAcquireAtMost("swap", 30).granted());
      assertEquals(20, l.tryAcquireAtMost("swap", 30).granted());
      assertEquals(Decision.LIMITED, l.tryAcquire("swap").decision());
    }
  }

  @Test
  void rejectsRatesFasterThanTheRedisClock() {
    assertThrows(IllegalArgumentException.class, () -> RedisGcraLimiter.builder(SharedRedis.connection().commands())
        .quota(Quota.of(Rate.perSecond(2_000_000), 10)));
    assertThrows(IllegalArgumentException.class, () -> RedisGcraLimiter.builder(SharedRedis.connection().commands())
        .keyPrefix("a{b"));
    assertThrows(IllegalArgumentException.class, () -> limiter(SLOW).tryAcquire("x", -1));
  }
}
