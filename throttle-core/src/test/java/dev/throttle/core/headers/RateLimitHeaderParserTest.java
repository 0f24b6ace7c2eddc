package dev.throttle.core.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RateLimitHeaderParserTest {

  /** 2026-01-01T00:00:00Z. */
  static final long NOW = 1_767_225_600_000L;
  static final long S = 1_000_000_000L;
  static final long CAP = RateLimitHeaders.MAX_DELAY_NANOS;

  /** Parses name/value pairs with a case-insensitive lookup at {@link #NOW}. */
  static RateLimitHeaders parse(String... nameValue) {
    return parseAt(NOW, nameValue);
  }

  static RateLimitHeaders parseAt(long now, String... nameValue) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValue.length; i += 2) {
      headers.put(nameValue[i], nameValue[i + 1]);
    }
    return RateLimitHeaderParser.parse(headers::get, now);
  }

  static RateLimitHeaders.Builder info() {
    return RateLimitHeaders.builder();
  }

  // ---- one field at a time: good and bad values ----

  static Stream<Arguments> singleFields() {
    return Stream.of(
        // Retry-After, delay-seconds
        Arguments.of("Retry-After", "120", info().retryAfterNanos(120 * S)),
        Arguments.of("Retry-After", "0", info().retryAfterNanos(0)),
        Arguments.of("Retry-After", " 5\t", info().retryAfterNanos(5 * S)),
        Arguments.of("Retry-After", "007", info().retryAfterNanos(7 * S)),
        Arguments.of("Retry-After", "86400", info().retryAfterNanos(CAP)),
        Arguments.of("Retry-After", "86401", info().retryAfterNanos(CAP)),
        Arguments.of("Retry-After", "99999999999999999999", info().retryAfterNanos(CAP)),
        // Retry-After, HTTP-date in the three forms
        Arguments.of("Retry-After", "Thu, 01 Jan 2026 00:02:00 GMT", info().retryAfterNanos(120 * S)),
        Arguments.of("Retry-After", "Thursday, 01-Jan-26 00:02:00 GMT", info().retryAfterNanos(120 * S)),
        Arguments.of("Retry-After", "Thu Jan  1 00:02:00 2026", info().retryAfterNanos(120 * S)),
        Arguments.of("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT", info().retryAfterNanos(0)),
        Arguments.of("Retry-After", "Thu, 01 Jan 2026 00:00:00 GMT", info().retryAfterNanos(0)),
        Arguments.of("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT", info().retryAfterNanos(CAP)),
        Arguments.of("Retry-After", "Fri, 02 Jan 2026 00:00:00 GMT", info().retryAfterNanos(CAP)),
        // Retry-After, malformed: ignored
        Arguments.of("Retry-After", "-1", info()),
        Arguments.of("Retry-After", "1.5", info()),
        Arguments.of("Retry-After", "+5", info()),
        Arguments.of("Retry-After", "5s", info()),
        Arguments.of("Retry-After", "1e3", info()),
        Arguments.of("Retry-After", "0x10", info()),
        Arguments.of("Retry-After", "soon", info()),
        Arguments.of("Retry-After", "", info()),
        Arguments.of("Retry-After", "   ", info()),
        Arguments.of("Retry-After", "5, 6", info()),
        Arguments.of("Retry-After", "\uff11\uff12", info()), // full-width digits
        Arguments.of("Retry-After", "thu, 01 Jan 2026 00:02:00 GMT", info()),
        Arguments.of("Retry-After", "Thu, 01 Jan 2026 00:02:00 UTC", info()),
        Arguments.of("Retry-After", "Thu, 01 Jan 2026 00:02:00 +0000", info()),
        Arguments.of("Retry-After", "2026-01-01T00:02:00Z", info()),
        Arguments.of("Retry-After", "Thu, 31 Apr 2026 00:02:00 GMT", info()),

        // X-RateLimit-* (de facto)
        Arguments.of("X-RateLimit-Limit", "100", info().limit(100)),
        Arguments.of("X-RateLimit-Limit", "999999999999999", info().limit(999_999_999_999_999L)),
        Arguments.of("X-RateLimit-Limit", "1000000000000000", info()),
        Arguments.of("X-RateLimit-Limit", "99999999999999999999", info()),
        Arguments.of("X-RateLimit-Limit", "-1", info()),
        Arguments.of("X-RateLimit-Limit", "4.0", info()),
        Arguments.of("X-RateLimit-Limit", "lots", info()),
        Arguments.of("X-RateLimit-Remaining", "0", info().remaining(0)),
        Arguments.of("X-RateLimit-Remaining", " 42 ", info().remaining(42)),
        Arguments.of("X-RateLimit-Remaining", "-3", info()),
        Arguments.of("X-RateLimit-Remaining", "4 2", info()),
        Arguments.of("X-RateLimit-Reset", "30", info().resetNanos(30 * S)),
        Arguments.of("X-RateLimit-Reset", "1.5", info().resetNanos(1_500_000_000L)),
        Arguments.of("X-RateLimit-Reset", "0.0000000019", info().resetNanos(2)),
        Arguments.of("X-RateLimit-Reset", "0.0000000010", info().resetNanos(1)),
        Arguments.of("X-RateLimit-Reset", "999999999", info().resetNanos(CAP)),
        Arguments.of("X-RateLimit-Reset", "1767225660", info().resetNanos(60 * S)),
        Arguments.of("X-RateLimit-Reset", "1767225660.25", info().resetNanos(60_250_000_000L)),
        Arguments.of("X-RateLimit-Reset", "1767225599.5", info().resetNanos(0)),
        Arguments.of("X-RateLimit-Reset", "1700000000", info().resetNanos(0)),
        Arguments.of("X-RateLimit-Reset", "1000000000", info().resetNanos(0)),
        Arguments.of("X-RateLimit-Reset", "99999999999999999999", info().resetNanos(CAP)),
        Arguments.of("X-RateLimit-Reset", "-5", info()),
        Arguments.of("X-RateLimit-Reset", "1.", info()),
        Arguments.of("X-RateLimit-Reset", ".5", info()),
        Arguments.of("X-RateLimit-Reset", "1.5.2", info()),
        Arguments.of("X-RateLimit-Reset", "Thu, 01 Jan 2026 00:02:00 GMT", info()),

        // Heroku and drafts -00 to -06
        Arguments.of("RateLimit-Remaining", "4500", info().remaining(4500)),
        Arguments.of("RateLimit-Remaining", "x", info()),
        Arguments.of("RateLimit-Limit", "100", info().limit(100)),
        Arguments.of("RateLimit-Limit", "10, 10;w=1;burst=1000, 1000;w=3600", info().limit(10)),
        Arguments.of("RateLimit-Limit", "\"a\";q=5", info()),
        Arguments.of("RateLimit-Reset", "7", info().resetNanos(7 * S)),

        // draft-10 RateLimit alone
        Arguments.of("RateLimit", "\"default\";r=50;t=30", info().remaining(50).resetNanos(30 * S)),
        Arguments.of("RateLimit", "\"default\";r=50", info().remaining(50)),
        Arguments.of("RateLimit", "default;r=5;t=0", info().remaining(5).resetNanos(0)),
        Arguments.of("RateLimit", "\"d\";r=5;t=999999999999999", info().remaining(5).resetNanos(CAP)),
        Arguments.of("RateLimit", "\"d\";r=5;pk=:cHJpdmF0ZQ==:;acme-x=?1", info().remaining(5)),
        Arguments.of("RateLimit", "\"burst\";r=5;t=1, \"daily\";r=3;t=3600", info().remaining(3).resetNanos(3600 * S)),
        Arguments.of("RateLimit", "\"a\";r=0;t=1, \"b\";r=0;t=10,\"c\";r=0", info().remaining(0).resetNanos(10 * S)),
        Arguments.of("RateLimit", "\"d\";r=1;r=4", info().remaining(4)),
        // draft-10 RateLimit, malformed: the whole field is ignored
        Arguments.of("RateLimit", "\"default\";r=-1", info()),
        Arguments.of("RateLimit", "\"default\";r=5.0", info()),
        Arguments.of("RateLimit", "\"default\";t=5", info()),
        Arguments.of("RateLimit", "\"default\";r=5;t=-1", info()),
        Arguments.of("RateLimit", "\"default\";r=5;t=1.5", info()),
        Arguments.of("RateLimit", "\"default\";r=5;t=\"1\"", info()),
        Arguments.of("RateLimit", "\"default\";r=5,", info()),
        Arguments.of("RateLimit", "\"default;r=5", info()),
        Arguments.of("RateLimit", "\"default\";r=1000000000000000", info()),
        Arguments.of("RateLimit", "\"a\";r=1, \"b\";r=-1", info()),
        Arguments.of("RateLimit", "1;r=5", info()),
        Arguments.of("RateLimit", "(\"a\");r=5", info()),
        Arguments.of("RateLimit", "\"d\u00e9faut\";r=5", info()),
        Arguments.of("RateLimit", "\"a\";R=5", info()),
        // draft-07 dictionary
        Arguments.of("RateLimit", "limit=100, remaining=50, reset=5",
            info().limit(100).remaining(50).resetNanos(5 * S)),
        Arguments.of("RateLimit", "remaining=0", info().remaining(0)),
        Arguments.of("RateLimit", "limit=100, remaining=-1, reset=5", info()),
        Arguments.of("RateLimit", "limit=100, remaining=?1", info()),
        Arguments.of("RateLimit", "limit=100, remaining=50,", info()),

        // RateLimit-Policy alone
        Arguments.of("RateLimit-Policy", "\"default\";q=100;w=60", info().limit(100).windowNanos(60 * S)),
        Arguments.of("RateLimit-Policy", "\"default\";q=100", info().limit(100)),
        Arguments.of("RateLimit-Policy", "\"burst\";q=100;w=60,\"daily\";q=1000;w=86400",
            info().limit(1000).windowNanos(86400 * S)),
        Arguments.of("RateLimit-Policy", "\"peruser\";q=65535;qu=\"content-bytes\";w=10;pk=:sdfjLJUOUH==:",
            info().limit(65535).windowNanos(10 * S)),
        Arguments.of("RateLimit-Policy", "\"a\";q=5, \"b\";q=7;w=1", info().limit(7).windowNanos(S)),
        Arguments.of("RateLimit-Policy", "\"a\";q=9, \"b\";q=7", info().limit(7)),
        Arguments.of("RateLimit-Policy", "100;w=10", info().limit(100).windowNanos(10 * S)),
        // a window is a description, not a wait: kept up to 100 years
        Arguments.of("RateLimit-Policy", "\"w\";q=1;w=604800", info().limit(1).windowNanos(604800 * S)),
        Arguments.of("RateLimit-Policy", "\"w\";q=1;w=9999999999999", info().limit(1)
            .windowNanos(RateLimitHeaders.MAX_WINDOW_NANOS)),
        Arguments.of("RateLimit-Policy", "\"a\";w=10", info()),
        Arguments.of("RateLimit-Policy", "\"a\";q=10;w=0", info()),
        Arguments.of("RateLimit-Policy", "\"a\";q=10;w=-5", info()),
        Arguments.of("RateLimit-Policy", "\"a\";q=-1", info()),
        Arguments.of("RateLimit-Policy", "\"a\";q=10, ?1;q=5", info()));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("singleFields")
  void parsesOneField(String name, String value, RateLimitHeaders.Builder expected) {
    assertEquals(expected.build(), parse(name, value));
  }

  @Test
  void retryAfterDateIsRelativeToTheMillisecond() {
    assertEquals(119_500_000_000L,
        parseAt(NOW + 500, "Retry-After", "Thu, 01 Jan 2026 00:02:00 GMT").retryAfterNanos());
  }

  // ---- several fields together ----

  @Test
  void draftPolicyOfTheMostRestrictiveServiceLimitSuppliesLimitAndWindow() {
    RateLimitHeaders i = parse(
        "RateLimit", "\"burst\";r=5;t=1, \"daily\";r=3;t=3600",
        "RateLimit-Policy", "\"burst\";q=100;w=60,\"daily\";q=1000;w=86400");
    assertEquals(info().remaining(3).resetNanos(3600 * S).limit(1000).windowNanos(86400 * S).build(), i);
  }

  @Test
  void serviceLimitWithoutPolicyOfItsNameTakesLimitFromOtherFields() {
    RateLimitHeaders i = parse("RateLimit", "\"x\";r=1", "RateLimit-Policy", "\"y\";q=10;w=1",
        "X-RateLimit-Limit", "7");
    assertEquals(info().remaining(1).limit(7).build(), i);
  }

  @Test
  void draft07PolicyIsChosenByTheLimit() {
    RateLimitHeaders i = parse("RateLimit", "limit=10, remaining=4, reset=1",
        "RateLimit-Policy", "10;w=1;burst=1000, 1000;w=3600");
    assertEquals(info().limit(10).remaining(4).resetNanos(S).windowNanos(S).build(), i);
  }

  @Test
  void retryAfterTakesPrecedenceAndResetIsKept() {
    RateLimitHeaders i = parse("Retry-After", "120", "RateLimit", "\"d\";r=0;t=30");
    assertTrue(i.hasRetryAfter());
    assertEquals(120 * S, i.retryAfterNanos());
    assertEquals(30 * S, i.resetNanos());
  }

  @Test
  void tWithoutRetryAfterIsNotARetryAfter() {
    assertFalse(parse("RateLimit", "\"d\";r=0;t=30").hasRetryAfter());
  }

  @Test
  void newestDialectWinsPerFigure() {
    String[] all = {"RateLimit", "\"d\";r=5;t=2", "RateLimit-Policy", "\"d\";q=50;w=10",
        "RateLimit-Remaining", "7", "RateLimit-Limit", "70", "RateLimit-Reset", "3",
        "X-RateLimit-Remaining", "9", "X-RateLimit-Limit", "90", "X-RateLimit-Reset", "4"};
    assertEquals(info().remaining(5).limit(50).resetNanos(2 * S).windowNanos(10 * S).build(), parse(all));
    String[] noDraft = java.util.Arrays.copyOfRange(all, 4, all.length);
    assertEquals(info().remaining(7).limit(70).resetNanos(3 * S).build(), parse(noDraft));
    String[] legacyOnly = java.util.Arrays.copyOfRange(all, 10, all.length);
    assertEquals(info().remaining(9).limit(90).resetNanos(4 * S).build(), parse(legacyOnly));
  }

  @Test
  void fallsBackPerFigure() {
    // the draft field says nothing about reset when the quota is full: the legacy reset still counts
    assertEquals(info().remaining(10).resetNanos(0).build(),
        parse("RateLimit", "\"d\";r=10", "X-RateLimit-Reset", "0"));
    // a malformed draft field does not hide the legacy figures
    assertEquals(info().remaining(9).build(),
        parse("RateLimit", "\"d\";r=-1", "X-RateLimit-Remaining", "9"));
  }

  @Test
  void nothingUsableIsEmpty() {
    assertSame(RateLimitHeaders.EMPTY, parse());
    assertSame(RateLimitHeaders.EMPTY, parse("Content-Type", "text/plain", "Retry-After", "later"));
  }

  // ---- cached responses: Age ----

  /** One response in every dialect, fresh from the origin. */
  static final String[] ALL_DIALECTS = {"Retry-After", "120", "RateLimit", "\"d\";r=5;t=2",
      "RateLimit-Policy", "\"d\";q=50;w=10", "RateLimit-Remaining", "7", "RateLimit-Limit", "70",
      "RateLimit-Reset", "3", "X-RateLimit-Remaining", "9", "X-RateLimit-Limit", "90", "X-RateLimit-Reset", "4"};

  static final RateLimitHeaders.Builder ALL_READ =
      info().retryAfterNanos(120 * S).remaining(5).limit(50).resetNanos(2 * S).windowNanos(10 * S);

  static Stream<Arguments> ages() {
    return Stream.of(
        // Age 0 (or absent, or malformed): fresh, every figure counts
        Arguments.of("0", ALL_READ),
        Arguments.of("000", ALL_READ),
        Arguments.of("-1", ALL_READ),
        Arguments.of("-5", ALL_READ),
        Arguments.of("1.5", ALL_READ),
        Arguments.of("+5", ALL_READ),
        Arguments.of("5s", ALL_READ),
        Arguments.of("0x10", ALL_READ),
        Arguments.of("5, 6", ALL_READ),
        Arguments.of("five", ALL_READ),
        Arguments.of("", ALL_READ),
        Arguments.of("   ", ALL_READ),
        Arguments.of("\uff15", ALL_READ), // full-width 5
        // positive Age: cached, only Retry-After survives, exactly as sent (delay-seconds count from receipt)
        Arguments.of("1", info().retryAfterNanos(120 * S)),
        Arguments.of("5", info().retryAfterNanos(120 * S)),
        Arguments.of(" 5\t", info().retryAfterNanos(120 * S)),
        Arguments.of("007", info().retryAfterNanos(120 * S)),
        Arguments.of("119", info().retryAfterNanos(120 * S)),
        Arguments.of("120", info().retryAfterNanos(120 * S)),
        Arguments.of("121", info().retryAfterNanos(120 * S)),
        Arguments.of("2147483648", info().retryAfterNanos(120 * S)),
        Arguments.of("99999999999999999999", info().retryAfterNanos(120 * S)));
  }

  @ParameterizedTest(name = "Age: [{0}]")
  @MethodSource("ages")
  void ageDecidesWhetherFiguresCount(String age, RateLimitHeaders.Builder expected) {
    String[] headers = java.util.Arrays.copyOf(ALL_DIALECTS, ALL_DIALECTS.length + 2);
    headers[ALL_DIALECTS.length] = "Age";
    headers[ALL_DIALECTS.length + 1] = age;
    assertEquals(expected.build(), parse(headers));
  }

  static Stream<Arguments> retryAfterOnCachedResponses() {
    return Stream.of(
        // delay-seconds: used as sent, never reduced by Age (RFC 9110 §10.2.3: counted from receipt)
        Arguments.of("5", "3", info().retryAfterNanos(3 * S)),
        Arguments.of("5", "5", info().retryAfterNanos(5 * S)),
        Arguments.of("5", "6", info().retryAfterNanos(6 * S)),
        Arguments.of("3600", "60", info().retryAfterNanos(60 * S)),
        Arguments.of("99999999999999999999", "60", info().retryAfterNanos(60 * S)),
        Arguments.of("5", "0", info().retryAfterNanos(0)),
        Arguments.of("1", "86401", info().retryAfterNanos(CAP)),
        Arguments.of("10", "86401", info().retryAfterNanos(CAP)),
        Arguments.of("5", "99999999999999999999", info().retryAfterNanos(CAP)),
        // an HTTP-date is absolute: Age does not move it
        Arguments.of("5", "Thu, 01 Jan 2026 00:02:00 GMT", info().retryAfterNanos(120 * S)),
        Arguments.of("600", "Thursday, 01-Jan-26 00:02:00 GMT", info().retryAfterNanos(120 * S)),
        Arguments.of("5", "Sun, 06 Nov 1994 08:49:37 GMT", info().retryAfterNanos(0)),
        // a malformed Retry-After stays ignored
        Arguments.of("5", "1.5", info()),
        Arguments.of("5", "-10", info()));
  }

  @ParameterizedTest(name = "Age: {0}, Retry-After: {1}")
  @MethodSource("retryAfterOnCachedResponses")
  void retryAfterIsNotReducedByAge(String age, String retryAfter, RateLimitHeaders.Builder expected) {
    assertEquals(expected.build(), parse("Age", age, "Retry-After", retryAfter, "X-RateLimit-Remaining", "3"));
  }

  @Test
  void cachedResponseWithoutRetryAfterIsEmpty() {
    assertSame(RateLimitHeaders.EMPTY, parse("Age", "5", "RateLimit", "limit=100, remaining=50, reset=5"));
    assertSame(RateLimitHeaders.EMPTY, parse("Age", "5", "RateLimit-Policy", "\"d\";q=50;w=10"));
    assertSame(RateLimitHeaders.EMPTY, parse("Age", "5"));
    assertSame(RateLimitHeaders.EMPTY, parse("Age", "0"));
  }

  @Test
  void repeatedAgeTakesTheLargestValidLine() {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Retry-After", List.of("10"));
    headers.put("X-RateLimit-Remaining", List.of("3"));
    headers.put("Age", java.util.Arrays.asList("junk", null, "2", "0"));
    assertEquals(info().retryAfterNanos(10 * S).build(), RateLimitHeaderParser.parseAll(headers::get, NOW));
    headers.put("Age", List.of("0", "-4", "junk"));
    assertEquals(info().retryAfterNanos(10 * S).remaining(3).build(),
        RateLimitHeaderParser.parseAll(headers::get, NOW));
  }

  // ---- lookups ----

  @Test
  void lookupFunctionIsTheCallersResponsibilityForCase() {
    Map<String, String> caseSensitive = new HashMap<>();
    caseSensitive.put("retry-after", "5");
    assertSame(RateLimitHeaders.EMPTY, RateLimitHeaderParser.parse(caseSensitive::get, NOW));
  }

  @Test
  void mapLookupIsCaseInsensitiveAndMergesSpellings() {
    Map<String, List<String>> headers = new HashMap<>();
    headers.put("retry-after", List.of("5"));
    headers.put("RETRY-AFTER", List.of("8"));
    headers.put("x-ratelimit-remaining", List.of("3"));
    headers.put(null, List.of("ignored"));
    headers.put("ratelimit", null);
    RateLimitHeaders i = RateLimitHeaderParser.parse(headers, NOW);
    assertEquals(info().retryAfterNanos(8 * S).remaining(3).build(), i);
  }

  @Test
  void repeatedFieldsCombineConservatively() {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Retry-After", java.util.Arrays.asList("5", "junk", null, "10"));
    headers.put("X-RateLimit-Remaining", List.of("5", "3"));
    headers.put("X-RateLimit-Limit", List.of("100", "60"));
    headers.put("X-RateLimit-Reset", List.of("9", "30", "-1"));
    headers.put("RateLimit", List.of("\"a\";r=5", " ", "\"b\";r=2;t=4"));
    headers.put("RateLimit-Policy", List.of("\"a\";q=10", "\"b\";q=20;w=2"));
    RateLimitHeaders i = RateLimitHeaderParser.parseAll(headers::get, NOW);
    assertEquals(info().retryAfterNanos(10 * S).remaining(2).resetNanos(4 * S).limit(20).windowNanos(2 * S)
        .build(), i);
    headers.remove("RateLimit");
    headers.remove("RateLimit-Policy");
    assertEquals(info().retryAfterNanos(10 * S).remaining(3).resetNanos(30 * S).limit(60).build(),
        RateLimitHeaderParser.parseAll(headers::get, NOW));
  }

  @Test
  void repeatedListFieldLinesAreJoinedNotTakenAlone() {
    // each line is a valid List; the second line's item is malformed, so the combined field is ignored
    Map<String, List<String>> headers = Map.of("RateLimit", List.of("\"a\";r=5", "\"b\";r=x"));
    assertSame(RateLimitHeaders.EMPTY, RateLimitHeaderParser.parseAll(headers::get, NOW));
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThrows(NullPointerException.class,
        () -> RateLimitHeaderParser.parse((Function<String, String>) null, NOW));
    assertThrows(NullPointerException.class, () -> RateLimitHeaderParser.parseAll(null, NOW));
    assertThrows(NullPointerException.class,
        () -> RateLimitHeaderParser.parse((Map<String, List<String>>) null, NOW));
  }
}
