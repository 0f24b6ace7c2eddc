package dev.throttle.sim.report;

import dev.throttle.sim.Cell;
import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.metrics.StudentT;
import dev.throttle.sim.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML report (inline SVG, no script, no external resource; deterministic for the same input).
 * Per scenario: the results table; a comparison of the strategies (429 share against the longest wait as a
 * scatter plot, and bars for goodput, utilisation, 429 share, Jain's index and waits, all with 95 % confidence
 * whiskers over the runs); then per strategy, from the first run (seed) of the cell, three heat maps of clients
 * by time (successes, 429s, mean wait before an attempt) with each client's total on the side, and the whole
 * population's successes and 429s per second over time. Every chart has a legend and units and states its
 * bin width. See {@code docs/report.md}.
 */
public final class HtmlReport {

  /** More clients than this are grouped into bands of consecutive clients in the heat maps. */
  static final int MAX_ROWS = 100;

  // ColorBrewer YlGnBu and Reds without their palest step, so that 1 stands out from 0 (white)
  private static final String[] GREENS = {
    "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"
  };
  private static final String[] REDS = {
    "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d"
  };
  private static final String[] WAIT_COLORS = {
    "#fcfdbf", "#fed799", "#feb078", "#fc8961", "#f1605d", "#d3436e", "#b73779", "#8c2981", "#51127c"
  };
  private static final double[] WAIT_UPPER = {0.1, 1, 2, 5, 10, 20, 50, 100, Double.POSITIVE_INFINITY};
  private static final String[] WAIT_LABELS = {
    "< 0.1 s", "0.1–1 s", "1–2 s", "2–5 s", "5–10 s", "10–20 s", "20–50 s", "50–100 s", "≥ 100 s"
  };

  private HtmlReport() {}

  /**
   * Returns every chart as SVG, keyed by {@code scenario-compare-kind} (kind: retry-vs-max-sleep, goodput, util,
   * retry, jain, p99-sleep, max-sleep) and {@code scenario-strategy-kind} (kind: successes, 429, wait, total).
   * @param cells the cells
   * @return every chart as SVG, by key
   */
  public static Map<String, String> charts(List<Cell> cells) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> strategies = strategies(cells);
    for (List<Cell> group : byScenario(cells)) {
      String scenario = group.get(0).scenario();
      comparison(out, scenario, group, strategies);
      int merge = mergeFactor(group);
      for (Cell c : group) {
        perClient(out, c, merge);
      }
    }
    return out;
  }

  /**
   * Renders the report.
   *
   * @param title page title
   * @param description what was run (scenario parameters, runs, seed)
   * @param cells the results, grouped by scenario in order
   * @return the HTML document
   */
  public static String render(String title, String description, List<Cell> cells) {
    Map<String, String> charts = charts(cells);
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Svg.escape(title))
        .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1500px}"
            + "table{border-collapse:collapse;font-size:12px;margin:6px 0}td,th{border:1px solid #ccc;"
            + "padding:3px 6px;text-align:right}td.l,th.l{text-align:left}th{background:#f3f3f3}"
            + ".row{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start;margin-bottom:10px}"
            + "h2{border-top:2px solid #888;padding-top:8px;margin-top:28px}h3{margin:16px 0 4px}"
            + "pre{background:#f6f6f6;padding:8px;font-size:12px}p.note{font-size:13px;max-width:1100px}"
            + ".sw{display:inline-block;width:10px;height:10px;margin-right:4px}</style></head><body>\n");
    sb.append("<h1>").append(Svg.escape(title)).append("</h1>\n<pre>").append(Svg.escape(description))
        .append("</pre>\n");
    sb.append("<p class=\"note\">How to read: per scenario, the table gives every metric as mean ±95 % "
        + "confidence half-width over the runs (Student t; no ± for a single run). The comparison charts put "
        + "each strategy on the same axes, whiskers showing the 95 % interval. The per-strategy heat maps show "
        + "one run (the first seed): one row per client, one column per time cell, so a starved client is a pale "
        + "row with a short total bar, and a client that succeeded once is still one coloured cell. Heat-map "
        + "cells are as wide as stated under each map.</p>\n");
    sb.append("<p>Scenarios:");
    for (List<Cell> group : byScenario(cells)) {
      String s = group.get(0).scenario();
      sb.append(" <a href=\"#").append(anchor(s)).append("\">").append(Svg.escape(s)).append("</a>");
    }
    sb.append("</p>\n");
    List<String> strategies = strategies(cells);
    for (List<Cell> group : byScenario(cells)) {
      String scenario = group.get(0).scenario();
      sb.append("<h2 id=\"").append(anchor(scenario)).append("\">scenario ").append(Svg.escape(scenario))
          .append("</h2>\n");
      table(sb, group, strategies);
      sb.append("<h3>strategies compared (").append(runsText(group))
          .append("; whiskers: 95 % confidence interval)</h3>\n<div class=\"row\">\n")
          .append(charts.get(scenario + "-compare-retry-vs-max-sleep"));
      for (String kind : List.of("goodput", "util", "retry", "jain", "p99-sleep", "max-sleep")) {
        sb.append(charts.get(scenario + "-compare-" + kind));
      }
      sb.append("</div>\n");
      for (Cell c : group) {
        String key = scenario + "-" + c.strategy();
        sb.append("<h3 id=\"").append(anchor(scenario + "-" + c.strategy())).append("\"><span class=\"sw\" style=\"background:").append(Svg.color(strategies.indexOf(c.strategy())))
            .append("\"></span>").append(Svg.escape(c.strategy())).append(" in ").append(Svg.escape(scenario))
            .append(": per client, seed ").append(c.runs().get(0).seed()).append("</h3>\n<div class=\"row\">\n")
            .append(charts.get(key + "-successes")).append(charts.get(key + "-429"))
            .append(charts.get(key + "-wait")).append(charts.get(key + "-total")).append("</div>\n");
      }
    }
    sb.append("<h2>metrics</h2>\n<pre>").append(Svg.escape(ReportFormat.legend())).append("  goodput      ")
        .append("successful requests per second of simulated time, all clients (report only)\n</pre>\n");
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static void table(StringBuilder sb, List<Cell> group, List<String> strategies) {
    sb.append("<table><tr><th class=\"l\">strategy</th><th>runs</th>");
    for (Metric m : Metric.values()) {
      sb.append("<th title=\"").append(Svg.escape(m.description())).append("\">").append(m.label()).append("</th>");
    }
    sb.append("</tr>\n");
    for (Cell c : group) {
      sb.append("<tr><td class=\"l\"><span class=\"sw\" style=\"background:")
          .append(Svg.color(strategies.indexOf(c.strategy()))).append("\"></span>").append(Svg.escape(c.strategy()))
          .append(c.truncated() ? "*" : "").append("</td><td>").append(c.runs().size()).append("</td>");
      for (Metric m : Metric.values()) {
        sb.append("<td>").append(Svg.escape(ReportFormat.meanAndHalfWidth(c, m))).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n");
  }

  private static String runsText(List<Cell> group) {
    int runs = group.get(0).runs().size();
    return runs == 1 ? "1 run, no confidence interval" : "mean of " + runs + " runs";
  }

  private static void comparison(Map<String, String> out, String scenario, List<Cell> group,
      List<String> strategies) {
    List<Svg.Point> points = new ArrayList<>();
    for (Cell c : group) {
      int k = strategies.indexOf(c.strategy());
      StudentT.Estimate x = c.estimate(Metric.MAX_SLEEP);
      StudentT.Estimate y = c.estimate(Metric.RETRY_RATE);
      points.add(new Svg.Point(c.strategy(), Svg.color(k), Svg.shape(k), x.mean(), x.halfWidth(), y.mean(),
          y.halfWidth()));
    }
    String who = scenario + ", " + runsText(group);
    out.put(scenario + "-compare-retry-vs-max-sleep", Svg.scatter("429 share against longest wait: " + who,
        "longest wait before an attempt (s)", "429 responses / attempts (%)", points));
    List<Svg.Bar> goodput = new ArrayList<>();
    for (Cell c : group) {
      double[] v = new double[c.runs().size()];
      for (int i = 0; i < v.length; i++) {
        RunResult r = c.runs().get(i);
        v[i] = r.elapsedNanos() <= 0 ? Double.NaN : r.totalSuccesses() / (r.elapsedNanos() / 1e9);
      }
      StudentT.Estimate e = StudentT.estimate(v);
      goodput.add(new Svg.Bar(c.strategy(), Svg.color(strategies.indexOf(c.strategy())), e.mean(), e.halfWidth()));
    }
    out.put(scenario + "-compare-goodput", Svg.bars("goodput", "successful requests/s, all clients", goodput, 3));
    bars(out, scenario + "-compare-util", "utilisation of the limit", "successes / allowance (%)", group,
        strategies, Metric.UTILISATION);
    bars(out, scenario + "-compare-retry", "429 share", "429 responses / attempts (%)", group, strategies,
        Metric.RETRY_RATE);
    bars(out, scenario + "-compare-jain", "fairness", "Jain's index over successes (1 = equal)", group,
        strategies, Metric.JAIN);
    bars(out, scenario + "-compare-p99-sleep", "p99 wait", "99th percentile wait before an attempt (s)", group,
        strategies, Metric.P99_SLEEP);
    bars(out, scenario + "-compare-max-sleep", "longest wait", "longest wait before an attempt (s)", group,
        strategies, Metric.MAX_SLEEP);
  }

  private static void bars(Map<String, String> out, String key, String title, String xLabel, List<Cell> group,
      List<String> strategies, Metric m) {
    List<Svg.Bar> bars = new ArrayList<>();
    for (Cell c : group) {
      StudentT.Estimate e = c.estimate(m);
      bars.add(new Svg.Bar(c.strategy(), Svg.color(strategies.indexOf(c.strategy())), e.mean(), e.halfWidth()));
    }
    out.put(key, Svg.bars(title, xLabel, bars, m.decimals()));
  }

  /**
   * Returns how many time bins one heat-map cell spans in this scenario: the smallest divisor of the bin count
   * that gives at least 1.5 successes per client and cell on average, keeping at least 12 cells across.
   */
  static int mergeFactor(List<Cell> group) {
    double successes = 0;
    int clients = 1;
    int used = 1;
    for (Cell c : group) {
      RunResult r = c.runs().get(0);
      successes += r.totalSuccesses();
      clients = Math.max(clients, r.series().clients());
      used = Math.max(used, usedBins(r));
    }
    successes /= group.size();
    int best = 1;
    for (int d = 1; d <= used; d++) {
      if (used % d != 0) {
        continue;
      }
      if (used / d < 12) {
        break;
      }
      best = d;
      if (successes / clients / (used / (double) d) >= 1.5) {
        break;
      }
    }
    return best;
  }

  private static int usedBins(RunResult r) {
    TimeSeries ts = r.series();
    return (int) Math.min(ts.bins(), Math.max(1, (r.elapsedNanos() + ts.binNanos() - 1) / ts.binNanos()));
  }

  private static void perClient(Map<String, String> out, Cell c, int merge) {
    RunResult r = c.runs().get(0);
    TimeSeries ts = r.series();
    int used = usedBins(r);
    int cols = (used + merge - 1) / merge;
    int clients = ts.clients();
    int group = (clients + MAX_ROWS - 1) / MAX_ROWS;
    int rows = (clients + group - 1) / group;
    double[][] succ = new double[rows][cols];
    double[][] lim = new double[rows][cols];
    double[][] waitSum = new double[rows][cols];
    double[][] waitWeight = new double[rows][cols];
    double[] succTotal = new double[rows];
    double[] limTotal = new double[rows];
    double[] totalSucc = new double[used];
    double[] totalLim = new double[used];
    double binSeconds = ts.binNanos() / 1e9;
    for (int client = 0; client < clients; client++) {
      int row = client / group;
      for (int b = 0; b < used; b++) {
        int col = b / merge;
        double s = Math.rint(ts.successRate(client, b) * binSeconds);
        int l = ts.limited(client, b);
        succ[row][col] += s;
        lim[row][col] += l;
        succTotal[row] += s;
        limTotal[row] += l;
        totalSucc[b] += s / binSeconds;
        totalLim[b] += l / binSeconds;
        double w = ts.meanWaitSeconds(client, b);
        if (!Double.isNaN(w)) {
          double weight = Math.max(1, s + l);
          waitSum[row][col] += w * weight;
          waitWeight[row][col] += weight;
        }
      }
    }
    double[][] wait = new double[rows][cols];
    double maxSucc = 0;
    double maxLim = 0;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        wait[i][j] = waitWeight[i][j] == 0 ? Double.NaN : waitSum[i][j] / waitWeight[i][j];
        maxSucc = Math.max(maxSucc, succ[i][j]);
        maxLim = Math.max(maxLim, lim[i][j]);
      }
    }
    String[] names = new String[rows];
    for (int i = 0; i < rows; i++) {
      int first = i * group;
      int last = Math.min(clients, first + group) - 1;
      names[i] = first == last ? "client " + first : "clients " + first + "–" + last;
    }
    long cellNanos = ts.binNanos() * merge;
    String cell = span(cellNanos);
    String rowsNote = group == 1 ? "" : ", rows of " + group + " clients";
    String xLabel = "time (min); one cell = " + cell + rowsNote;
    double cellMinutes = cellNanos / 60e9;
    String key = c.scenario() + "-" + c.strategy();
    String who = c.strategy() + " / " + c.scenario();
    out.put(key + "-successes", HeatMap.render("successes per client: " + who, xLabel,
        "successful responses per " + cell + " cell" + (group == 1 ? "" : " (sum over the row's clients)"),
        cellMinutes, succ, names, succTotal, "successes", HeatMap.Scale.counts(maxSucc, "#ffffff", GREENS)));
    out.put(key + "-429", HeatMap.render("429 responses per client: " + who, xLabel,
        "429 responses per " + cell + " cell" + (group == 1 ? "" : " (sum over the row's clients)"),
        cellMinutes, lim, names, limTotal, "429s", HeatMap.Scale.counts(maxLim, "#ffffff", REDS)));
    out.put(key + "-wait", HeatMap.render("mean wait before an attempt: " + who, xLabel,
        "mean wait before the attempts sent in the cell (s)", cellMinutes, wait, names, succTotal, "successes",
        new HeatMap.Scale(WAIT_UPPER, WAIT_COLORS, WAIT_LABELS, "#ffffff", "no attempt sent")));
    double[] xs = new double[used];
    for (int b = 0; b < used; b++) {
      xs[b] = (b + 0.5) * ts.binNanos() / 60e9;
    }
    out.put(key + "-total", Svg.lineChart("all clients: " + who,
        "time (min); one point per " + span(ts.binNanos()) + " bin", "responses/s, all clients", xs,
        List.of(new Svg.Series("successes/s", "#1f77b4", totalSucc), new Svg.Series("429s/s", "#d62728",
            totalLim))));
  }

  /** Formats a bin width for people: "15 s", "2 min", "1.5 h", "250 ms". */
  static String span(long nanos) {
    double s = nanos / 1e9;
    if (s < 1) {
      return Svg.tick(Math.round(s * 1e4) / 10.0) + " ms";
    }
    if (s < 120) {
      return Svg.tick(Math.round(s * 100) / 100.0) + " s";
    }
    if (s < 7200) {
      return Svg.tick(Math.round(s / 60 * 100) / 100.0) + " min";
    }
    return Svg.tick(Math.round(s / 3600 * 100) / 100.0) + " h";
  }

  private static List<String> strategies(List<Cell> cells) {
    List<String> names = new ArrayList<>();
    for (Cell c : cells) {
      if (!names.contains(c.strategy())) {
        names.add(c.strategy());
      }
    }
    return names;
  }

  private static List<List<Cell>> byScenario(List<Cell> cells) {
    Map<String, List<Cell>> groups = new LinkedHashMap<>();
    for (Cell c : cells) {
      groups.computeIfAbsent(c.scenario(), k -> new ArrayList<>()).add(c);
    }
    return new ArrayList<>(groups.values());
  }

  private static String anchor(String scenario) {
    return "s-" + scenario.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
