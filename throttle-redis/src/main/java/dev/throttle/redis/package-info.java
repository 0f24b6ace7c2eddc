/**
 * Redis-backed throttling: {@link dev.throttle.redis.RedisGcraLimiter}, a GCRA limiter per key evaluated in
 * one Lua script per decision (one limit per key across a server fleet), and
 * {@link dev.throttle.redis.RedisSharedThrottleState}, the shared schedule through which a fleet of client
 * processes using one API token behaves as one client. Failures are handled by a {@link
 * dev.throttle.redis.FailureMode} within a per-call timeout. Design and measurements: docs/redis.md.
 */
package dev.throttle.redis;
