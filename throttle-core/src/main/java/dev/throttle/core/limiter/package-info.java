/**
 * The server side: a GCRA rate limiter. {@link dev.throttle.core.limiter.Rate} and
 * {@link dev.throttle.core.limiter.Quota} describe a limit, {@link dev.throttle.core.limiter.GcraLimiter} and
 * {@link dev.throttle.core.limiter.KeyedGcraLimiter} decide each request lock-free in integer nanoseconds, and a
 * {@link dev.throttle.core.limiter.RateLimitResult} carries the decision with the figures a server puts in its
 * response headers. Depends only on {@code time}.
 */
package dev.throttle.core.limiter;
