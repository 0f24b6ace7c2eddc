package dev.throttle.sim.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on standard error, drawn only when the JVM has a console (so CI logs stay clean) and
 * only once the work has taken more than a second.
 */
final class Progress {

  private final PrintWriter err;
  private final boolean enabled;
  private final long total;
  private final long start = System.nanoTime();
  private long done;
  private boolean drawn;

  Progress(PrintWriter err, long total, boolean enabled) {
    this.err = err;
    this.total = Math.max(1, total);
    this.enabled = enabled;
  }

  /**
   * Returns a progress bar enabled iff the JVM has a console ({@link System#console()}): standard input and
   * output are a terminal. Java cannot ask about standard error alone; when stdout is redirected to a file, no
   * bar is drawn even if stderr is a terminal.
   */
  static Progress forTerminal(PrintWriter err, long total) {
    return new Progress(err, total, System.console() != null);
  }

  void step() {
    done++;
    if (!enabled || System.nanoTime() - start < 1_000_000_000L) {
      return;
    }
    int width = 30;
    int filled = (int) (width * done / total);
    err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d runs", "#".repeat(filled), " ".repeat(width - filled), done,
        total));
    err.flush();
    drawn = true;
  }

  void finish() {
    if (drawn) {
      err.print("\r" + " ".repeat(60) + "\r");
      err.flush();
    }
  }
}
