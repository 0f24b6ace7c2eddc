package dev.throttle.sim.report;

import dev.throttle.sim.Cell;
import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.StudentT;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How results are printed on standard output: an aligned table, CSV or JSON. Output is deterministic. */
public enum ReportFormat {

  /** An aligned text table, one row per scenario and strategy, "mean ±half-width" per metric. */
  TABLE {
    @Override
    public String format(List<Cell> cells) {
      List<String[]> rows = new ArrayList<>();
      String[] header = new String[Metric.values().length + 3];
      header[0] = "scenario";
      header[1] = "strategy";
      header[2] = "runs";
      for (Metric m : Metric.values()) {
        header[m.ordinal() + 3] = m.label();
      }
      rows.add(header);
      for (Cell c : cells) {
        String[] row = new String[header.length];
        row[0] = c.scenario();
        row[1] = c.strategy() + (c.truncated() ? "*" : "");
        row[2] = Integer.toString(c.runs().size());
        for (Metric m : Metric.values()) {
          StudentT.Estimate e = c.estimate(m);
          String v = number(e.mean(), m.decimals());
          if (c.runs().size() > 1 && !Double.isNaN(e.mean())) {
            v += " ±" + number(e.halfWidth(), m.decimals());
          }
          row[m.ordinal() + 3] = v;
        }
        rows.add(row);
      }
      int[] width = new int[header.length];
      for (String[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < rows.size(); k++) {
        String[] r = rows.get(k);
        for (int i = 0; i < r.length; i++) {
          if (i > 0) {
            sb.append("  ");
          }
          boolean left = i < 2;
          String pad = " ".repeat(width[i] - r[i].length());
          sb.append(left ? r[i] + (i == r.length - 1 ? "" : pad) : pad + r[i]);
        }
        sb.append('\n');
        if (k == 0) {
          int total = 0;
          for (int w : width) {
            total += w;
          }
          sb.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
        }
      }
      boolean anyTruncated = false;
      for (Cell c : cells) {
        anyTruncated |= c.truncated();
      }
      if (anyTruncated) {
        sb.append("* a run hit the safety stop on attempts; its figures cover only part of the run\n");
      }
      return sb.toString();
    }
  },

  /** CSV with a header line; for each metric a mean column and a {@code _ci95} half-width column. */
  CSV {
    @Override
    public String format(List<Cell> cells) {
      StringBuilder sb = new StringBuilder("scenario,strategy,runs");
      for (Metric m : Metric.values()) {
        sb.append(',').append(m.label()).append(',').append(m.label()).append("_ci95");
      }
      sb.append('\n');
      for (Cell c : cells) {
        sb.append(c.scenario()).append(',').append(c.strategy()).append(',').append(c.runs().size());
        for (Metric m : Metric.values()) {
          StudentT.Estimate e = c.estimate(m);
          sb.append(',').append(raw(e.mean())).append(',').append(raw(e.halfWidth()));
        }
        sb.append('\n');
      }
      return sb.toString();
    }
  },

  /** A JSON array of cells: scenario, strategy, runs and per metric {@code {"mean": .., "ci95": ..}}. */
  JSON {
    @Override
    public String format(List<Cell> cells) {
      StringBuilder sb = new StringBuilder("[\n");
      for (int i = 0; i < cells.size(); i++) {
        Cell c = cells.get(i);
        sb.append("  {\"scenario\": \"").append(c.scenario()).append("\", \"strategy\": \"").append(c.strategy())
            .append("\", \"runs\": ").append(c.runs().size()).append(", \"truncated\": ").append(c.truncated())
            .append(", \"metrics\": {");
        for (Metric m : Metric.values()) {
          StudentT.Estimate e = c.estimate(m);
          if (m.ordinal() > 0) {
            sb.append(", ");
          }
          sb.append('"').append(m.label()).append("\": {\"mean\": ").append(json(e.mean())).append(", \"ci95\": ")
              .append(json(e.halfWidth())).append('}');
        }
        sb.append("}}").append(i + 1 < cells.size() ? ",\n" : "\n");
      }
      return sb.append("]\n").toString();
    }
  };

  /** Renders the cells. */
  public abstract String format(List<Cell> cells);

  /** Formats with a fixed number of decimals; NaN as "-". */
  static String number(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String raw(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  private static String json(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.6g", v);
  }

  /** Returns the legend: one line per metric with its definition. */
  public static String legend() {
    StringBuilder sb = new StringBuilder();
    for (Metric m : Metric.values()) {
      sb.append(String.format(Locale.ROOT, "  %-12s %s\n", m.label(), m.description()));
    }
    return sb.toString();
  }
}
