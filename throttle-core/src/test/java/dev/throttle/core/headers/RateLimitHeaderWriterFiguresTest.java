package dev.throttle.core.headers;

import dev.throttle.core.headers.RateLimitHeaderWriter.Figures;
import dev.throttle.core.headers.RateLimitHeaderWriter.ResetStyle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RateLimitHeaderWriter#writeFigures(Figures, long, java.util.function.BiConsumer)}: a fixed window's figures. */
class RateLimitHeaderWriterFiguresTest {

  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  /** 2026-01-01T00:00:00.250Z. */
  static final long NOW = 1_767_225_600_250L;

  /** A fixed window of 50 per 10 s, 49 left, the window ending in 9.2 s. */
  static final Figures WINDOW = new Figures("fixed", 50, 10, 49, 9_200 * MS, 9_200 * MS, -1);

  static Map<String, String> write(RateLimitHeaderWriter writer, Figures f) {
    Map<String, String> headers = new LinkedHashMap<>();
    writer.writeFigures(f, NOW, (name, value) -> {
      if (headers.put(name, value) != null) throw new AssertionError("written twice: " + name);
    });
    return headers;
  }

  @Test
  void everyFormatFromFigures() {
    Map<String, String> h = write(RateLimitHeaderWriter.defaults(), WINDOW);
    assertEquals("\"fixed\";q=50;w=10", h.get("RateLimit-Policy"));
    assertEquals("\"fixed\";r=49;t=10", h.get("RateLimit"));
    assertEquals("50", h.get("X-RateLimit-Limit"));
    assertEquals("49", h.get("X-RateLimit-Remaining"));
    assertEquals("10", h.get("X-RateLimit-Reset"));
    assertEquals("49", h.get("RateLimit-Remaining"));
    assertFalse(h.containsKey("Retry-After"));
  }

  @Test
  void absentFiguresLeaveTheirFieldsOut() {
    Figures f = new Figures("conc", 4, 0, 0, -1, -1, 1);
    Map<String, String> h = write(RateLimitHeaderWriter.defaults(), f);
    assertEquals("\"conc\";q=4", h.get("RateLimit-Policy"));
    assertEquals("\"conc\";r=0", h.get("RateLimit"));
    assertFalse(h.containsKey("X-RateLimit-Reset"));
    assertEquals("1", h.get("Retry-After"), "a positive delay below a second is written as 1");
  }

  @Test
  void roundTripsThroughTheParserInEveryFormat() {
    Figures limited = new Figures("fixed", 50, 10, 0, 3_100 * MS, 3_100 * MS, 3_100 * MS);
    for (RateLimitHeaderFormat format : RateLimitHeaderFormat.values()) {
      for (ResetStyle style : ResetStyle.values()) {
        RateLimitHeaderWriter w = RateLimitHeaderWriter.builder().formats(format).resetStyle(style).build();
        RateLimitHeaders info = RateLimitHeaderParser.parse(write(w, limited)::get, NOW)
            ;
        switch (format) {
          case IETF_DRAFT -> {
            assertEquals(0, info.remaining());
            assertEquals(50, info.limit());
            assertEquals(10 * S, info.windowNanos());
            assertEquals(4 * S, info.resetNanos());
          }
          case X_RATELIMIT -> {
            assertEquals(0, info.remaining());
            assertEquals(50, info.limit());
            // epoch seconds lose the sub-second part of now: ceil(NOW + 3.1 s) - NOW = 3.75 s
            assertEquals(style == ResetStyle.EPOCH_SECONDS ? 3_750 * MS : 4 * S, info.resetNanos());
          }
          case RATELIMIT_REMAINING -> {
            assertEquals(0, info.remaining());
            assertFalse(info.hasLimit());
          }
          case RETRY_AFTER -> {
            assertEquals(4 * S, info.retryAfterNanos());
            assertFalse(info.hasRemaining());
          }
          default -> throw new AssertionError(format);
        }
        assertTrue(format == RateLimitHeaderFormat.RETRY_AFTER || !info.hasRetryAfter());
      }
    }
  }

  @Test
  void rejectsBadFigures() {
    assertThrows(IllegalArgumentException.class, () -> new Figures("x", -1, 1, 0, -1, -1, -1));
    assertThrows(IllegalArgumentException.class, () -> new Figures("x", 1, 1, -1, -1, -1, -1));
    assertThrows(NullPointerException.class, () -> new Figures(null, 1, 1, 0, -1, -1, -1));
  }
}
