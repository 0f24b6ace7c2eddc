package dev.throttle.sim.report;

import java.util.List;
import java.util.Locale;

/**
 * Writes small self-contained SVG line charts by hand (no chart library): axes with rounded ticks, one
 * polyline per series, gaps where a value is NaN. Output is deterministic.
 */
public final class Svg {

  private static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
  };

  private static final int W = 420;
  private static final int H = 220;
  private static final int LEFT = 52;
  private static final int RIGHT = 10;
  private static final int TOP = 24;
  private static final int BOTTOM = 34;

  private Svg() {}

  /**
   * Returns an SVG line chart.
   *
   * @param title chart title
   * @param xLabel x-axis label
   * @param yLabel y-axis label
   * @param xs x value of each point (shared by all series)
   * @param series y values, one array per series, same length as {@code xs}; NaN = no point
   */
  public static String lineChart(String title, String xLabel, String yLabel, double[] xs, List<double[]> series) {
    double xMax = xs.length == 0 ? 1 : xs[xs.length - 1];
    double yMax = 0;
    for (double[] s : series) {
      for (double v : s) {
        if (!Double.isNaN(v) && v > yMax) {
          yMax = v;
        }
      }
    }
    double yTick = niceStep(yMax > 0 ? yMax / 4 : 0.25);
    double yTop = Math.max(yTick, Math.ceil(yMax / yTick) * yTick);
    double xTick = niceStep(xMax > 0 ? xMax / 5 : 0.2);
    double pw = W - LEFT - RIGHT;
    double ph = H - TOP - BOTTOM;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
        .append("\" font-family=\"sans-serif\" font-size=\"10\">\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append("<text x=\"").append(W / 2).append("\" y=\"14\" text-anchor=\"middle\" font-size=\"12\">")
        .append(escape(title)).append("</text>\n");
    // grid and ticks
    for (double y = 0; y <= yTop + yTick / 2; y += yTick) {
      double py = TOP + ph - y / yTop * ph;
      sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"").append(f(py))
          .append("\" y2=\"").append(f(py)).append("\" stroke=\"#e5e5e5\"/>\n");
      sb.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(f(py + 3))
          .append("\" text-anchor=\"end\">").append(tick(y)).append("</text>\n");
    }
    for (double x = 0; x <= xMax + xTick / 2; x += xTick) {
      double px = LEFT + (xMax == 0 ? 0 : x / xMax * pw);
      sb.append("<text x=\"").append(f(px)).append("\" y=\"").append(H - BOTTOM + 12)
          .append("\" text-anchor=\"middle\">").append(tick(x)).append("</text>\n");
    }
    sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"").append(TOP)
        .append("\" y2=\"").append(TOP + (int) ph).append("\" stroke=\"black\"/>\n");
    sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"")
        .append(TOP + (int) ph).append("\" y2=\"").append(TOP + (int) ph).append("\" stroke=\"black\"/>\n");
    sb.append("<text x=\"").append(LEFT + (int) pw / 2).append("\" y=\"").append(H - 6)
        .append("\" text-anchor=\"middle\">").append(escape(xLabel)).append("</text>\n");
    sb.append("<text transform=\"translate(12,").append(TOP + (int) ph / 2)
        .append(") rotate(-90)\" text-anchor=\"middle\">").append(escape(yLabel)).append("</text>\n");
    for (int k = 0; k < series.size(); k++) {
      double[] s = series.get(k);
      String color = PALETTE[k % PALETTE.length];
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < s.length && i < xs.length; i++) {
        if (Double.isNaN(s[i])) {
          flush(sb, pts, color);
          continue;
        }
        double px = LEFT + (xMax == 0 ? 0 : xs[i] / xMax * pw);
        double py = TOP + ph - Math.min(s[i], yTop) / yTop * ph;
        pts.append(f(px)).append(',').append(f(py)).append(' ');
      }
      flush(sb, pts, color);
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static void flush(StringBuilder sb, StringBuilder pts, String color) {
    if (pts.length() == 0) {
      return;
    }
    sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.2\" stroke-opacity=\"0.8\" points=\"")
        .append(pts.toString().trim()).append("\"/>\n");
    pts.setLength(0);
  }

  /** Returns 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double m = raw / p;
    double step = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
    return step * p;
  }

  private static String tick(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return Long.toString(Math.round(v));
    }
    String t = String.format(Locale.ROOT, "%.3f", v);
    t = t.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Escapes text for XML. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
