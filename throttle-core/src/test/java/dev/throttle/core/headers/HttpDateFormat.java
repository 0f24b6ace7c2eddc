package dev.throttle.core.headers;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Test-only: writes the three HTTP-date forms (RFC 9110 section 5.6.7) that {@link HttpDate} parses, so tests can
 * round-trip any instant through the parser. The library itself never writes an HTTP-date (it sends
 * {@code Retry-After} as delay-seconds).
 */
final class HttpDateFormat {

  private HttpDateFormat() {}

  /** Returns the IMF-fixdate for {@code epochSeconds} (years 0000 to 9999). */
  static String formatImfFixdate(long epochSeconds) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(29).append(HttpDate.DAYS[t.getDayOfWeek().getValue() - 1]).append(", ");
    pad(sb, t.getDayOfMonth(), 2).append(' ').append(HttpDate.MONTHS[t.getMonthValue() - 1]).append(' ');
    pad(sb, t.getYear(), 4).append(' ');
    return time(sb, t).append(" GMT").toString();
  }

  /** Returns the obsolete rfc850-date for {@code epochSeconds} (two-digit year). */
  static String formatRfc850(long epochSeconds) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(33).append(HttpDate.LONG_DAYS[t.getDayOfWeek().getValue() - 1]).append(", ");
    pad(sb, t.getDayOfMonth(), 2).append('-').append(HttpDate.MONTHS[t.getMonthValue() - 1]).append('-');
    pad(sb, t.getYear() % 100, 2).append(' ');
    return time(sb, t).append(" GMT").toString();
  }

  /** Returns the obsolete asctime-date for {@code epochSeconds} (years 0000 to 9999). */
  static String formatAsctime(long epochSeconds) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(24).append(HttpDate.DAYS[t.getDayOfWeek().getValue() - 1]).append(' ')
        .append(HttpDate.MONTHS[t.getMonthValue() - 1]).append(' ');
    if (t.getDayOfMonth() < 10) {
      sb.append(' ');
    }
    sb.append(t.getDayOfMonth()).append(' ');
    time(sb, t).append(' ');
    return pad(sb, t.getYear(), 4).toString();
  }

  private static StringBuilder time(StringBuilder sb, LocalDateTime t) {
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    return pad(sb, t.getSecond(), 2);
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) sb.append('0');
    return sb.append(digits);
  }

  /** Returns the index of the name equal to {@code s[from, from+length)}, or -1. */
}
