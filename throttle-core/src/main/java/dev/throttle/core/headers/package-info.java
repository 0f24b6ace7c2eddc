/**
 * HTTP rate-limit headers, both directions. {@link dev.throttle.core.headers.RateLimitHeaderWriter} turns a
 * limiter result into response headers in any common dialect; {@link dev.throttle.core.headers.RateLimitHeaderParser}
 * reads any dialect (IETF draft {@code RateLimit}, {@code X-RateLimit-*}, {@code Retry-After}) back into a
 * {@link dev.throttle.core.headers.RateLimitHeaders}, the client view of one response. The parser never throws on
 * bad input. Depends on {@code limiter} (for the writer) and {@code time}.
 */
package dev.throttle.core.headers;
