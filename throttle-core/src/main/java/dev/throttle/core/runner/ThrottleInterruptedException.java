package dev.throttle.core.runner;

/**
 * Thrown by a blocking runner when its thread is interrupted while it waits between attempts. The runner
 * stops at once and restores the thread's interrupt flag before throwing; the cause is the
 * {@link InterruptedException}. Unchecked so it passes through {@code Supplier}-based APIs.
 */
public final class ThrottleInterruptedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was interrupted
   * @param cause the interrupt
   */
  public ThrottleInterruptedException(String message, InterruptedException cause) {
    super(message, cause);
  }
}
