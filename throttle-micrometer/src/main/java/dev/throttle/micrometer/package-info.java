/**
 * Micrometer meters for Throttle: {@link dev.throttle.micrometer.ThrottleMetrics} is a client-side
 * {@link dev.throttle.core.policy.ThrottleListener} (waits, attempts, retries, give-ups by reason, retry-budget
 * level, pacing interval) and {@link dev.throttle.micrometer.LimiterMetrics} counts server-side limiter decisions and the keyed
 * table's size. Tags are bounded: names and enum values only.
 */
package dev.throttle.micrometer;
