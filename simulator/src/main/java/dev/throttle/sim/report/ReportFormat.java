package dev.throttle.sim.report;

import dev.throttle.sim.Cell;
import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.metrics.Stage;
import dev.throttle.sim.metrics.StudentT;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How results are printed on standard output: an aligned table, CSV or JSON, with the columns chosen by
 * {@link Columns}. Output is deterministic.
 */
public enum ReportFormat {

  /**
   * An aligned text table, one row per scenario and strategy, "mean ±half-width" per metric. By default it
   * shows the {@link Columns#DEFAULT} columns that fit in {@value Columns#DEFAULT_WIDTH} characters.
   */
  TABLE {
    @Override
    public String format(List<Cell> cells, Columns columns) {
      List<String> names = new ArrayList<>(columns.names());
      List<String[]> cols = new ArrayList<>();
      for (String name : names) {
        cols.add(column(name, cells));
      }
      if (columns.fitsToWidth()) {
        for (int i = names.size() - 1; i >= 0; i--) {
          if (Columns.metric(names.get(i)) != null && allBlank(cols.get(i))) {
            names.remove(i);
            cols.remove(i);
          }
        }
        while (names.size() > 2 && width(cols) > Columns.DEFAULT_WIDTH) {
          names.remove(names.size() - 1);
          cols.remove(cols.size() - 1);
        }
      }
      int[] width = new int[cols.size()];
      for (int i = 0; i < cols.size(); i++) {
        for (String v : cols.get(i)) {
          width[i] = Math.max(width[i], v.length());
        }
      }
      StringBuilder sb = new StringBuilder();
      int rows = cells.size() + 1;
      for (int k = 0; k < rows; k++) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
          if (i > 0) {
            line.append("  ");
          }
          String v = cols.get(i)[k];
          String pad = " ".repeat(width[i] - v.length());
          boolean left = names.get(i).equals(Columns.SCENARIO) || names.get(i).equals(Columns.STRATEGY);
          line.append(left ? v + pad : pad + v);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
        if (k == 0) {
          sb.append("-".repeat(width(cols))).append('\n');
        }
      }
      boolean anyTruncated = false;
      for (Cell c : cells) {
        anyTruncated |= c.truncated();
      }
      if (anyTruncated) {
        sb.append("* a run hit the safety stop on attempts; its figures cover only part of the run\n");
      }
      if (columns.fitsToWidth()) {
        List<String> more = new ArrayList<>(Columns.allNames());
        more.removeAll(names);
        if (!more.isEmpty()) {
          StringBuilder note = new StringBuilder("more columns (--columns all, or a list such as --columns strategy,")
              .append(more.get(0)).append("):");
          for (String name : more) {
            if (note.length() + 1 + name.length() + 1 > Columns.DEFAULT_WIDTH) {
              sb.append(note).append('\n');
              note.setLength(0);
              note.append(" ");
            }
            note.append(' ').append(name).append(',');
          }
          note.setLength(note.length() - 1);
          sb.append(note).append('\n');
        }
      }
      return sb.toString();
    }
  },

  /**
   * CSV with a header line; for each metric a mean column and a {@code _ci95} half-width column. All columns
   * unless an explicit list is chosen.
   */
  CSV {
    @Override
    public String format(List<Cell> cells, Columns columns) {
      List<String> names = columns.fitsToWidth() ? Columns.ALL.names() : columns.names();
      StringBuilder sb = new StringBuilder();
      for (String name : names) {
        sb.append(sb.length() == 0 ? "" : ",").append(name);
        if (Columns.metric(name) != null) {
          sb.append(',').append(name).append("_ci95");
        }
      }
      sb.append('\n');
      for (Cell c : cells) {
        for (int i = 0; i < names.size(); i++) {
          String name = names.get(i);
          sb.append(i == 0 ? "" : ",");
          Metric m = Columns.metric(name);
          if (m != null) {
            StudentT.Estimate e = c.estimate(m);
            sb.append(raw(e.mean())).append(',').append(raw(e.halfWidth()));
          } else {
            sb.append(name.equals(Columns.SCENARIO) ? c.scenario()
                : name.equals(Columns.STRATEGY) ? c.strategy() : Integer.toString(c.runs().size()));
          }
        }
        sb.append('\n');
      }
      return sb.toString();
    }
  },

  /**
   * A JSON array of cells: scenario, strategy, runs, per metric {@code {"mean": .., "ci95": ..}} (always every
   * metric), and the stages ({@code from-s}, {@code to-s}, {@code clients} present throughout, {@code jain} and
   * {@code jain-settled} as mean and ci95 over the runs).
   */
  JSON {
    @Override
    public String format(List<Cell> cells, Columns columns) {
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
        sb.append("}, \"stages\": [");
        appendStages(sb, c);
        sb.append("]}").append(i + 1 < cells.size() ? ",\n" : "\n");
      }
      return sb.append("]\n").toString();
    }
  };

  /**
   * Appends a cell's stages: bounds in seconds, the clients present throughout and, over the runs, the mean and
   * 95 % half-width of each stage's Jain index (whole and settled). Every run of a cell has the same stages.
   */
  private static void appendStages(StringBuilder sb, Cell c) {
    List<RunResult> runs = c.runs();
    int count = runs.get(0).stages().size();
    for (int s = 0; s < count; s++) {
      Stage first = runs.get(0).stages().get(s);
      double[] jain = new double[runs.size()];
      double[] settled = new double[runs.size()];
      for (int k = 0; k < runs.size(); k++) {
        jain[k] = runs.get(k).stages().get(s).jain();
        settled[k] = runs.get(k).stages().get(s).settledJain();
      }
      StudentT.Estimate j = StudentT.estimate(jain);
      StudentT.Estimate js = StudentT.estimate(settled);
      sb.append(s == 0 ? "" : ", ").append("{\"from-s\": ").append(json(first.startNanos() / 1e9))
          .append(", \"to-s\": ").append(json(first.endNanos() / 1e9)).append(", \"clients\": ")
          .append(first.clients().length).append(", \"jain\": {\"mean\": ").append(json(j.mean()))
          .append(", \"ci95\": ").append(json(j.halfWidth())).append("}, \"jain-settled\": {\"mean\": ")
          .append(json(js.mean())).append(", \"ci95\": ").append(json(js.halfWidth())).append("}}");
    }
  }

  /**
   * Renders the cells with the default columns.
   * @param cells the cells
   * @return the rendered text
   */
  public String format(List<Cell> cells) {
    return format(cells, Columns.DEFAULT);
  }

  /**
   * Renders the cells with the chosen columns (JSON always has every metric).
   * @param cells the cells
   * @param columns the columns to show
   * @return the rendered text
   */
  public abstract String format(List<Cell> cells, Columns columns);

  /** Returns a column's header followed by one cell per row. */
  private static String[] column(String name, List<Cell> cells) {
    String[] col = new String[cells.size() + 1];
    col[0] = name;
    Metric m = Columns.metric(name);
    for (int k = 0; k < cells.size(); k++) {
      Cell c = cells.get(k);
      if (m != null) {
        col[k + 1] = meanAndHalfWidth(c, m);
      } else if (name.equals(Columns.SCENARIO)) {
        col[k + 1] = c.scenario();
      } else if (name.equals(Columns.STRATEGY)) {
        col[k + 1] = c.strategy() + (c.truncated() ? "*" : "");
      } else {
        col[k + 1] = Integer.toString(c.runs().size());
      }
    }
    return col;
  }

  /** Returns "mean ±half-width" ("mean" alone for one run, "-" for NaN). */
  static String meanAndHalfWidth(Cell c, Metric m) {
    StudentT.Estimate e = c.estimate(m);
    String v = number(e.mean(), m.decimals());
    if (c.runs().size() > 1 && !Double.isNaN(e.mean())) {
      v += " ±" + number(e.halfWidth(), m.decimals());
    }
    return v;
  }

  private static boolean allBlank(String[] col) {
    for (int k = 1; k < col.length; k++) {
      if (!col[k].equals("-")) {
        return false;
      }
    }
    return true;
  }

  /** Returns the width of a table with these columns: widest cell of each plus two spaces between columns. */
  private static int width(List<String[]> cols) {
    int total = 2 * Math.max(0, cols.size() - 1);
    for (String[] col : cols) {
      int w = 0;
      for (String v : col) {
        w = Math.max(w, v.length());
      }
      total += w;
    }
    return total;
  }

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

  /**
   * Returns the legend: one line per metric with its definition.
   * @return the legend: one line per metric with its definition
   */
  public static String legend() {
    StringBuilder sb = new StringBuilder();
    for (Metric m : Metric.values()) {
      sb.append(String.format(Locale.ROOT, "  %-12s %s\n", m.label(), m.description()));
    }
    return sb.toString();
  }
}
