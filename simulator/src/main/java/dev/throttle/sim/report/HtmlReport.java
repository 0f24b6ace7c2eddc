package dev.throttle.sim.report;

import dev.throttle.sim.Cell;
import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.metrics.StudentT;
import dev.throttle.sim.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML report: the results table and, per scenario, one panel per strategy with three inline
 * SVG charts from the first run (seed) of the cell: each client's successful requests per second, each client's
 * mean wait before an attempt, and 429 responses per time bin (all clients). No script, no external resource;
 * deterministic for the same input.
 */
public final class HtmlReport {

  private HtmlReport() {}

  /** Returns every chart as SVG, keyed by {@code scenario-strategy-kind} (kind: rate, sleep, 429). */
  public static Map<String, String> charts(List<Cell> cells) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Cell c : cells) {
      RunResult r = c.runs().get(0);
      TimeSeries ts = r.series();
      int bins = ts.bins();
      int used = (int) Math.min(bins, Math.max(1, (r.elapsedNanos() + ts.binNanos() - 1) / ts.binNanos()));
      double[] xs = new double[used];
      for (int b = 0; b < used; b++) {
        xs[b] = (b + 0.5) * ts.binNanos() / 60e9;
      }
      List<double[]> rate = new ArrayList<>();
      List<double[]> sleep = new ArrayList<>();
      double[] limited = new double[used];
      for (int client = 0; client < ts.clients(); client++) {
        double[] rr = new double[used];
        double[] ss = new double[used];
        for (int b = 0; b < used; b++) {
          rr[b] = ts.successRate(client, b);
          ss[b] = ts.meanWaitSeconds(client, b);
          limited[b] += ts.limited(client, b);
        }
        rate.add(rr);
        sleep.add(ss);
      }
      String key = c.scenario() + "-" + c.strategy();
      String who = c.strategy() + " / " + c.scenario() + " (seed " + r.seed() + ")";
      out.put(key + "-rate", Svg.lineChart("successful requests/s per client: " + who, "minutes", "req/s", xs, rate));
      out.put(key + "-sleep", Svg.lineChart("mean wait before attempt per client: " + who, "minutes", "seconds", xs,
          sleep));
      out.put(key + "-429", Svg.lineChart("429 responses per bin (all clients): " + who, "minutes", "429s per bin",
          xs, List.of(limited)));
    }
    return out;
  }

  /**
   * Renders the report.
   *
   * @param title page title
   * @param description what was run (scenario parameters, runs, seed)
   * @param cells the results, grouped by scenario in order
   */
  public static String render(String title, String description, List<Cell> cells) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Svg.escape(title))
        .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em;color:#222}"
            + "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;"
            + "text-align:right}td.l,th.l{text-align:left}.panel{display:flex;flex-wrap:wrap;gap:6px;"
            + "margin-bottom:14px}h3{margin:14px 0 4px}pre{background:#f6f6f6;padding:8px}</style></head><body>\n");
    sb.append("<h1>").append(Svg.escape(title)).append("</h1>\n<pre>").append(Svg.escape(description))
        .append("</pre>\n");
    sb.append("<table><tr><th class=\"l\">scenario</th><th class=\"l\">strategy</th><th>runs</th>");
    for (Metric m : Metric.values()) {
      sb.append("<th title=\"").append(Svg.escape(m.description())).append("\">").append(m.label()).append("</th>");
    }
    sb.append("</tr>\n");
    for (Cell c : cells) {
      sb.append("<tr><td class=\"l\">").append(c.scenario()).append("</td><td class=\"l\">").append(c.strategy())
          .append("</td><td>").append(c.runs().size()).append("</td>");
      for (Metric m : Metric.values()) {
        StudentT.Estimate e = c.estimate(m);
        sb.append("<td>").append(ReportFormat.number(e.mean(), m.decimals()));
        if (c.runs().size() > 1 && !Double.isNaN(e.mean())) {
          sb.append(" ±").append(ReportFormat.number(e.halfWidth(), m.decimals()));
        }
        sb.append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n<pre>").append(Svg.escape(ReportFormat.legend())).append("</pre>\n");
    Map<String, String> charts = charts(cells);
    String scenario = null;
    for (Cell c : cells) {
      if (!c.scenario().equals(scenario)) {
        scenario = c.scenario();
        sb.append("<h2>scenario ").append(Svg.escape(scenario)).append("</h2>\n");
      }
      String key = c.scenario() + "-" + c.strategy();
      sb.append("<h3>").append(Svg.escape(c.strategy())).append("</h3>\n<div class=\"panel\">\n")
          .append(charts.get(key + "-rate")).append(charts.get(key + "-sleep")).append(charts.get(key + "-429"))
          .append("</div>\n");
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }
}
