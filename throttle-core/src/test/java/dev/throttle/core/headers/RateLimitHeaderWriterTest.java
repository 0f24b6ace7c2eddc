package dev.throttle.core.headers;

import dev.throttle.core.headers.RateLimitHeaderWriter.ResetStyle;
import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimitHeaderWriterTest {

  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  /** 2026-01-01T00:00:00.250Z. */
  static final long NOW = 1_767_225_600_250L;
  /** Capacity 100, 100 per minute: T = 0.6 s, w = 60 s. */
  static final Quota API = Quota.of("api", Rate.of(100, Duration.ofMinutes(1)), 100);

  static Map<String, String> write(RateLimitHeaderWriter writer, RateLimitResult result, long now) {
    Map<String, String> headers = new LinkedHashMap<>();
    writer.write(result, now, (name, value) -> {
      if (headers.put(name, value) != null) throw new AssertionError("written twice: " + name);
    });
    return headers;
  }

  static Map<String, String> headers(String... nameValue) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) m.put(nameValue[i], nameValue[i + 1]);
    return m;
  }

  /** 40 remaining: 60 units in use, the next frees in 0.25 s, full after 59 × 0.6 + 0.25 = 35.65 s. */
  static final RateLimitResult ALLOWED_40 = RateLimitResult.of(Decision.ALLOWED, 1, API, 40, 0, 35_650 * MS);

  @Test
  void defaultsWriteEveryFormatInOrder() {
    assertEquals(headers(
        "RateLimit-Policy", "\"api\";q=100;w=60",
        "RateLimit", "\"api\";r=40;t=1",
        "X-RateLimit-Limit", "100",
        "X-RateLimit-Remaining", "40",
        "X-RateLimit-Reset", "36",
        "RateLimit-Remaining", "40"), write(RateLimitHeaderWriter.defaults(), ALLOWED_40, NOW));
    assertEquals(List.of("RateLimit-Policy", "RateLimit", "X-RateLimit-Limit", "X-RateLimit-Remaining",
        "X-RateLimit-Reset", "RateLimit-Remaining"),
        new ArrayList<>(write(RateLimitHeaderWriter.defaults(), ALLOWED_40, NOW).keySet()));
  }

  @Test
  void limitedAddsRetryAfterRoundedUp() {
    // all 100 units in use: the next frees in 59.9 - 99 × 0.6 = 0.5 s, which is also the wait for cost 1
    RateLimitResult limited = RateLimitResult.of(Decision.LIMITED, 0, API, 0, 500 * MS, 59_900 * MS);
    assertEquals(headers(
        "RateLimit-Policy", "\"api\";q=100;w=60",
        "RateLimit", "\"api\";r=0;t=1",
        "X-RateLimit-Limit", "100",
        "X-RateLimit-Remaining", "0",
        "X-RateLimit-Reset", "60",
        "RateLimit-Remaining", "0",
        "Retry-After", "1"), write(RateLimitHeaderWriter.defaults(), limited, NOW));
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "999999999, 1", "1000000000, 1", "1000000001, 2", "2000000000, 2", "9223372036854775806, "
      + "9223372037"})
  void retryAfterIsNeverEarly(long retryAfterNanos, String expected) {
    RateLimitResult limited = RateLimitResult.of(Decision.LIMITED, 0, API, 0, retryAfterNanos, 60 * S);
    assertEquals(expected, write(retryAfterOnly(), limited, NOW).get("Retry-After"));
  }

  static RateLimitHeaderWriter retryAfterOnly() {
    return RateLimitHeaderWriter.builder().formats(RateLimitHeaderFormat.RETRY_AFTER).build();
  }

  @Test
  void noRetryAfterUnlessLimited() {
    RateLimitResult exceeds = RateLimitResult.of(Decision.EXCEEDS_CAPACITY, 0, API, 100, RateLimitResult.NEVER, 0);
    Map<String, String> h = write(RateLimitHeaderWriter.defaults(), exceeds, NOW);
    assertFalse(h.containsKey("Retry-After"));
    assertEquals("100", h.get("X-RateLimit-Remaining"));
    assertEquals(Map.of(), write(retryAfterOnly(), exceeds, NOW));
    assertEquals(Map.of(), write(retryAfterOnly(), ALLOWED_40, NOW));
  }

  @Test
  void fullQuotaOmitsT() {
    RateLimitResult full = RateLimitResult.of(Decision.ALLOWED, 0, API, 100, 0, 0);
    Map<String, String> h = write(RateLimitHeaderWriter.defaults(), full, NOW);
    assertEquals("\"api\";r=100", h.get("RateLimit"));
    assertEquals("0", h.get("X-RateLimit-Reset"));
  }

  @ParameterizedTest(name = "remaining {0}, resetAfter {1} ns: t={2}")
  @CsvSource({
      "99, 600000000, 1",      // one unit used, frees in 0.6 s
      "99, 1, 1",              // frees in 1 ns: still 1, never 0 while a unit is in use
      "98, 1200000000, 1",     // two used: next in 0.6 s
      "90, 7000000000, 2",     // ten used over 7 s (next at 7 - 9 × 0.6 = 1.6 s)
      "0, 60000000000, 1",     // empty: next unit in 0.6 s
      "50, 0, 1",              // inconsistent (nothing to reset, yet units in use): still at least 1
  })
  void tIsTheTimeToTheNextUnitRoundedUp(long remaining, long resetAfterNanos, long t) {
    RateLimitResult r = RateLimitResult.of(Decision.ALLOWED, 1, API, remaining, 0, resetAfterNanos);
    assertEquals(t, RateLimitHeaderWriter.draftResetSeconds(r));
  }

  @Test
  void tDoesNotOverflowOnInconsistentResults() {
    // (capacity - 1) × T = (2^31 - 2) × 1 year overflows a long; the result claims only 1 s to reset
    Quota yearly = Quota.of(Rate.of(1, Duration.ofDays(365)), Quota.MAX_CAPACITY);
    RateLimitResult r = RateLimitResult.of(Decision.LIMITED, 0, yearly, 0, S, S);
    assertEquals(1, RateLimitHeaderWriter.draftResetSeconds(r));
    RateLimitResult nearlyFull = RateLimitResult.of(Decision.ALLOWED, 1, yearly, Quota.MAX_CAPACITY - 1, 0,
        Long.MAX_VALUE);
    assertEquals(RateLimitHeaderParser.ceilSeconds(Long.MAX_VALUE),
        RateLimitHeaderWriter.draftResetSeconds(nearlyFull));
  }

  @ParameterizedTest(name = "{0} per {1}, capacity {2}: w={3}")
  @CsvSource({
      "100, PT1M, 100, 60",
      "3, PT1S, 3, 1",                    // T rounds to 333333334 ns; w uses the exact period/count
      "3, PT1S, 4, 2",                    // 4/3 s
      "1000000000, PT1S, 1, 1",           // 1 ns to refill: at least 1 s
      "4500, PT1H, 4500, 3600",
      "1, PT8760H, 2147483647, 999999999999999", // one per year, huge capacity: capped at the sf-integer maximum
      "1, PT2562047H47M16.854775807S, 2, 18446744074", // period of Long.MAX_VALUE ns
  })
  void windowIsTheTimeToRefillCompletely(long count, Duration period, long capacity, long w) {
    assertEquals(w, RateLimitHeaderWriter.windowSeconds(Quota.of(Rate.of(count, period), capacity)));
  }

  @Test
  void epochResetStyleRoundsTheInstantUp() {
    RateLimitHeaderWriter epoch = RateLimitHeaderWriter.builder().formats(RateLimitHeaderFormat.X_RATELIMIT)
        .resetStyle(ResetStyle.EPOCH_SECONDS).build();
    // 00:00:00.250 + 35.65 s = 00:00:35.9 → 36
    assertEquals("1767225636", write(epoch, ALLOWED_40, NOW).get("X-RateLimit-Reset"));
    RateLimitResult full = RateLimitResult.of(Decision.ALLOWED, 0, API, 100, 0, 0);
    assertEquals("1767225601", write(epoch, full, NOW).get("X-RateLimit-Reset"));
    assertEquals("1767225600", write(epoch, full, NOW - 250).get("X-RateLimit-Reset"));
    assertEquals("0", write(epoch, ALLOWED_40, -1_000_000_000L).get("X-RateLimit-Reset"));
  }

  @Test
  void eachFormatAlone() {
    assertEquals(headers("RateLimit-Policy", "\"api\";q=100;w=60", "RateLimit", "\"api\";r=40;t=1"),
        write(only(RateLimitHeaderFormat.IETF_DRAFT), ALLOWED_40, NOW));
    assertEquals(headers("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "40", "X-RateLimit-Reset", "36"),
        write(only(RateLimitHeaderFormat.X_RATELIMIT), ALLOWED_40, NOW));
    assertEquals(headers("RateLimit-Remaining", "40"),
        write(only(RateLimitHeaderFormat.RATELIMIT_REMAINING), ALLOWED_40, NOW));
  }

  static RateLimitHeaderWriter only(RateLimitHeaderFormat format) {
    return RateLimitHeaderWriter.builder().formats(format).build();
  }

  @Test
  void policyFollowsTheQuotaOfEachResult() {
    Quota other = Quota.of("per-user id", Rate.perSecond(10), 20);
    RateLimitResult r2 = RateLimitResult.of(Decision.ALLOWED, 1, other, 19, 0, 100 * MS);
    RateLimitHeaderWriter w = RateLimitHeaderWriter.defaults();
    for (int i = 0; i < 3; i++) {
      assertEquals("\"api\";q=100;w=60", write(w, ALLOWED_40, NOW).get("RateLimit-Policy"));
      assertEquals("\"per-user id\";q=20;w=2", write(w, r2, NOW).get("RateLimit-Policy"));
      assertEquals("\"per-user id\";r=19;t=1", write(w, r2, NOW).get("RateLimit"));
    }
  }

  @Test
  void sfStringEscapesQuoteAndBackslash() {
    String quoted = RateLimitHeaderWriter.sfString("a\"b\\c d,e;f");
    assertEquals("\"a\\\"b\\\\c d,e;f\"", quoted);
    StructuredFields.Item item = (StructuredFields.Item) StructuredFields.parseList(quoted + ";r=1").get(0);
    assertEquals("a\"b\\c d,e;f", item.value());
  }

  @Test
  void clientViewOfTheExample() {
    assertEquals(RateLimitHeaders.builder().limit(100).remaining(40).resetNanos(S).windowNanos(60 * S).build(),
        RateLimitHeaderWriter.defaults().clientView(ALLOWED_40));
    assertEquals(RateLimitHeaders.builder().limit(100).remaining(40).resetNanos(36 * S).build(),
        only(RateLimitHeaderFormat.X_RATELIMIT).clientView(ALLOWED_40));
    assertSame(RateLimitHeaders.EMPTY, retryAfterOnly().clientView(ALLOWED_40));
  }

  @Test
  void builderValidatesAndCopies() {
    assertThrows(IllegalArgumentException.class, () -> RateLimitHeaderWriter.builder().formats());
    assertThrows(IllegalArgumentException.class, () -> RateLimitHeaderWriter.builder().formats(Set.of()));
    assertThrows(NullPointerException.class,
        () -> RateLimitHeaderWriter.builder().formats((RateLimitHeaderFormat[]) null));
    assertThrows(NullPointerException.class,
        () -> RateLimitHeaderWriter.builder().formats(RateLimitHeaderFormat.IETF_DRAFT, null));
    assertThrows(NullPointerException.class, () -> RateLimitHeaderWriter.builder().resetStyle(null));
    RateLimitHeaderWriter.Builder b = RateLimitHeaderWriter.builder().formats(RateLimitHeaderFormat.RETRY_AFTER);
    RateLimitHeaderWriter built = b.build();
    b.formats(RateLimitHeaderFormat.X_RATELIMIT);
    assertEquals(Set.of(RateLimitHeaderFormat.RETRY_AFTER), built.formats());
    assertThrows(UnsupportedOperationException.class, () -> built.formats().clear());
    assertEquals(Set.of(RateLimitHeaderFormat.values()), RateLimitHeaderWriter.defaults().formats());
    assertEquals(ResetStyle.DELAY_SECONDS, RateLimitHeaderWriter.defaults().resetStyle());
  }

  @Test
  void nullArgumentsAreRejected() {
    RateLimitHeaderWriter w = RateLimitHeaderWriter.defaults();
    assertThrows(NullPointerException.class, () -> w.write(null, NOW, (n, v) -> {}));
    assertThrows(NullPointerException.class, () -> w.write(ALLOWED_40, NOW, null));
    assertThrows(NullPointerException.class, () -> w.clientView(null));
  }
}
