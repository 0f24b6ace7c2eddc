/**
 * Throttle strategies inside a Resilience4j {@code Retry}: {@link dev.throttle.resilience4j.ThrottleRetry}.
 */
package dev.throttle.resilience4j;
