package dev.throttle.core.headers;

import dev.throttle.core.headers.RateLimitHeaderWriter.ResetStyle;
import dev.throttle.core.limiter.Decision;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the header writer and parser: what the writer says, the parser reads back (never early, less
 * than a second late); {@code clientView} is exactly {@code parse(write(..))}; the parser never throws.
 */
class RateLimitHeaderProperties {

  static final long S = 1_000_000_000L;
  static final long CAP = RateLimitHeaders.MAX_DELAY_NANOS;
  /** Wall-clock instants from 2001-09-09 (epoch second 10^9) to 9999-12-31. */
  static final long MIN_NOW = 1_000_000_000_000L;
  static final long MAX_NOW = 253_402_300_799_999L;
  static final List<String> NAMES = List.of("Retry-After", "RateLimit", "RateLimit-Policy", "RateLimit-Limit",
      "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");

  // ---- generators ----

  @Provide
  Arbitrary<Quota> quotas() {
    Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.just("default"),
        Arbitraries.strings().withCharRange(' ', '~').excludeChars('"', '\\').ofMinLength(1).ofMaxLength(12));
    Arbitrary<Long> capacity = Arbitraries.oneOf(Arbitraries.longs().between(1, 100),
        Arbitraries.longs().between(1, Quota.MAX_CAPACITY));
    Arbitrary<Long> periodNanos = Arbitraries.oneOf(Arbitraries.longs().between(1, 3_600 * S),
        Arbitraries.longs().between(1, Long.MAX_VALUE));
    return Combinators.combine(name, capacity, periodNanos).flatAs((n, c, p) ->
        Arbitraries.oneOf(Arbitraries.just(1L), Arbitraries.longs().between(1, p))
            .map(count -> Quota.of(n, Rate.of(count, Duration.ofNanos(p)), c)));
  }

  /** Results a GCRA limiter can produce: {@code x = TAT - now} in {@code [0, C·T]}, remaining = C − ⌈x/T⌉. */
  @Provide
  Arbitrary<RateLimitResult> consistentResults() {
    return quotas().flatMap(q -> {
      long t = q.rate().emissionIntervalNanos();
      long cap = q.capacity();
      long dvt = cap > Long.MAX_VALUE / t ? Long.MAX_VALUE : cap * t;
      Arbitrary<Long> x = Arbitraries.oneOf(Arbitraries.longs().between(0, dvt),
          Arbitraries.longs().between(0, Math.min(dvt, 3 * Math.min(t, Long.MAX_VALUE / 3))));
      return Combinators.combine(x, Arbitraries.integers().between(0, 3), Arbitraries.longs().between(1, cap))
          .as((tatMinusNow, kind, cost) -> {
            long used = ceilDiv(tatMinusNow, t);
            long remaining = cap - used;
            if (kind == 3) {
              return RateLimitResult.of(Decision.EXCEEDS_CAPACITY, 0, q, remaining, RateLimitResult.NEVER,
                  tatMinusNow);
            }
            if (kind == 2 && remaining < cap) { // refused: a cost above what remains
              long c = remaining + 1 + (cost - 1) % (cap - remaining);
              return RateLimitResult.of(Decision.LIMITED, 0, q, remaining, tatMinusNow - (cap - c) * t,
                  tatMinusNow);
            }
            long granted = kind == 1 ? 0 : Math.min(cost, Math.max(1, used));
            return RateLimitResult.of(Decision.ALLOWED, granted, q, remaining, 0, tatMinusNow);
          });
    });
  }

  /** Any result {@link RateLimitResult#of} accepts, consistent with GCRA or not. */
  @Provide
  Arbitrary<RateLimitResult> anyResults() {
    Arbitrary<RateLimitResult> arbitrary = quotas().flatMap(q -> Combinators.combine(
        Arbitraries.longs().between(0, q.capacity()), Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.of(Decision.class))
        .as((remaining, reset, retry, decision) -> switch (decision) {
          case ALLOWED -> RateLimitResult.of(decision, retry % 3, q, remaining, 0, reset);
          case LIMITED -> RateLimitResult.of(decision, 0, q, remaining, retry, reset);
          case EXCEEDS_CAPACITY -> RateLimitResult.of(decision, 0, q, remaining, RateLimitResult.NEVER, reset);
        }));
    return Arbitraries.oneOf(arbitrary, consistentResults());
  }

  @Provide
  Arbitrary<RateLimitHeaderWriter> writers() {
    return Combinators.combine(Arbitraries.subsetOf(RateLimitHeaderFormat.values()).ofMinSize(1),
        Arbitraries.of(ResetStyle.class))
        .as((formats, style) -> RateLimitHeaderWriter.builder().formats(formats).resetStyle(style).build());
  }

  @Provide
  Arbitrary<Long> nows() {
    return Arbitraries.longs().between(MIN_NOW, MAX_NOW);
  }

  @Provide
  Arbitrary<Long> anyNows() {
    return Arbitraries.oneOf(nows(), Arbitraries.longs());
  }

  // ---- render → parse ----

  @Property
  void defaultHeadersRoundTrip(@ForAll("consistentResults") RateLimitResult r, @ForAll("nows") long now) {
    RateLimitHeaders i = parse(write(RateLimitHeaderWriter.defaults(), r, now), now);
    assertTrue(i.hasRemaining() && i.hasLimit() && i.hasWindow() && i.hasReset());
    assertEquals(r.remaining(), i.remaining());
    assertEquals(r.limit(), i.limit());
    if (r.decision() == Decision.LIMITED) {
      assertCeilToSecond(r.retryAfterNanos(), i.retryAfterNanos());
    } else {
      assertFalse(i.hasRetryAfter());
    }
    long x = r.resetAfterNanos();
    long t = r.quota().rate().emissionIntervalNanos();
    if (x > 0) { // the next unit frees when TAT - now falls to the next multiple of T below
      long nextUnit = x - (ceilDiv(x, t) - 1) * t;
      assertCeilToSecond(nextUnit, i.resetNanos());
      if (r.decision() == Decision.LIMITED) {
        assertTrue(i.retryAfterNanos() >= i.resetNanos(), "Retry-After earlier than t");
      }
    } else {
      assertEquals(0, i.resetNanos()); // t omitted when full; X-RateLimit-Reset: 0
    }
    // w: the exact time to refill an empty quota, C × period / count
    Rate rate = r.quota().rate();
    BigInteger[] qr = BigInteger.valueOf(r.limit()).multiply(BigInteger.valueOf(rate.period().toNanos()))
        .divideAndRemainder(BigInteger.valueOf(rate.count()));
    BigInteger refillNanos = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE); // rounded up
    assertCeilToSecond(refillNanos.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(), i.windowNanos(),
        RateLimitHeaders.MAX_WINDOW_NANOS);
  }

  @Property
  void legacyResetRoundTrips(@ForAll("consistentResults") RateLimitResult r, @ForAll ResetStyle style,
      @ForAll("nows") long now) {
    RateLimitHeaderWriter w = RateLimitHeaderWriter.builder().formats(RateLimitHeaderFormat.X_RATELIMIT)
        .resetStyle(style).build();
    RateLimitHeaders i = parse(write(w, r, now), now);
    assertEquals(r.remaining(), i.remaining());
    assertEquals(r.limit(), i.limit());
    assertCeilToSecond(r.resetAfterNanos(), i.resetNanos(), style == ResetStyle.DELAY_SECONDS);
  }

  @Property
  void clientViewIsExactlyWhatTheParserReads(@ForAll("anyResults") RateLimitResult r,
      @ForAll("writers") RateLimitHeaderWriter w, @ForAll("anyNows") long now) {
    Map<String, String> headers = write(w, r, now);
    assertFalse(headers.containsKey("Age"), "the writer never writes Age");
    assertEquals(parse(headers, now), w.clientView(r, now), () -> w + " wrote " + headers);
    if (w.resetStyle() == ResetStyle.DELAY_SECONDS) {
      assertEquals(parse(headers, now), w.clientView(r));
    }
  }

  // ---- the parser never throws ----

  @Provide
  Arbitrary<String> headerishStrings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withChars("0123456789\";=,:-.?*()@%/ \tabcdeqrtwlimsGMTJanSun!#$&'+^_`|~\\")
            .ofMaxLength(60));
  }

  @Property
  void parserNeverThrowsOnArbitraryStrings(@ForAll("headerishStrings") String a,
      @ForAll("headerishStrings") String b, @ForAll("anyNows") long now) {
    for (String name : NAMES) {
      assertSane(RateLimitHeaderParser.parse(n -> n.equals(name) ? a : null, now));
      assertSane(RateLimitHeaderParser.parseAll(n -> n.equals(name) ? Arrays.asList(a, null, b) : null, now));
    }
    Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    NAMES.forEach(n -> all.put(n, List.of(a)));
    assertSane(RateLimitHeaderParser.parse(all, now));
    StructuredFields.parseList(a);
    StructuredFields.parseDictionary(a);
    HttpDate.parse(a, now);
  }

  @Property
  void parserNeverThrowsOnMutatedHeaders(@ForAll("anyResults") RateLimitResult r, @ForAll("nows") long now,
      @ForAll @LongRange(min = 0, max = 253_402_300_799L) long date, @ForAll Random random) {
    Map<String, String> headers = write(RateLimitHeaderWriter.defaults(), r, now);
    headers.put("Retry-After", switch (random.nextInt(3)) {
      case 0 -> HttpDateFormat.formatImfFixdate(date);
      case 1 -> HttpDateFormat.formatRfc850(date);
      default -> HttpDateFormat.formatAsctime(date);
    });
    String alphabet = "0123456789\";=,:-.?*() \t\\qrtwGMT:";
    List<String> names = new ArrayList<>(headers.keySet());
    for (int m = 1 + random.nextInt(4); m > 0; m--) {
      String name = names.get(random.nextInt(names.size()));
      StringBuilder v = new StringBuilder(headers.get(name));
      int at = v.length() == 0 ? 0 : random.nextInt(v.length());
      switch (random.nextInt(6)) {
        case 0 -> v.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 1 -> { if (v.length() > 0) v.deleteCharAt(at); }
        case 2 -> { if (v.length() > 0) v.setCharAt(at, (char) random.nextInt(0x250)); }
        case 3 -> v.setLength(at);
        case 4 -> v.insert(at, v.substring(at));
        default -> v.insert(at, "99999999999999999999");
      }
      headers.put(name, v.toString());
    }
    assertSane(parse(headers, now));
  }

  // ---- cached responses (Age) ----

  /** Valid Age values of at least 1: small, any long, or beyond a long (saturated), with optional OWS. */
  @Provide
  Arbitrary<String> positiveAges() {
    Arbitrary<String> digits = Arbitraries.oneOf(
        Arbitraries.longs().between(1, 1_000).map(String::valueOf),
        Arbitraries.longs().between(1, Long.MAX_VALUE).map(String::valueOf),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30).map(d -> "1" + d));
    Arbitrary<String> ows = Arbitraries.of("", " ", "\t", "  ");
    return Combinators.combine(ows, Arbitraries.strings().numeric().ofMaxLength(3).map(z -> z.replaceAll(".", "0")),
        digits, ows).as((a, zeros, d, b) -> a + zeros + d + b);
  }

  @Property
  void cachedResponsesKeepNoRateLimitFigure(@ForAll("anyResults") RateLimitResult r,
      @ForAll("writers") RateLimitHeaderWriter w, @ForAll("positiveAges") String age, @ForAll("nows") long now) {
    Map<String, String> headers = write(w, r, now);
    RateLimitHeaders fresh = parse(headers, now);
    headers.put("Age", age);
    RateLimitHeaders cached = parse(headers, now);
    assertSane(cached);
    assertFalse(cached.hasRemaining() || cached.hasLimit() || cached.hasReset() || cached.hasWindow(),
        cached::toString);
    String retryAfter = headers.get("Retry-After");
    assertEquals(retryAfter != null, cached.hasRetryAfter());
    assertEquals(fresh.hasRetryAfter(), cached.hasRetryAfter());
    if (retryAfter != null) { // the writer sends delay-seconds: used as sent (capped), never reduced by Age
      BigInteger expected = new BigInteger(retryAfter).multiply(BigInteger.valueOf(S)).min(BigInteger.valueOf(CAP));
      assertEquals(expected.longValueExact(), cached.retryAfterNanos(), () -> "Age " + age + ", " + headers);
      assertEquals(fresh.retryAfterNanos(), cached.retryAfterNanos());
    }
  }

  @Property
  void cachedResponsesNeverThrowAndKeepOnlyRetryAfter(@ForAll("headerishStrings") String a,
      @ForAll("headerishStrings") String b, @ForAll("positiveAges") String age, @ForAll("anyNows") long now) {
    Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    NAMES.forEach(n -> all.put(n, Arrays.asList(a, null, b)));
    RateLimitHeaders fresh = RateLimitHeaderParser.parseAll(all::get, now);
    all.put("Age", Arrays.asList(a, age, b));
    RateLimitHeaders cached = RateLimitHeaderParser.parseAll(all::get, now);
    assertSane(cached);
    assertFalse(cached.hasRemaining() || cached.hasLimit() || cached.hasReset() || cached.hasWindow(),
        cached::toString);
    assertEquals(fresh.hasRetryAfter(), cached.hasRetryAfter());
    assertEquals(fresh.retryAfterNanos(), cached.retryAfterNanos(), () -> "Age " + age);
  }

  @Property
  void malformedOrZeroAgeIsLikeNoAge(@ForAll("anyResults") RateLimitResult r,
      @ForAll("writers") RateLimitHeaderWriter w, @ForAll("nows") long now, @ForAll("headerishStrings") String junk,
      @ForAll Random random) {
    Map<String, String> headers = write(w, r, now);
    RateLimitHeaders fresh = parse(headers, now);
    String age = switch (random.nextInt(3)) {
      case 0 -> "0".repeat(1 + random.nextInt(3));
      case 1 -> "-" + (1 + random.nextInt(1000));
      default -> junk;
    };
    headers.put("Age", age);
    RateLimitHeaders withAge = parse(headers, now);
    assertSane(withAge);
    String t = trimOws(age);
    boolean positive = !t.isEmpty() && t.chars().allMatch(c -> c >= '0' && c <= '9')
        && t.chars().anyMatch(c -> c != '0');
    if (positive) { // junk that happens to be delta-seconds, e.g. " 12 "
      assertFalse(withAge.hasRemaining() || withAge.hasLimit() || withAge.hasReset() || withAge.hasWindow());
    } else {
      assertEquals(fresh, withAge, () -> "Age [" + age + "]");
    }
  }

  /** Strips spaces and tabs (HTTP OWS) from both ends. */
  static String trimOws(String s) {
    return s.replaceAll("^[ \\t]+|[ \\t]+$", "");
  }

  // ---- HTTP-date ----

  @Property
  void httpDateRoundTrips(@ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long epochSecond,
      @ForAll("anyNows") long now) {
    assertEquals(epochSecond, HttpDate.parse(HttpDateFormat.formatImfFixdate(epochSecond), now));
    assertEquals(epochSecond, HttpDate.parse(HttpDateFormat.formatAsctime(epochSecond), now));
  }

  @Property
  void rfc850DateRoundTripsWithinFiftyYears(
      @ForAll @LongRange(min = -58_000_000_000L, max = 250_000_000_000L) long nowSecond,
      @ForAll @LongRange(min = -49 * 365 * 86_400L, max = 49 * 365 * 86_400L) long offset) {
    long epochSecond = nowSecond + offset;
    assertEquals(epochSecond, HttpDate.parse(HttpDateFormat.formatRfc850(epochSecond), nowSecond * 1000));
  }

  @Property
  void retryAfterDateIsTheDelayFromNow(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long epochSecond,
      @ForAll @LongRange(min = 0, max = MAX_NOW) long now) {
    RateLimitHeaders i = parse(Map.of("Retry-After", HttpDateFormat.formatImfFixdate(epochSecond)), now);
    long delayMillis = Math.max(0, Math.min(epochSecond * 1000 - now, CAP / 1_000_000));
    assertEquals(delayMillis * 1_000_000, i.retryAfterNanos());
  }

  @Property
  void policyNamesRoundTripAsSfStrings(@ForAll("names") String name) {
    StructuredFields.Item item =
        (StructuredFields.Item) StructuredFields.parseList(RateLimitHeaderWriter.sfString(name) + ";r=1").get(0);
    assertEquals(name, item.value());
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30);
  }

  // ---- helpers ----

  static Map<String, String> write(RateLimitHeaderWriter w, RateLimitResult r, long now) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    w.write(r, now, headers::put);
    return headers;
  }

  static RateLimitHeaders parse(Map<String, String> headers, long now) {
    Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ci.putAll(headers);
    return RateLimitHeaderParser.parse(ci::get, now);
  }

  /** Parsed is the true delay rounded up to whole seconds: never early, less than a second late, capped. */
  static void assertCeilToSecond(long trueNanos, long parsedNanos) {
    assertCeilToSecond(trueNanos, parsedNanos, true);
  }

  /** As above; an epoch reset is a whole epoch second, so relative to now it need not be whole seconds. */
  static void assertCeilToSecond(long trueNanos, long parsedNanos, boolean wholeSeconds) {
    assertCeilToSecond(trueNanos, parsedNanos, wholeSeconds, CAP);
  }

  /** As above for a window, which is capped at {@code cap} ({@link RateLimitHeaders#MAX_WINDOW_NANOS}). */
  static void assertCeilToSecond(long trueNanos, long parsedNanos, long cap) {
    assertCeilToSecond(trueNanos, parsedNanos, true, cap);
  }

  private static void assertCeilToSecond(long trueNanos, long parsedNanos, boolean wholeSeconds, long cap) {
    if (trueNanos >= cap) {
      assertEquals(cap, parsedNanos);
    } else {
      assertTrue(parsedNanos >= trueNanos, () -> parsedNanos + " is earlier than " + trueNanos);
      assertTrue(parsedNanos < trueNanos + S, () -> parsedNanos + " is a second or more after " + trueNanos);
      if (wholeSeconds) assertEquals(0, parsedNanos % S);
    }
  }

  static void assertSane(RateLimitHeaders i) {
    for (long delay : new long[] {i.retryAfterNanos(), i.resetNanos()}) {
      assertTrue(delay >= 0 && delay <= CAP, i::toString);
    }
    assertTrue(i.windowNanos() >= 0 && i.windowNanos() <= RateLimitHeaders.MAX_WINDOW_NANOS, i::toString);
    assertTrue(i.remaining() >= 0 && i.remaining() < 1_000_000_000_000_000L, i::toString);
    assertTrue(i.limit() >= 0 && i.limit() < 1_000_000_000_000_000L, i::toString);
    assertTrue(i.hasRetryAfter() || i.retryAfterNanos() == 0);
    assertTrue(i.hasReset() || i.resetNanos() == 0);
    assertTrue(i.hasWindow() || i.windowNanos() == 0);
  }

  static long ceilDiv(long a, long b) {
    return a / b + (a % b == 0 ? 0 : 1);
  }
}
