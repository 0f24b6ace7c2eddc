package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitInfo;

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

  /** u / 14 = 0.0892857/s: the first interval for one thread under Heroku's policy, 11.2 s. */
  private static final long FIRST = 11_200_000_000L;

  /** Returns a strategy whose first, unpaced call was answered with an empty bank (r = 0): paced at 11.2 s. */
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
  void startsUnpacedThenPacesAtAFourteenthOfTheServerRateFromARandomPhase() {
    PacingStrategy s = strategy();
    ThrottleStrategy.Call c = s.newCall(0);
    assertEquals(0, c.delayNanos(0));
    assertEquals(0, s.intervalNanos());
    assertFalse(c.onResponse(200, heroku(0).resetNanos(3600 * S).build(), 0));
    assertEquals(FIRST, s.intervalNanos());
    // the schedule restarts at phase 0.5: last start = -5.6 s, next = -5.6 + 11.2 + 2.5 %
    ThrottleStrategy.Call d = s.newCall(0);
    assertEquals(FIRST / 2 + jitter(FIRST), d.delayNanos(0));

    // an empty bank (r = 0) on an attempt sent after the last decrease: rate x 0.9
    long t1 = FIRST / 2 + jitter(FIRST);
    assertFalse(d.onResponse(200, heroku(0).build(), t1));
    long i1 = scaled(FIRST, 0.9);
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
    PacingStrategy s = pacedAfterAnEmptyBank(); // 11.2 s
    ThrottleStrategy.Call d = s.newCall(0);
    long sent = d.delayNanos(0);
    // r = 20: 10 units above twice the target over 60 s = 0.1667/s beats 0.0893 + 0.0025
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
    PacingStrategy s = pacedAfterAnEmptyBank(); // rate 0.0892857/s
    ThrottleStrategy.Call d = s.newCall(0);
    long sent = d.delayNanos(0);
    d.onResponse(200, heroku(40).build(), sent); // bank term 30 / 60 s -> 2 s; rate + 0.0025
    assertEquals(2 * S, s.intervalNanos(), 1);
    ThrottleStrategy.Call e = s.newCall(sent);
    long sent2 = sent + e.delayNanos(sent);
    e.onResponse(200, heroku(8).build(), sent2); // no bank term; rate + 0.0025 again
    assertEquals((long) (1e9 / (1e9 / (long) (1e9 / (1e9 / FIRST + 0.0025)) + 0.0025)),
        s.intervalNanos(), 1);
  }

  @Test
  void additiveIncreaseWhenTheBankIsComfortable() {
    PacingStrategy s = pacedAfterAnEmptyBank();
    ThrottleStrategy.Call d = s.newCall(0);
    long sent = d.delayNanos(0);
    // r = 6 is above the target but not above twice the target: only the additive increase, 0.002 * 1.25
    d.onResponse(200, heroku(6).build(), sent);
    assertEquals((long) (1e9 / (1e9 / FIRST + 0.0025)), s.intervalNanos());
  }

  @Test
  void plentyBankedMeansNoPacingUntilTheBankRunsLow() {
    PacingStrategy s = pacedAfterAnEmptyBank();
    ThrottleStrategy.Call d = s.newCall(0);
    long sent = d.delayNanos(0);
    assertTrue(sent > 0);
    // r = 81 > 5 + floor(1.25/s x 60 s) = 80, the target plus what the server refills over the horizon: burst
    d.onResponse(200, heroku(81).build(), sent);
    assertEquals(0, s.newCall(sent).delayNanos(sent));
    assertEquals(0, s.newCall(sent).delayNanos(sent));
    // meanwhile the bank term is the threshold's, (80 - 10) / 60 s
    assertEquals((long) (60e9 / 70), s.intervalNanos(), 1);
    // r = 80 is not above the threshold: paced again, by the bank term
    ThrottleStrategy.Call e = s.newCall(sent);
    e.delayNanos(sent);
    e.onResponse(200, heroku(80).build(), sent);
    assertTrue(s.newCall(sent).delayNanos(sent) > 0);
    assertEquals((long) (60e9 / 70), s.intervalNanos(), 1);
  }

  @Test
  void aBankThatHardlyRefillsIsSpentAtFullSpeedDownToTheTarget() {
    // 4500 per 24 h (the longest window a client can be told): 0.052/s, 3 units over the 60 s horizon
    PacingStrategy s = strategy();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    RateLimitInfo.Builder daily = RateLimitInfo.builder().limit(4500).windowNanos(24 * 3600 * S);
    c.onResponse(200, daily.remaining(4490).build(), 0);
    long lambda = s.intervalNanos();
    assertEquals((long) (1e9 / (4500.0 / 86400 / 14)), lambda, 1);
    // r = 9 > 5 + 3: still unpaced, and no bank term trickling the last units out (there is no band above 10)
    ThrottleStrategy.Call d = s.newCall(0);
    assertEquals(0, d.delayNanos(0));
    d.onResponse(200, daily.remaining(9).build(), 0);
    assertEquals(0, s.newCall(0).delayNanos(0));
    assertEquals(lambda, s.intervalNanos());
    // r = 8: paced at the sustained rate (here a share of almost nothing, plus one additive increase)
    ThrottleStrategy.Call e = s.newCall(0);
    e.delayNanos(0);
    e.onResponse(200, daily.remaining(8).build(), 0);
    assertTrue(s.newCall(0).delayNanos(0) > 0);
    assertEquals((long) (1e9 / (1e9 / lambda + 0.002 * 4500.0 / 86400)), s.intervalNanos(), 1);
  }

  @Test
  void aFastServerIsNeverBurstButItsBankIsSpreadOverTheHorizon() {
    // 10/s with a capacity of 100 (w = 10 s): it refills 600 units over the horizon, more than it can bank
    PacingStrategy s = strategy();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    RateLimitInfo.Builder fast = RateLimitInfo.builder().limit(100).windowNanos(10 * S);
    c.onResponse(200, fast.remaining(99).build(), 0);
    // not bursting: attempts queue one interval apart; the bank term (99 - 10) / 60 s beats 10/s / 14
    long i = s.intervalNanos();
    assertEquals((long) (60e9 / 89), i, 1);
    long first = s.newCall(0).delayNanos(0);
    long second = s.newCall(0).delayNanos(0);
    assertEquals(i + jitter(i), second - first);
  }

  @Test
  void retryAfterIsAFloorForTheRetryAndTheFirstPhaseCountsFromIt() {
    PacingStrategy s = strategy();
    ThrottleStrategy.Call c = s.newCall(0);
    c.delayNanos(0);
    assertTrue(c.onResponse(429, heroku(0).retryAfterNanos(60 * S).build(), 0));
    long interval = s.intervalNanos(); // 11.2 s
    // the first slot falls in [RA, max(RA, interval)): RA = 60 s is beyond the interval, so 60 s + 2.5 %
    // (the wait stays within max(interval, RA) + 5 %)
    assertEquals(60 * S + jitter(interval), c.delayNanos(0));
    // a Retry-After shorter than the interval: phase 0.5 of what is left after it, not collapsed onto it
    PacingStrategy t = strategy();
    ThrottleStrategy.Call tc = t.newCall(0);
    tc.delayNanos(0);
    assertTrue(tc.onResponse(429, heroku(0).retryAfterNanos(2 * S).build(), 0));
    assertEquals(interval, t.intervalNanos());
    assertEquals(2 * S + (interval - 2 * S) / 2 + jitter(interval), tc.delayNanos(0));
    // a later 429 with a Retry-After beyond the next slot: the retry waits for it, plus jitter
    assertTrue(c.onResponse(429, heroku(0).retryAfterNanos(120 * S).build(), 70 * S));
    long i2 = s.intervalNanos();
    assertEquals(120 * S + jitter(i2), c.delayNanos(70 * S));
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
    assertEquals(FIRST / 3, s.intervalNanos(), 1);
    // b and c were sent before that decision: their bad news is not counted again
    assertTrue(b.onResponse(429, heroku(0).retryAfterNanos(S).build(), S));
    c.onResponse(200, heroku(0).build(), S);
    assertEquals(FIRST / 3, s.intervalNanos(), 1);
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
    // assumed 1/s, a fourteenth -> 14 s; the slot (7 s + 2.5 %) beats the equal-jitter backoff (0.75 s)
    assertEquals(14 * S, s.intervalNanos());
    long delay = d.delayNanos(0);
    assertEquals(7 * S + jitter(14 * S), delay);
    // a success without headers increases the rate additively by 0.002 x 1/s
    assertFalse(d.onResponse(200, RateLimitInfo.EMPTY, delay));
    assertEquals((long) (1e9 / (1.0 / 14 + 0.002)), s.intervalNanos());
  }

  @Test
  void onALongIntervalA429DecreasesAtMostOncePerThreeIntervals() {
    PacingStrategy s = pacedAfterAnEmptyBank(); // 11.2 s = 14 server intervals of 0.8 s
    ThrottleStrategy.Call c = s.newCall(0);
    long now = 0;
    long expected = FIRST;
    // short intervals: every 429 (retried one interval later) decreases, 11.2 -> 16 -> 22.9 -> 32.7 s
    for (int i = 0; i < 3; i++) {
      now += c.delayNanos(now);
      assertTrue(c.onResponse(429, heroku(0).retryAfterNanos(S).build(), now));
      expected = scaled(expected, 0.7);
      assertEquals(expected, s.intervalNanos());
    }
    long lastDecrease = now;
    long longInterval = expected; // 32.7 s = 40.8 server intervals: long
    assertTrue(longInterval * 1.25 / 1e9 > 40);
    // 429s within three intervals of that decrease leave the rate alone, though sent after it
    for (int i = 0; i < 2; i++) {
      now += c.delayNanos(now);
      assertTrue(now - lastDecrease < 3 * longInterval);
      assertTrue(c.onResponse(429, heroku(0).retryAfterNanos(S).build(), now));
      assertEquals(longInterval, s.intervalNanos());
    }
    // the first 429 three intervals after it decreases again
    now += c.delayNanos(now);
    assertTrue(now - lastDecrease >= 3 * longInterval);
    assertTrue(c.onResponse(429, heroku(0).retryAfterNanos(S).build(), now));
    assertEquals(scaled(longInterval, 0.7), s.intervalNanos());
    // an empty bank still decreases at once on a long interval (only 429s are spaced)
    long decreased = s.intervalNanos();
    now += c.delayNanos(now);
    assertFalse(c.onResponse(200, heroku(0).build(), now));
    assertEquals(scaled(decreased, 0.9), s.intervalNanos());
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
