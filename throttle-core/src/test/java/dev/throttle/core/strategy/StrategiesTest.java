package dev.throttle.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.headers.RateLimitHeaders;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StrategiesTest {

  @Test
  void defaultIsDiscoveryPacing() {
    ThrottleStrategy s = Strategies.defaultStrategy(1);
    assertInstanceOf(DiscoveryPacingStrategy.class, s);
    assertNotSame(s, Strategies.defaultStrategy(1));
  }

  @Test
  void toStringNamesTheStrategyAndItsState() {
    assertEquals("DiscoveryPacingStrategy[interval=PT1S]", Strategies.defaultStrategy(1).toString());
    ExponentialIncreaseProportionalRemainingDecreaseStrategy s =
        ExponentialIncreaseProportionalRemainingDecreaseStrategy.builder()
            .startingSleep(java.time.Duration.ofSeconds(2)).build();
    assertEquals("ExponentialIncreaseProportionalRemainingDecreaseStrategy[sleep=PT2S]", s.toString());
    assertTrue(JitteredBackoffStrategy.builder().jitter(JitteredBackoffStrategy.Jitter.FULL).build().toString()
        .contains("FULL"));
    assertTrue(AdaptiveRateStrategy.create().toString().contains("enabled=false"));
  }

  /** The delays a strategy hands out over eight 429s without headers (its jitter stream). */
  private static long[] backoffDelays(ThrottleStrategy s) {
    long[] delays = new long[8];
    ThrottleStrategy.Call call = s.newCall(0);
    long now = call.delayNanos(0);
    for (int i = 0; i < delays.length; i++) {
      call.onResponse(429, RateLimitHeaders.EMPTY, now);
      delays[i] = call.delayNanos(now);
      now += delays[i];
    }
    return delays;
  }

  @Test
  void aFixedSeedReproducesTheJitterAndTheSelfSeededDefaultDoesNot() {
    assertTrue(Arrays.equals(backoffDelays(Strategies.defaultStrategy(5)), backoffDelays(Strategies.defaultStrategy(5))));
    long[] a = backoffDelays(Strategies.defaultStrategy());
    long[] b = backoffDelays(Strategies.defaultStrategy());
    assertTrue(!Arrays.equals(a, b), "two self-seeded instances drew the same jitter: " + Arrays.toString(a));
    assertInstanceOf(DiscoveryPacingStrategy.class, Strategies.defaultStrategy());
  }

  @Test
  void selfSeedsAreDistinctWithinAProcess() {
    Set<Long> seeds = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertTrue(seeds.add(Strategies.ProcessSeed.next()), "repeated seed after " + i);
    }
  }

  @Test
  void twoProcessesGetDifferentSeeds() throws Exception {
    assertTrue(!processSeed().equals(processSeed()), "two JVMs drew the same first seed");
  }

  /** Runs {@link #main} in a fresh JVM and returns what it prints: that process's first self-drawn seed. */
  private static String processSeed() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StrategiesTest.class.getName())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  /** Prints this process's first self-drawn seed (used by {@link #twoProcessesGetDifferentSeeds}). */
  public static void main(String[] args) {
    System.out.println(Strategies.ProcessSeed.next());
  }
}
