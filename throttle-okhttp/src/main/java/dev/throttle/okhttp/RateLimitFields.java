package dev.throttle.okhttp;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;

import java.time.Clock;
import okhttp3.Headers;

/**
 * Reads an OkHttp response's rate-limit fields through {@link RateLimitHeaderParser}, cheaply: one pass over
 * the field names decides whether any rate-limit field is there at all, and when none is (the common
 * unthrottled response of most servers) the parser is not called and nothing is allocated. Otherwise the parser
 * reads OkHttp's {@link Headers} in place by position ({@link RateLimitHeaderParser#parseIndexed}): no
 * {@code Headers.values} lists, no multimap copy. Stateless and thread-safe.
 */
final class RateLimitFields {

  /** Every field name the parser reads, in the canonical spelling it asks for. */
  private static final String[] NAMES = {"Retry-After", "Age", "RateLimit", "RateLimit-Policy",
      "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining",
      "X-RateLimit-Reset"};

  /** OkHttp's {@link Headers} by position, for the parser: stateless, shared. */
  private static final RateLimitHeaderParser.IndexedFields<Headers> OKHTTP_HEADERS =
      new RateLimitHeaderParser.IndexedFields<>() {
        @Override
        public int size(Headers fields) {
          return fields.size();
        }

        @Override
        public String name(Headers fields, int index) {
          return fields.name(index);
        }

        @Override
        public String value(Headers fields, int index) {
          return fields.value(index);
        }
      };

  private RateLimitFields() {}

  /**
   * Returns what {@code headers} say, {@link RateLimitHeaders#EMPTY} at once when no rate-limit field (nor
   * {@code Age}) is present.
   *
   * @param wallClock read (only when there is something to parse) for when the response was received
   */
  static RateLimitHeaders parse(Headers headers, Clock wallClock) {
    if (!hasAny(headers)) {
      return RateLimitHeaders.EMPTY;
    }
    return RateLimitHeaderParser.parseIndexed(headers, OKHTTP_HEADERS, wallClock.millis());
  }

  /** Returns whether any field the parser reads is present ({@code Age} alone counts: the parser logs it). */
  static boolean hasAny(Headers headers) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      if (isRateLimitName(headers.name(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRateLimitName(String name) {
    if (name.length() < 3) {
      return false;
    }
    char c = name.charAt(0);
    if (c != 'R' && c != 'r' && c != 'X' && c != 'x' && c != 'A' && c != 'a') {
      return false; // most fields (Content-Type, Date, Server, ...) end here
    }
    for (String known : NAMES) {
      if (known.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
