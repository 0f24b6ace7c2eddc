/**
 * Limits on waiting around a strategy: {@link dev.throttle.core.policy.ThrottlePolicy} adds maximum attempts,
 * maximum single and total waits, a retry budget, events to {@link dev.throttle.core.policy.ThrottleListener}s
 * and SLF4J logging, and turns each attempt into a {@link dev.throttle.core.policy.AttemptVerdict} (send after a delay,
 * retry, done, or give up with a {@link dev.throttle.core.policy.ThrottleGiveUpException.Reason}). It still never
 * waits itself. Depends on {@code strategy}, {@code headers}, {@code time}.
 */
package dev.throttle.core.policy;
