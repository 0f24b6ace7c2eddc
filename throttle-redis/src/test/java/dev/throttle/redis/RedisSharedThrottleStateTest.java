package dev.throttle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.testing.RedisServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fleet's shared state in a real redis-server: two "processes" (two connections) share one schedule. */
class RedisSharedThrottleStateTest {

  private static final long MS = 1_000_000;

  @Test
  void twoConnectionsShareSlotsNotBeforeAndRate() {
    try (RedisConnection other = RedisConnection.open(SharedRedis.server().uri(), Duration.ofSeconds(5))) {
      RedisSharedThrottleState a = RedisSharedThrottleState.builder(SharedRedis.connection().commands(), "tok-a")
          .timeout(Duration.ofSeconds(2)).build();
      RedisSharedThrottleState b = RedisSharedThrottleState.builder(other.commands(), "tok-a")
          .timeout(Duration.ofSeconds(2)).build();
      a.learn(0, 0, 50 * MS);
      // each slot lies in [call start + delay, call end + delay] on this JVM's clock
      List<long[]> slots = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        RedisSharedThrottleState s = i % 2 == 0 ? a : b;
        long t0 = System.nanoTime();
        long d = s.reserveSlot(t0, 0);
        long t1 = System.nanoTime();
        slots.add(new long[] {t0 + d, t1 + d});
      }
      assertEquals(50 * MS, b.intervalNanos(), "b learned a's rate");
      for (int i = 1; i < slots.size(); i++) {
        long most = slots.get(i)[1] - slots.get(i - 1)[0];
        long least = slots.get(i)[0] - slots.get(i - 1)[1];
        // one schedule: 50 ms apart, alternating between the two connections
        assertTrue(most >= 49 * MS && least <= 51 * MS, "gap in [" + least + ", " + most + "]");
      }
      long learnedAt = System.nanoTime();
      b.learn(0, 2_000 * MS, -1);
      long d = a.reserveSlot(System.nanoTime(), 0);
      long slotAtMost = System.nanoTime() + d;
      assertTrue(slotAtMost >= learnedAt + 1_999 * MS, "a holds off for b's Retry-After: " + d);
      assertTrue(a.reserveSlot(System.nanoTime(), 3_000 * MS) >= 3_000 * MS, "never before the caller's own delay");
    }
  }

  @Test
  void redisDownFallsBackLocallyWithinTheTimeoutAndRecovers() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisConnection c = RedisConnection.open(server.uri(), Duration.ofMillis(100))) {
      AtomicInteger down = new AtomicInteger();
      AtomicInteger up = new AtomicInteger();
      RedisSharedThrottleState s = RedisSharedThrottleState.builder(c.commands(), "tok-f")
          .probeInterval(Duration.ofMillis(50)).addListener(new RedisHealthListener() {
            @Override
            public void onRedisDown(String component, Throwable cause) {
              down.incrementAndGet();
            }

            @Override
            public void onRedisUp(String component, long downNanos, long failedCalls) {
              up.incrementAndGet();
            }
          }).build();
      s.learn(System.nanoTime(), 0, 10 * MS);
      server.kill();
      for (int i = 0; i < 20; i++) {
        long t0 = System.nanoTime();
        long d = s.reserveSlot(t0, 0);
        assertTrue(System.nanoTime() - t0 < 2_000 * MS, "bounded by the timeout");
        assertTrue(d >= 0);
      }
      assertEquals(1, down.get());
      server.startAgain();
      long deadline = System.nanoTime() + 15_000 * MS;
      while (up.get() == 0 && System.nanoTime() < deadline) {
        s.reserveSlot(System.nanoTime(), 0);
        Thread.sleep(20);
      }
      assertEquals(1, up.get());
    }
  }
}
