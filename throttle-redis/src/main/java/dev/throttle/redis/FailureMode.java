package dev.throttle.redis;

/**
 * What a Redis-backed component answers when Redis cannot decide within the per-decision timeout (down,
 * slow, restarting, or the connection is being re-established).
 *
 * <p>Whatever the mode, the call returns within the timeout, a warning is logged once per outage, the
 * {@link RedisHealthListener} hears of the failure and of the recovery, and Redis is tried again
 * automatically (at most one probing call per probe interval while it is failing).
 */
public enum FailureMode {
  /** Fail open: admit the request (no limit while Redis is unavailable). */
  ALLOW,
  /** Fail closed: refuse the request, asking the caller to retry after the configured fail-closed wait. */
  REFUSE,
  /**
   * Decide with a limiter kept in this process with the same quotas: each process then enforces the whole
   * limit on its own (a fleet of N admits up to N times the limit) until Redis answers again.
   */
  LOCAL
}
