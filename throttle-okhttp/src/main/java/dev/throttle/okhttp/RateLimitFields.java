package dev.throttle.okhttp;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;

import java.time.Clock;
import okhttp3.Headers;

/**
 * Reads an OkHttp response's rate-limit fields through {@link RateLimitHeaderParser#parseIndexed}: in place, by
 * position, in one pass over the field names; a response without any rate-limit field (the common unthrottled
 * response of most servers) allocates nothing and reads no clock, and one with them allocates no per-field list,
 * no {@code Headers.values} list and no multimap copy. Stateless and thread-safe.
 */
final class RateLimitFields {

  /** OkHttp's {@link Headers} by position, for the parser: stateless, shared. */
  static final RateLimitHeaderParser.IndexedFields<Headers> OKHTTP_HEADERS =
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
   * Returns what {@code headers} say, {@link RateLimitHeaders#EMPTY} when no rate-limit field is present.
   *
   * @param wallClock read for when the response was received, only if a field needs it (HTTP-date, epoch reset)
   */
  static RateLimitHeaders parse(Headers headers, Clock wallClock) {
    return RateLimitHeaderParser.parseIndexed(headers, OKHTTP_HEADERS, wallClock);
  }
}
