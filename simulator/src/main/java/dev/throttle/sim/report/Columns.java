package dev.throttle.sim.report;

import dev.throttle.sim.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which columns the text table (and the CSV) shows: {@code scenario}, {@code strategy}, {@code runs} and one
 * column per {@link Metric} label. Parsed from the CLI's {@code --columns} value: {@code default}, {@code all},
 * or a comma-separated list of names in the order wanted.
 *
 * <p>The default selection is a priority list; the table keeps as many of its columns as fit in
 * {@link #DEFAULT_WIDTH} characters and drops the rest from the end (and says so). An explicit list is shown as
 * given, whatever its width. Immutable and thread-safe.
 */
public final class Columns {

  /** Width in characters the default table fits into. */
  public static final int DEFAULT_WIDTH = 120;

  /** Name of the scenario column. */
  public static final String SCENARIO = "scenario";
  /** Name of the strategy column. */
  public static final String STRATEGY = "strategy";
  /** Name of the runs column. */
  public static final String RUNS = "runs";

  /** The default columns in priority order: the first columns are never dropped. */
  private static final List<String> DEFAULT_PRIORITY = List.of(SCENARIO, STRATEGY, RUNS,
      Metric.UTILISATION.label(), Metric.RETRY_RATE.label(), Metric.MAX_SLEEP.label(), Metric.P99_SLEEP.label(),
      Metric.JAIN.label(), Metric.CLEAR_TIME.label(), Metric.P50_SLEEP.label(), Metric.REQUESTS.label());

  /** The default selection, fitted to {@link #DEFAULT_WIDTH}. */
  public static final Columns DEFAULT = new Columns(DEFAULT_PRIORITY, true);

  /** Every column, unfitted. */
  public static final Columns ALL = new Columns(allNames(), false);

  private final List<String> names;
  private final boolean fit;

  private Columns(List<String> names, boolean fit) {
    this.names = List.copyOf(names);
    this.fit = fit;
  }

  /**
   * Returns every known column name, in table order.
   * @return every known column name, in table order
   */
  public static List<String> allNames() {
    List<String> all = new ArrayList<>(List.of(SCENARIO, STRATEGY, RUNS));
    for (Metric m : Metric.values()) {
      all.add(m.label());
    }
    return all;
  }

  /**
   * Parses a selection: {@code default}, {@code all}, or names separated by commas (case-insensitive, blanks
   * around names ignored).
   *
   * @param spec the selection
   * @return the columns
   * @throws IllegalArgumentException for an empty list, an unknown name (the message lists the known ones) or
   *     a name given twice
   */
  public static Columns parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("no columns given; " + choices());
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("default")) {
      return DEFAULT;
    }
    if (s.equals("all")) {
      return ALL;
    }
    List<String> known = allNames();
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : s.split(",", -1)) {
      String name = part.trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty column name in '" + spec + "'; " + choices());
      }
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown column '" + name + "'; " + choices());
      }
      if (!chosen.add(name)) {
        throw new IllegalArgumentException("column '" + name + "' given twice");
      }
    }
    return new Columns(new ArrayList<>(chosen), false);
  }

  private static String choices() {
    return "choose from " + String.join(", ", allNames()) + ", or 'all' or 'default'";
  }

  /**
   * Returns the selected names in order (before any fitting).
   * @return the selected names in order (before any fitting)
   */
  public List<String> names() {
    return names;
  }

  /**
   * Returns true if columns are dropped from the end until the table fits {@link #DEFAULT_WIDTH}.
   * @return {@code true} if columns are dropped from the end until the table fits {@link #DEFAULT_WIDTH}
   */
  public boolean fitsToWidth() {
    return fit;
  }

  /** Returns the metric a column shows, or null for scenario, strategy and runs. */
  static Metric metric(String name) {
    for (Metric m : Metric.values()) {
      if (m.label().equals(name)) {
        return m;
      }
    }
    return null;
  }
}
