package dev.throttle.sim.model;

import java.util.Locale;

/** Parses and formats durations given on the command line ({@code 250ms}, {@code 30m}, {@code 1.5s}). */
public final class Durations {

  private Durations() {}

  /**
   * Parses a number with a unit (ns, us, ms, s, m, h, d) into nanoseconds; a bare number is seconds.
   *
   * @param text the text, e.g. {@code 20ms}
   * @return the duration in nanoseconds
   * @throws IllegalArgumentException if the text is not a non-negative number with a known unit
   */
  public static long parseNanos(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 250ms, 30s, 30m, 2h)");
    }
    double value;
    try {
      value = Double.parseDouble(t.substring(0, i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 250ms, 30s, 30m, 2h)");
    }
    String unit = t.substring(i).trim();
    double scale;
    switch (unit) {
      case "ns": scale = 1; break;
      case "us": scale = 1e3; break;
      case "ms": scale = 1e6; break;
      case "": case "s": scale = 1e9; break;
      case "m": case "min": scale = 60e9; break;
      case "h": scale = 3600e9; break;
      case "d": scale = 86400e9; break;
      default:
        throw new IllegalArgumentException("unknown unit '" + unit + "' in '" + text + "' (use ns, us, ms, s, m, h, d)");
    }
    double nanos = value * scale;
    if (nanos > 100L * 365 * 86400e9) {
      throw new IllegalArgumentException("'" + text + "' is longer than 100 years");
    }
    return Math.round(nanos);
  }

  /**
   * Formats nanoseconds compactly with the largest unit that keeps it readable ({@code 0}, {@code 20ms}, {@code 30m}).
   * @param nanos the duration in nanoseconds
   * @return the compact text
   */
  public static String format(long nanos) {
    if (nanos == 0) {
      return "0";
    }
    if (nanos % 3_600_000_000_000L == 0) {
      return nanos / 3_600_000_000_000L + "h";
    }
    if (nanos % 60_000_000_000L == 0) {
      return nanos / 60_000_000_000L + "m";
    }
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }

  /**
   * Returns nanoseconds as seconds.
   * @param nanos the duration in nanoseconds
   * @return nanoseconds as seconds
   */
  public static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
