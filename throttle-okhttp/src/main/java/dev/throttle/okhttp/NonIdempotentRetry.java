package dev.throttle.okhttp;

/**
 * Which throttled responses {@link ThrottlingInterceptor} may retry for a request whose method is not idempotent
 * (POST, PATCH, ... without an {@code Idempotency-Key} header). Idempotent requests (GET, HEAD, OPTIONS, TRACE,
 * PUT, DELETE, or any request carrying {@code Idempotency-Key}) are always retried when the policy says so;
 * one-shot and duplex bodies are never retried, whatever this setting.
 */
public enum NonIdempotentRetry {
  /** Never retry a non-idempotent request: the caller sees the first 429 or 503. */
  NEVER,
  /**
   * Retry on 429 only (the default). A 429 means the server refused the request without processing it, so
   * sending it again is safe; a 503 may come from a server that processed part of it.
   */
  ON_429,
  /** Retry on every status the policy wants retried (429, and 503 with Retry-After). */
  ALWAYS
}
