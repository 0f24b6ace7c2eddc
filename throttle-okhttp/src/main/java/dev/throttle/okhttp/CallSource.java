package dev.throttle.okhttp;

import dev.throttle.core.ThrottledCall;

/** Starts throttled calls for one throttle key; a {@code ThrottlePolicy} in production. Thread-safe. */
@FunctionalInterface
interface CallSource {

  /** Starts one logical request at {@code nowNanos}. */
  ThrottledCall newCall(long nowNanos);
}
