package dev.throttle.core.policy;

import dev.throttle.core.headers.RateLimitHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class ThrottlePolicyPropertiesTest {

  /**
   * Whatever the strategy asks and the server answers, a call never exceeds the policy's limits: attempts,
   * single wait, total wait; it ends DONE exactly when the strategy accepts a response, and GIVE_UP only for a
   * response the strategy wanted to retry.
   */
  @Property
  void callsStayWithinTheLimits(
      @ForAll @IntRange(min = 1, max = 8) int maxAttempts,
      @ForAll @LongRange(min = 0, max = 100) long maxDelaySeconds,
      @ForAll @LongRange(min = 0, max = 300) long maxTotalWaitSeconds,
      @ForAll @LongRange(min = 0, max = 200) long pacingSeconds,
      @ForAll @Size(min = 1, max = 5) List<@LongRange(min = 0, max = 150) Long> retryDelaysSeconds,
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 3) Integer> outcomes) {
    long s = 1_000_000_000L;
    long[] delays = retryDelaysSeconds.stream().mapToLong(d -> d * s).toArray();
    ThrottlePolicy policy = ThrottlePolicy.builder(new ScriptedStrategy(pacingSeconds * s, delays))
        .maxAttempts(maxAttempts).maxDelay(Duration.ofSeconds(maxDelaySeconds))
        .maxTotalWait(Duration.ofSeconds(maxTotalWaitSeconds)).build();
    ThrottledCall call = policy.newCall(0);
    long now = 0;
    long waited = 0;
    for (int i = 0; ; i++) {
      long delay = call.delayNanos(now);
      assertTrue(delay >= 0 && delay <= maxDelaySeconds * s, "single wait above maxDelay: " + delay);
      waited += delay;
      now += delay;
      assertEquals(waited, call.totalDelayNanos());
      assertTrue(waited <= maxTotalWaitSeconds * s, "total wait above maxTotalWait");
      int outcome = outcomes.get(Math.min(i, outcomes.size() - 1));
      int status = switch (outcome) {
        case 0 -> 200;
        case 1 -> 429;
        case 2 -> 503;
        default -> 404;
      };
      RateLimitHeaders headers = outcome == 2 ? RateLimitHeaders.builder().retryAfterNanos(3 * s).build()
          : RateLimitHeaders.EMPTY;
      boolean strategyRetries = status == 429 || status == 503;
      AttemptVerdict v = call.onResponse(status, headers, now);
      assertEquals(i + 1, call.attempts());
      assertTrue(call.attempts() <= maxAttempts);
      if (!strategyRetries) {
        assertEquals(AttemptVerdict.DONE, v);
        assertNull(call.giveUp());
        return;
      }
      if (v == AttemptVerdict.GIVE_UP) {
        ThrottleGiveUpException e = call.giveUp();
        assertNotNull(e);
        assertEquals(status, e.lastStatus());
        assertEquals(call.attempts(), e.attempts());
        switch (e.reason()) {
          case MAX_ATTEMPTS -> assertEquals(maxAttempts, call.attempts());
          case MAX_DELAY -> assertTrue(e.neededDelayNanos() > maxDelaySeconds * s);
          case MAX_TOTAL_WAIT -> assertTrue(waited + e.neededDelayNanos() > maxTotalWaitSeconds * s);
          default -> throw new AssertionError("no budget configured: " + e.reason());
        }
        return;
      }
      assertEquals(AttemptVerdict.RETRY, v);
    }
  }
}
