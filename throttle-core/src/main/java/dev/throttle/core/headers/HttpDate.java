package dev.throttle.core.headers;

import java.time.LocalDate;

/**
 * Strict parser and formatter for HTTP-date (RFC 9110 §5.6.7), to whole seconds since the epoch (UTC).
 *
 * <p>Accepts exactly the three forms a recipient must accept, case-sensitively as the RFC says:
 * <pre>
 *   IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
 *   rfc850-date  Sunday, 06-Nov-94 08:49:37 GMT   (two-digit year, see {@link #parse})
 *   asctime-date Sun Nov  6 08:49:37 1994
 * </pre>
 * The day name must be a valid one but is not checked against the date (it is redundant); day of month,
 * hour (00-23), minute (00-59) and second (00-60, a leap second counts as the next second) are range-checked.
 * Surrounding spaces and tabs are ignored. Nothing else is accepted. Stateless and thread-safe.
 */
final class HttpDate {

  /** Returned by {@link #parse} for anything that is not an HTTP-date. */
  static final long INVALID = Long.MIN_VALUE;

  static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static final String[] LONG_DAYS =
      {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  private HttpDate() {}

  /**
   * Parses an HTTP-date.
   *
   * @param value the field value
   * @param nowEpochMillis the current time; only used for the two-digit year of rfc850-date, which is taken as
   *     the year with those last two digits that is at most 50 years in the future and less than 50 in the past
   *     (RFC 9110: a date that "appears to be more than 50 years in the future" means the most recent past year)
   * @return seconds since the epoch, or {@link #INVALID}
   */
  static long parse(String value, long nowEpochMillis) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) start++;
    while (end > start && isOws(value.charAt(end - 1))) end--;
    String s = value.substring(start, end);
    if (s.length() == 29 && s.charAt(3) == ',') {
      return parseImfFixdate(s);
    }
    int comma = s.indexOf(',');
    if (comma >= 6 && comma <= 9) {
      return parseRfc850(s, comma, nowEpochMillis);
    }
    if (s.length() == 24) {
      return parseAsctime(s);
    }
    return INVALID;
  }

  // Sun, 06 Nov 1994 08:49:37 GMT
  private static long parseImfFixdate(String s) {
    if (indexOf(DAYS, s, 0, 3) < 0 || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' '
        || s.charAt(16) != ' ' || s.charAt(25) != ' ' || !s.startsWith("GMT", 26)) {
      return INVALID;
    }
    return toEpochSeconds(digits(s, 12, 4), indexOf(MONTHS, s, 8, 3) + 1, digits(s, 5, 2), s, 17);
  }

  // Sunday, 06-Nov-94 08:49:37 GMT
  private static long parseRfc850(String s, int comma, long nowEpochMillis) {
    int p = comma + 1;
    if (s.length() != comma + 24 || indexOf(LONG_DAYS, s, 0, comma) < 0 || s.charAt(p) != ' '
        || s.charAt(p + 3) != '-' || s.charAt(p + 7) != '-' || s.charAt(p + 10) != ' '
        || s.charAt(p + 19) != ' ' || !s.startsWith("GMT", p + 20)) {
      return INVALID;
    }
    int twoDigitYear = digits(s, p + 8, 2);
    if (twoDigitYear < 0) {
      return INVALID;
    }
    long nowYear = LocalDate.ofEpochDay(Math.floorDiv(nowEpochMillis, 86_400_000L)).getYear();
    long year = Math.floorDiv(nowYear, 100) * 100 + twoDigitYear;
    if (year - nowYear > 50) {
      year -= 100;
    } else if (nowYear - year >= 50) {
      year += 100;
    }
    if (year < 0 || year > 9999) {
      return INVALID;
    }
    return toEpochSeconds((int) year, indexOf(MONTHS, s, p + 4, 3) + 1, digits(s, p + 1, 2), s, p + 11);
  }

  // Sun Nov  6 08:49:37 1994
  private static long parseAsctime(String s) {
    if (indexOf(DAYS, s, 0, 3) < 0 || s.charAt(3) != ' ' || s.charAt(7) != ' ' || s.charAt(10) != ' '
        || s.charAt(19) != ' ') {
      return INVALID;
    }
    int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
    return toEpochSeconds(digits(s, 20, 4), indexOf(MONTHS, s, 4, 3) + 1, day, s, 11);
  }

  /** Validates the date and the "HH:MM:SS" at {@code timeAt}; returns epoch seconds or INVALID. */
  private static long toEpochSeconds(int year, int month, int day, String s, int timeAt) {
    if (year < 0 || month < 1 || day < 1 || s.charAt(timeAt + 2) != ':' || s.charAt(timeAt + 5) != ':') {
      return INVALID;
    }
    int hour = digits(s, timeAt, 2);
    int minute = digits(s, timeAt + 3, 2);
    int second = digits(s, timeAt + 6, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
      return INVALID;
    }
    LocalDate firstOfMonth = LocalDate.of(year, month, 1);
    if (day > firstOfMonth.lengthOfMonth()) {
      return INVALID;
    }
    long epochDay = firstOfMonth.toEpochDay() + day - 1;
    return epochDay * 86_400L + hour * 3_600L + minute * 60L + second;
  }

  private static int indexOf(String[] names, String s, int from, int length) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].length() == length && s.startsWith(names[i], from)) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the decimal value of exactly {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
