/**
 * Throttle for OkHttp: {@link dev.throttle.okhttp.ThrottlingInterceptor}, an application interceptor that runs
 * every call under a throttle-core {@code ThrottlePolicy} (pacing before requests, retries after 429 and
 * 503 with {@code Retry-After}, within the call's timeout and cancellation).
 */
package dev.throttle.okhttp;
