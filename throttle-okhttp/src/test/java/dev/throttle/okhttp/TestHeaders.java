package dev.throttle.okhttp;

import dev.throttle.core.RateLimitInfo;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;

/** Minimal test parser (Retry-After seconds/date, draft RateLimit r and t) until RateLimitHeaderParser lands. */
final class TestHeaders {
  private static final Pattern R = Pattern.compile(";r=(\\d+)");
  private static final Pattern T = Pattern.compile(";t=(\\d+)");

  private TestHeaders() {}

  static RateLimitInfo parse(Response response, long nowMillis) {
    RateLimitInfo.Builder b = RateLimitInfo.builder();
    String ra = response.header("Retry-After");
    if (ra != null) {
      try {
        long s = Long.parseLong(ra.trim());
        if (s >= 0) {
          b.retryAfterNanos(s > 1_000_000_000L ? Long.MAX_VALUE : s * 1_000_000_000L);
        }
      } catch (NumberFormatException e) {
        try {
          long at = ZonedDateTime.parse(ra.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
          b.retryAfterNanos(Math.max(0, at - nowMillis) * 1_000_000L);
        } catch (RuntimeException ignored) {
          // malformed: ignored
        }
      }
    }
    String rl = response.header("RateLimit");
    if (rl != null) {
      Matcher r = R.matcher(rl);
      if (r.find()) {
        b.remaining(Long.parseLong(r.group(1)));
      }
      Matcher t = T.matcher(rl);
      if (t.find()) {
        b.resetNanos(Long.parseLong(t.group(1)) * 1_000_000_000L);
      }
    }
    return b.build();
  }
}
