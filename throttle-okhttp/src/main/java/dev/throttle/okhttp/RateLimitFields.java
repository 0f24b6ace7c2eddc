package dev.throttle.okhttp;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import okhttp3.Headers;

/**
 * Reads an OkHttp response's rate-limit fields through {@link RateLimitHeaderParser}, cheaply: one pass over
 * the field names decides whether any rate-limit field is there at all, and when none is (the common
 * unthrottled response of most servers) the parser is not called and nothing is allocated. Otherwise the parser
 * gets a lookup that allocates one small list per field present instead of OkHttp's two per name asked.
 * Stateless and thread-safe.
 */
final class RateLimitFields {

  /** Every field name the parser reads, in the canonical spelling it asks for. */
  private static final String[] NAMES = {"Retry-After", "Age", "RateLimit", "RateLimit-Policy",
      "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining",
      "X-RateLimit-Reset"};

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
    return RateLimitHeaderParser.parseAll(new Lookup(headers), wallClock.millis());
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

  /** All values of a field by case-insensitive name, or null if absent; one list per present field. */
  private static final class Lookup implements Function<String, List<String>> {
    private final Headers headers;

    Lookup(Headers headers) {
      this.headers = headers;
    }

    @Override
    public List<String> apply(String name) {
      String first = null;
      List<String> more = null;
      for (int i = 0, n = headers.size(); i < n; i++) {
        if (name.equalsIgnoreCase(headers.name(i))) {
          String value = headers.value(i);
          if (first == null) {
            first = value;
          } else {
            if (more == null) {
              more = new ArrayList<>(4);
              more.add(first);
            }
            more.add(value);
          }
        }
      }
      return more != null ? more : first != null ? Collections.singletonList(first) : null;
    }
  }
}
