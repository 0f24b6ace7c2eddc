package dev.throttle.redis;

import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A separate JVM for {@link RedisGcraLimiterTest#twoJvmsNeverOverAdmit}: {@code threads} threads each call
 * {@code calls} times on one key and the total admitted units are printed as {@code admitted=N}.
 * Args: uri key threads calls capacity. Prints {@code ready} once connected, then starts on a line on stdin.
 */
public final class AdmitWorker {

  private AdmitWorker() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String key = args[1];
    int threads = Integer.parseInt(args[2]);
    int calls = Integer.parseInt(args[3]);
    long capacity = Long.parseLong(args[4]);
    try (RedisConnection c = RedisConnection.open(uri, Duration.ofSeconds(5))) {
      RedisGcraLimiter limiter = RedisGcraLimiter.builder(c.commands()).timeout(Duration.ofSeconds(5))
          .failureMode(FailureMode.REFUSE).quota(Quota.of(Rate.perHour(1), capacity)).build();
      limiter.tryAcquireAtMost(key + "-warmup", 0); // connect and load the script before the start
      System.out.println("ready");
      System.out.flush();
      new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
          .readLine();
      AtomicLong admitted = new AtomicLong();
      Thread[] ts = new Thread[threads];
      for (int i = 0; i < threads; i++) {
        ts[i] = new Thread(() -> {
          for (int k = 0; k < calls; k++) {
            admitted.addAndGet(limiter.tryAcquire(key, 1).granted());
          }
        });
        ts[i].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      System.out.println("admitted=" + admitted.get());
    }
  }
}
