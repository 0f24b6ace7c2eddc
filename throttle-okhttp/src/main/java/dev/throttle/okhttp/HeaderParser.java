package dev.throttle.okhttp;

import dev.throttle.core.RateLimitInfo;
import okhttp3.Response;

/** Reads a response's rate-limit headers; {@code RateLimitHeaderParser} in production. Never throws. */
@FunctionalInterface
interface HeaderParser {

  RateLimitInfo parse(Response response, long nowEpochMillis);
}
