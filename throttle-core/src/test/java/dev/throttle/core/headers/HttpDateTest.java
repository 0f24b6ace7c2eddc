package dev.throttle.core.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDateTest {

  /** 2026-06-01T00:00:00Z: rfc850 two-digit years resolve into (1976, 2076]. */
  static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Sun, 06 Nov 1994 08:49:37 GMT    | 1994-11-06T08:49:37Z",
      "Sunday, 06-Nov-94 08:49:37 GMT   | 1994-11-06T08:49:37Z",
      "Sun Nov  6 08:49:37 1994         | 1994-11-06T08:49:37Z",
      "Sun Nov 06 08:49:37 1994         | 1994-11-06T08:49:37Z",
      "Sun Nov 16 08:49:37 1994         | 1994-11-16T08:49:37Z",
      "Thu, 01 Jan 1970 00:00:00 GMT    | 1970-01-01T00:00:00Z",
      "Fri, 31 Dec 9999 23:59:59 GMT    | 9999-12-31T23:59:59Z",
      "Sat, 01 Jan 0000 00:00:00 GMT    | 0000-01-01T00:00:00Z",
      "Sat, 29 Feb 2020 12:00:00 GMT    | 2020-02-29T12:00:00Z",
      "Wed, 31 Dec 2008 23:59:60 GMT    | 2009-01-01T00:00:00Z",
      "Mon, 06 Nov 1994 08:49:37 GMT    | 1994-11-06T08:49:37Z", // wrong day name: redundant, not checked
      "Wednesday, 01-Jan-76 00:00:00 GMT | 2076-01-01T00:00:00Z",
      "Wednesday, 01-Jan-77 00:00:00 GMT | 1977-01-01T00:00:00Z",
      "Wednesday, 01-Jan-26 00:00:00 GMT | 2026-01-01T00:00:00Z",
      "Saturday, 01-Jan-00 00:00:00 GMT | 2000-01-01T00:00:00Z",
      "Friday, 31-Dec-99 23:59:59 GMT   | 1999-12-31T23:59:59Z",
  })
  void parsesTheThreeFormats(String date, String expected) {
    assertEquals(Instant.parse(expected).getEpochSecond(), HttpDate.parse(date, NOW));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {
      "", " ", "GMT", "1994-11-06T08:49:37Z", "784111777",
      "sun, 06 Nov 1994 08:49:37 GMT", "SUN, 06 NOV 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 gmt", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 +0000",
      "Sun, 06 Nov 1994 08:49:37 GMT+1", "Sun, 06 Nov 1994 08:49:37", "Sun, 6 Nov 1994 08:49:37 GMT",
      "Sun,  6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06 Nov -994 08:49:37 GMT",
      "Sun, 06 Nov 1994 8:49:37 GMT ", "Sun, 06 Nov 1994 08.49.37 GMT", "Sun, 06 Nov 1994 08:49:3x GMT",
      "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Xyz 1994 08:49:37 GMT", "Sun 06 Nov 1994 08:49:37 GMT",
      "Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 29 Feb 2021 08:49:37 GMT",
      "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:61 GMT",
      "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
      "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun, 06-Nov-94 08:49:37 GMT", "Sunday, 06 Nov 94 08:49:37 GMT",
      "sunday, 06-Nov-94 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 UTC", "Sunday, 6-Nov-94 08:49:37 GMT",
      "Sunday, 31-Feb-94 08:49:37 GMT", "Sunday,06-Nov-94 08:49:37 GMT ",
      "Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94", "Sun Nov  0 08:49:37 1994", "Sun Nov 6  08:49:37 1994",
      "sun Nov  6 08:49:37 1994", "Sun Nov  6 08:49:37 1994 GMT", "Sun Nov 31 08:49:37 1994",
      "Sun Nov x6 08:49:37 1994", "Sun Nov  6 25:49:37 1994", "Sun\tNov  6 08:49:37 1994",
  })
  void rejectsEverythingElse(String date) {
    assertEquals(HttpDate.INVALID, HttpDate.parse(date, NOW));
  }

  @ParameterizedTest
  @ValueSource(strings = {"  Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT\t "})
  void ignoresSurroundingWhitespace(String date) {
    assertEquals(784111777L, HttpDate.parse(date, NOW));
  }

  @ParameterizedTest
  @CsvSource({"2090, 10, 2110", "2090, 40, 2140", "2090, 41, 2041", "2000, 50, 2050", "2000, 51, 1951",
      "1970, 20, 2020", "1970, 21, 1921"})
  void rfc850YearIsWithinFiftyYearsOfNow(int nowYear, int twoDigits, int expectedYear) {
    long now = Instant.parse(nowYear + "-06-01T00:00:00Z").toEpochMilli();
    String date = String.format("Monday, 01-Mar-%02d 00:00:00 GMT", twoDigits);
    assertEquals(Instant.parse(expectedYear + "-03-01T00:00:00Z").getEpochSecond(), HttpDate.parse(date, now));
  }

  @ParameterizedTest
  @CsvSource({"784111777, 'Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', "
      + "'Sun Nov  6 08:49:37 1994'", "0, 'Thu, 01 Jan 1970 00:00:00 GMT', 'Thursday, 01-Jan-70 00:00:00 GMT', "
      + "'Thu Jan  1 00:00:00 1970'"})
  void formatsTheThreeForms(long epochSeconds, String imf, String rfc850, String asctime) {
    assertEquals(imf, HttpDateFormat.formatImfFixdate(epochSeconds));
    assertEquals(rfc850, HttpDateFormat.formatRfc850(epochSeconds));
    assertEquals(asctime, HttpDateFormat.formatAsctime(epochSeconds));
  }
}
