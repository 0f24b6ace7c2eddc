/**
 * Time, the bottom layer: {@link dev.throttle.core.time.NanoClock}, the injectable source of integer nanoseconds
 * that every limiter, strategy and runner reads, and {@link dev.throttle.core.time.Sleeper}, the one place a
 * blocking runner waits. Nothing here depends on any other package of the library; tests substitute virtual
 * time through these two interfaces (see the {@code throttle-testing} artifact).
 */
package dev.throttle.core.time;
