/**
 * Virtual time for tests of code that uses Throttle: {@link dev.throttle.testing.ManualNanoClock} moves only when
 * told, {@link dev.throttle.testing.VirtualSleeper} advances it instead of sleeping. Add the
 * {@code throttle-testing} artifact in test scope.
 */
package dev.throttle.testing;
