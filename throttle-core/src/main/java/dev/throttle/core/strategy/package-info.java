/**
 * Client throttling strategies: the {@link dev.throttle.core.strategy.ThrottleStrategy} SPI and every
 * implementation (pacing from the server's headers, the Heroku exponential-backoff family, jittered backoff,
 * a Retry-After floor, adaptive rate). A strategy never sleeps: it is a state machine over a clock that answers
 * "how long before the next attempt?" and is told each response; whoever runs it does the waiting. Start from
 * {@link dev.throttle.core.strategy.Strategies#defaultStrategy}. Depends on {@code headers}, {@code limiter},
 * {@code time}.
 */
package dev.throttle.core.strategy;
