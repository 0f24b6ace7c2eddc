package dev.throttle.sim.model;

import dev.throttle.core.limiter.Rate;

import java.time.Duration;

/** Parses and formats rates given on the command line: {@code 4500/h}, {@code 10/s}, {@code 1/1d}. */
public final class Rates {

  private Rates() {}

  /**
   * Parses {@code COUNT/PERIOD}, where PERIOD is a duration with unit ({@code 1h}) or a bare unit ({@code h}).
   *
   * @param text the text, e.g. {@code 4500/1h}
   * @return the rate
   * @throws IllegalArgumentException if the text is malformed or the rate is out of {@link Rate}'s range
   */
  public static Rate parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not a rate (expected COUNT/PERIOD, e.g. 4500/h, 10/s)");
    }
    long count;
    try {
      count = Long.parseLong(text.substring(0, slash).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a rate (expected COUNT/PERIOD, e.g. 4500/h, 10/s)");
    }
    String period = text.substring(slash + 1).trim();
    if (!period.isEmpty() && Character.isLetter(period.charAt(0))) {
      period = "1" + period;
    }
    return Rate.of(count, Duration.ofNanos(Durations.parseNanos(period)));
  }

  /**
   * Formats a rate as {@code COUNT/PERIOD}.
   * @param rate the rate
   * @return the text {@code COUNT/PERIOD}
   */
  public static String format(Rate rate) {
    String p = Durations.format(rate.period().toNanos());
    return rate.count() + "/" + (p.startsWith("1") && p.length() == 2 ? p.substring(1) : p);
  }
}
