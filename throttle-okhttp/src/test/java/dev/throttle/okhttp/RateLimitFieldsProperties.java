package dev.throttle.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/** The interceptor's header reading gives exactly what the parser gives over OkHttp's own lookup. */
class RateLimitFieldsProperties {

  private static final Clock WALL = Clock.fixed(Instant.parse("2026-12-02T15:00:00Z"), ZoneOffset.UTC);

  /** A header line: a name (rate-limit ones in any case, repeated, or unrelated) and a plausible value. */
  record Line(String name, String value) {}

  @Provide
  Arbitrary<Line> lines() {
    Arbitrary<String> names = Arbitraries.of("Retry-After", "retry-after", "Age", "RateLimit", "ratelimit",
        "RateLimit-Policy", "RateLimit-Limit", "RateLimit-Remaining", "RATELIMIT-RESET", "X-RateLimit-Limit",
        "x-ratelimit-remaining", "X-RateLimit-Reset", "Content-Type", "Date", "Server", "X-Request-Id", "Ab");
    Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("0", "1", "5", "60", "-1", "1.5", "soon", "",
        "\"api\";r=5;t=2", "\"api\";q=100;w=60", "\"a\";r=0;t=30, \"b\";r=9;t=1", "remaining=3, limit=10, reset=4",
        "Wed, 02 Dec 2026 15:00:10 GMT", "1764687610", "99999999999999999999"),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12).map(String::strip));
    return Combinators.combine(names, values).as(Line::new);
  }

  @Property(tries = 2000)
  void sameAsTheParserOverOkHttpValues(@ForAll @Size(max = 12) List<@net.jqwik.api.From("lines") Line> lines) {
    Headers.Builder b = new Headers.Builder();
    for (Line l : lines) {
      b.addUnsafeNonAscii(l.name(), l.value());
    }
    Headers headers = b.build();
    RateLimitHeaders expected = RateLimitHeaderParser.parseAll(headers::values, WALL.millis());
    assertEquals(expected, RateLimitFields.parse(headers, WALL));
  }

  @Test
  void withoutRateLimitFieldsNothingIsParsed() {
    Headers plain = Headers.of("Content-Type", "text/plain", "Date", "Wed, 02 Dec 2026 15:00:00 GMT", "Ab", "1");
    Clock unread = new Clock() { // the fast path must not even read the wall clock
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        throw new AssertionError("the wall clock was read for a response without rate-limit fields");
      }
    };
    assertSame(RateLimitHeaders.EMPTY, RateLimitFields.parse(plain, unread));
    // nor for fields that carry no date or epoch: delays in seconds need no "now"
    Headers relative = Headers.of("RateLimit", "\"api\";r=5;t=2", "RateLimit-Policy", "\"api\";q=100;w=60",
        "X-RateLimit-Reset", "30", "Retry-After", "7", "age", "0");
    assertEquals(RateLimitHeaders.builder().retryAfterNanos(7_000_000_000L).remaining(5).limit(100)
        .resetNanos(2_000_000_000L).windowNanos(60_000_000_000L).build(), RateLimitFields.parse(relative, unread));
    // an HTTP-date needs it
    Headers dated = Headers.of("Retry-After", "Wed, 02 Dec 2026 15:00:10 GMT");
    assertEquals(RateLimitHeaders.builder().retryAfterNanos(10_000_000_000L).build(),
        RateLimitFields.parse(dated, WALL));
  }
}
