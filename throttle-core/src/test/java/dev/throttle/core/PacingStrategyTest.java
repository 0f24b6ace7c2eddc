package dev.throttle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * PacingStrategy's state machine step by step, with U = 0.5 for every draw (jitter 0.05 × 0.5 = 2.5 % of the
 * interval) and Heroku's policy q = 4500, w = 3600 s, so the server rate u = 1.25/s.
 */
class PacingStrategyTest {

  private static final long S = 1_000_000_000L;

  private static PacingStrategy strategy() {
    return PacingStrategy.builder().random(new FixedRandom(0.5)).build();
  }

  private static RateLimitInfo.Builder heroku(long remaining) {
    return RateLimitInfo.builder().remaining(remaining).limit(4500).windowNanos(3600 * S);
  }

  /** Returns a strategy whose first, unpaced call was answered with an empty bank (r = 0): paced at 12.8 s. */
  private static PacingStrategy pacedAfterAnEmptyBank() {
    PacingStrategy s = strategy();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    c.onResponse(200, heroku(0).build(), 0);
    return s;
  }

  private static long jitter(long interval) {
    return (long) (interval * 0.05 * 0.5);
  }

  /** The interval after multiplying the rate of {@code interval} by {@code factor}, as the strategy computes it. */
  private static long scaled(long interval, double factor) {
    return (long) (1e9 / (1e9 / interval * factor));
  }

  @Test
  void startsUnpacedThenPacesAtASixteenthOfTheServerRateFromARandomPhase() {
    PacingStrategy s = strategy();
    ThrottleStrategy.Call c = s.newCall(0);
    assertEquals(0, c.delayNanos(0));
    assertEquals(0, s.intervalNanos());
    assertFalse(c.onResponse(200, heroku(0).resetNanos(3600 * S).build(), 0));
    // u / 16 = 0.078125/s -> 12.8 s
    assertEquals(12_800_000_000L, s.intervalNanos());
    // the schedule restarts at phase 0.5: last start = -6.4 s, next = -6.4 + 12.8 + 2.5 %
    ThrottleStrategy.Call d = s.newCall(0);
    assertEquals(6_400_000_000L + 320_000_000L, d.delayNanos(0));

    // an empty bank (r = 0) on an attempt sent after the last decrease: rate x 0.9
    long t1 = 6_720_000_000L;
    assertFalse(d.onResponse(200, heroku(0).build(), t1));
    long i1 = scaled(12_800_000_000L, 0.9);
    assertEquals(i1, s.intervalNanos());
    ThrottleStrategy.Call e = s.newCall(t1);
    long d2 = e.delayNanos(t1);
    assertEquals(i1 + jitter(i1), d2);

    // a 429: rate x 0.7, retried in the next slot, which is later than Retry-After
    long t2 = t1 + d2;
    assertTrue(e.onResponse(429, heroku(0).retryAfterNanos(S).build(), t2));
    long i2 = scaled(i1, 0.7);
    assertEquals(i2, s.intervalNanos());
    assertEquals(i2 + jitter(i2), e.delayNanos(t2));
  }

  @Test
  void aBankAboveTwiceTheTargetIsSpentOverTheHorizonWhateverTheResetSays() {
    PacingStrategy s = pacedAfterAnEmptyBank(); // 12.8 s
    ThrottleStrategy.Call d = s.newCall(0);
    long sent = d.delayNanos(0);
    // r = 20: 10 units above twice the target over 60 s = 0.1667/s beats 0.078125 + 0.0025
    assertFalse(d.onResponse(200, heroku(20).build(), sent));
    assertEquals(6 * S, s.intervalNanos(), 1);
    // t is not a horizon (next unit, full reset or window reset depending on the server)
    ThrottleStrategy.Call e = s.newCall(sent);
    long sent2 = sent + e.delayNanos(sent);
    assertFalse(e.onResponse(200, heroku(20).resetNanos(S).build(), sent2));
    assertEquals(6 * S, s.intervalNanos(), 1);
  }

  @Test
  void theBankTermVanishesWithTheBankWhileTheRateKeepsOnlyItsOwnSteps() {
    PacingStrategy s = pacedAfterAnEmptyBank(); // rate 0.078125/s
    ThrottleStrategy.Call d = s.newCall(0);
    long sent = d.delayNanos(0);
    d.onResponse(200, heroku(40).build(), sent); // bank term 30 / 60 s -> 2 s; rate + 0.0025
    assertEquals(2 * S, s.intervalNanos(), 1);
    ThrottleStrategy.Call e = s.newCall(sent);
    long sent2 = sent + e.delayNanos(sent);
    e.onResponse(200, heroku(8).build(), sent2); // no bank term; rate + 0.0025 again
    assertEquals((long) (1e9 / (1e9 / (long) (1e9 / (1e9 / 12_800_000_000L + 0.0025)) + 0.0025)),
        s.intervalNanos(), 1);
  }

  @Test
  void additiveIncreaseWhenTheBankIsComfortable() {
    PacingStrategy s = pacedAfterAnEmptyBank();
    ThrottleStrategy.Call d = s.newCall(0);
    long sent = d.delayNanos(0);
    // r = 6 is above the target but not above twice the target: only the additive increase, 0.002 * 1.25
    d.onResponse(200, heroku(6).build(), sent);
    assertEquals((long) (1e9 / (1e9 / 12_800_000_000L + 0.0025)), s.intervalNanos());
  }

  @Test
  void plentyBankedMeansNoPacingUntilTheBankRunsLow() {
    PacingStrategy s = pacedAfterAnEmptyBank();
    ThrottleStrategy.Call d = s.newCall(0);
    long sent = d.delayNanos(0);
    assertTrue(sent > 0);
    // r = 100 > max(4 x 5, 4500 / 100) = 45: burst
    d.onResponse(200, heroku(100).build(), sent);
    assertEquals(0, s.newCall(sent).delayNanos(sent));
    assertEquals(0, s.newCall(sent).delayNanos(sent));
    // meanwhile the bank term is the threshold's, (45 - 10) / 60 s
    assertEquals((long) (60e9 / 35), s.intervalNanos(), 1);
    ThrottleStrategy.Call e = s.newCall(sent);
    e.delayNanos(sent);
    e.onResponse(200, heroku(30).build(), sent);
    assertTrue(s.newCall(sent).delayNanos(sent) > 0);
  }

  @Test
  void retryAfterIsAFloorForTheRetry() {
    PacingStrategy s = strategy();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertTrue(c.onResponse(429, heroku(0).retryAfterNanos(60 * S).build(), 0));
    long interval = s.intervalNanos(); // 12.8 s
    assertEquals(60 * S + jitter(interval), c.delayNanos(0));
    // 503 with Retry-After is retried and floored too; 503 without is not retried
    ThrottleStrategy.Call d = s.newCall(0);
    d.delayNanos(0);
    assertTrue(d.onResponse(503, RateLimitInfo.builder().retryAfterNanos(300 * S).build(), 0));
    assertTrue(d.delayNanos(0) >= 300 * S);
    ThrottleStrategy.Call e = s.newCall(0);
    e.delayNanos(0);
    assertFalse(e.onResponse(503, RateLimitInfo.EMPTY, 0));
  }

  @Test
  void theInitialRateCountsTheThreadsAlreadyWaiting() {
    PacingStrategy s = strategy();
    ThrottleStrategy.Call a = s.newCall(0);
    ThrottleStrategy.Call b = s.newCall(0);
    ThrottleStrategy.Call c = s.newCall(0);
    a.delayNanos(0);
    b.delayNanos(0);
    c.delayNanos(0);
    a.onResponse(200, heroku(0).build(), S);
    assertEquals(12_800_000_000L / 3, s.intervalNanos(), 1);
    // b and c were sent before that decision: their bad news is not counted again
    assertTrue(b.onResponse(429, heroku(0).retryAfterNanos(S).build(), S));
    c.onResponse(200, heroku(0).build(), S);
    assertEquals(12_800_000_000L / 3, s.intervalNanos(), 1);
    // threads of one client queue one interval apart
    long i = s.intervalNanos();
    long first = s.newCall(S).delayNanos(S);
    long second = s.newCall(S).delayNanos(S);
    assertEquals(i + jitter(i), second - first);
  }

  @Test
  void withoutHeadersA429StartsPacingAndRetriesBackOffWithJitter() {
    PacingStrategy s = strategy();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertFalse(c.onResponse(200, RateLimitInfo.EMPTY, 0));
    assertEquals(0, s.intervalNanos());
    ThrottleStrategy.Call again = s.newCall(0);
    assertEquals(0, again.delayNanos(0));
    assertFalse(again.onResponse(200, RateLimitInfo.EMPTY, 0));

    ThrottleStrategy.Call d = s.newCall(0);
    d.delayNanos(0);
    assertTrue(d.onResponse(429, RateLimitInfo.EMPTY, 0));
    // assumed 1/s, a sixteenth -> 16 s; the slot (8 s + 2.5 %) beats the equal-jitter backoff (0.75 s)
    assertEquals(16 * S, s.intervalNanos());
    long delay = d.delayNanos(0);
    assertEquals(8 * S + jitter(16 * S), delay);
    // a success without headers increases the rate additively by 0.002 x 1/s
    assertFalse(d.onResponse(200, RateLimitInfo.EMPTY, delay));
    assertEquals((long) (1e9 / (1.0 / 16 + 0.002)), s.intervalNanos());
  }

  @Test
  void theIntervalIsCappedAtMaxInterval() {
    PacingStrategy s = PacingStrategy.builder().maxInterval(Duration.ofSeconds(30)).random(new FixedRandom(0.5))
        .build();
    long now = 0;
    ThrottleStrategy.Call c = s.newCall(now);
    for (int i = 0; i < 40; i++) {
      now += c.delayNanos(now);
      assertTrue(c.onResponse(429, heroku(0).retryAfterNanos(S).build(), now));
      assertTrue(s.intervalNanos() <= 30 * S);
    }
    assertEquals(30 * S, s.intervalNanos());
    assertTrue(c.delayNanos(now) <= s.maxDelayNanos());
  }

  @Test
  void builderValidatesNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PacingStrategy.builder().throttleDecrease(1.0));
    assertTrue(e.getMessage().contains("throttleDecrease"));
    e = assertThrows(IllegalArgumentException.class, () -> PacingStrategy.builder().bankTarget(-1));
    assertTrue(e.getMessage().contains("bankTarget"));
    e = assertThrows(IllegalArgumentException.class,
        () -> PacingStrategy.builder().spendHorizon(Duration.ofMillis(10)));
    assertTrue(e.getMessage().contains("spendHorizon"));
    e = assertThrows(IllegalArgumentException.class,
        () -> PacingStrategy.builder().maxInterval(Duration.ofDays(2)));
    assertTrue(e.getMessage().contains("maxInterval"));
    e = assertThrows(IllegalArgumentException.class, () -> PacingStrategy.builder().initialShare(0));
    assertTrue(e.getMessage().contains("initialShare"));
    assertThrows(NullPointerException.class, () -> PacingStrategy.builder().assumedServerRate(null));
  }
}
