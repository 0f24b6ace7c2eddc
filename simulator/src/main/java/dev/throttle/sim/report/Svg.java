package dev.throttle.sim.report;

import java.util.List;
import java.util.Locale;

/**
 * Writes small self-contained SVG charts by hand (no chart library, no script): line charts with a legend and a
 * marker on every point that has no neighbour (so a one-point series is still visible), a scatter plot with 95 %
 * confidence whiskers in both directions, and horizontal bars with confidence whiskers. Every chart has a
 * title, axis labels with units and rounded ticks. Output is deterministic for the same input.
 */
public final class Svg {

  /** Twelve distinguishable colours (Tableau 10 plus two dark ones), one per strategy in a report. */
  static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#637939"
  };

  /** Marker shapes, combined with the palette so that neighbouring strategies differ in colour and shape. */
  enum Shape { CIRCLE, SQUARE, TRIANGLE, DIAMOND }

  /** One line series: a name for the legend, a colour and one y value per x (NaN = no point). */
  record Series(String name, String color, double[] ys) {}

  /** One point of a scatter plot with its 95 % half-widths (0 = no whisker). */
  record Point(String name, String color, Shape shape, double x, double xHalfWidth, double y, double yHalfWidth) {}

  /** One bar with its 95 % half-width (0 = no whisker). */
  record Bar(String name, String color, double value, double halfWidth) {}

  private Svg() {}

  /** Returns the colour of the k-th strategy. */
  static String color(int k) {
    return PALETTE[Math.floorMod(k, PALETTE.length)];
  }

  /** Returns the marker shape of the k-th strategy. */
  static Shape shape(int k) {
    return Shape.values()[Math.floorMod(k, Shape.values().length)];
  }

  /**
   * Returns a line chart with a legend under the plot (when there is more than one series or the series is
   * named).
   *
   * @param title chart title
   * @param xLabel x-axis label, with unit
   * @param yLabel y-axis label, with unit
   * @param xs x value of each point (shared by all series), increasing
   * @param series the series
   */
  static String lineChart(String title, String xLabel, String yLabel, double[] xs, List<Series> series) {
    double xMax = xs.length == 0 ? 1 : Math.max(xs[xs.length - 1], 1e-9);
    double yMax = 0;
    for (Series s : series) {
      for (double v : s.ys()) {
        if (!Double.isNaN(v) && v > yMax) {
          yMax = v;
        }
      }
    }
    int w = 438;
    int legendRows = (series.size() + 2) / 3;
    Frame fr = new Frame(w, 230 + 16 * legendRows, 56, 14, 26, 40 + 16 * legendRows, 0, xMax, 0, yMax);
    StringBuilder sb = fr.open(title, xLabel, yLabel);
    for (Series s : series) {
      double[] ys = s.ys();
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < ys.length && i < xs.length; i++) {
        if (Double.isNaN(ys[i])) {
          polyline(sb, pts, s.color());
          continue;
        }
        boolean alone = (i == 0 || Double.isNaN(ys[i - 1])) && (i + 1 >= ys.length || Double.isNaN(ys[i + 1]));
        double px = fr.px(xs[i]);
        double py = fr.py(ys[i]);
        pts.append(f(px)).append(',').append(f(py)).append(' ');
        if (alone) {
          sb.append("<circle cx=\"").append(f(px)).append("\" cy=\"").append(f(py)).append("\" r=\"2.5\" fill=\"")
              .append(s.color()).append("\"/>\n");
        }
      }
      polyline(sb, pts, s.color());
    }
    for (int k = 0; k < series.size(); k++) {
      int lx = fr.left + (k % 3) * ((w - fr.left) / 3);
      int ly = fr.h - 12 - 16 * (legendRows - 1 - k / 3);
      sb.append("<g class=\"legend\"><line x1=\"").append(lx).append("\" x2=\"").append(lx + 18).append("\" y1=\"")
          .append(ly - 4).append("\" y2=\"").append(ly - 4).append("\" stroke=\"").append(series.get(k).color())
          .append("\" stroke-width=\"2\"/><text x=\"").append(lx + 22).append("\" y=\"").append(ly).append("\">")
          .append(escape(series.get(k).name())).append("</text></g>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  private static void polyline(StringBuilder sb, StringBuilder pts, String color) {
    if (pts.length() == 0) {
      return;
    }
    sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
        .append(pts.toString().trim()).append("\"/>\n");
    pts.setLength(0);
  }

  /**
   * Returns a scatter plot, one marker per point with 95 % whiskers, and a legend to the right of the plot.
   * Both axes start at 0.
   */
  static String scatter(String title, String xLabel, String yLabel, List<Point> points) {
    double xMax = 0;
    double yMax = 0;
    for (Point p : points) {
      xMax = Math.max(xMax, finite(p.x() + p.xHalfWidth()));
      yMax = Math.max(yMax, finite(p.y() + p.yHalfWidth()));
    }
    int legendW = 170;
    int h = Math.max(340, 60 + 17 * points.size());
    Frame fr = new Frame(620, h, 56, 14 + legendW, 26, 40, 0, xMax, 0, yMax);
    StringBuilder sb = fr.open(title, xLabel, yLabel);
    for (Point p : points) {
      if (Double.isNaN(p.x()) || Double.isNaN(p.y())) {
        continue;
      }
      double px = fr.px(p.x());
      double py = fr.py(p.y());
      sb.append("<g class=\"point\"><title>").append(escape(p.name())).append(": ").append(escape(yLabel))
          .append(' ').append(tick3(p.y())).append(" ±").append(tick3(p.yHalfWidth())).append(", ")
          .append(escape(xLabel)).append(' ').append(tick3(p.x())).append(" ±").append(tick3(p.xHalfWidth()))
          .append("</title>");
      if (p.xHalfWidth() > 0) {
        whisker(sb, fr.px(Math.max(0, p.x() - p.xHalfWidth())), py, fr.px(p.x() + p.xHalfWidth()), py, p.color(),
            true);
      }
      if (p.yHalfWidth() > 0) {
        whisker(sb, px, fr.py(Math.max(0, p.y() - p.yHalfWidth())), px, fr.py(p.y() + p.yHalfWidth()), p.color(),
            false);
      }
      marker(sb, p.shape(), px, py, 5, p.color());
      sb.append("</g>\n");
    }
    int lx = fr.w - legendW + 6;
    sb.append("<text x=\"").append(lx).append("\" y=\"").append(fr.top + 4).append("\" font-weight=\"bold\">")
        .append("strategy</text>\n");
    for (int k = 0; k < points.size(); k++) {
      Point p = points.get(k);
      int ly = fr.top + 20 + 17 * k;
      sb.append("<g class=\"legend\">");
      marker(sb, p.shape(), lx + 6, ly - 4, 5, p.color());
      sb.append("<text x=\"").append(lx + 16).append("\" y=\"").append(ly).append("\">").append(escape(p.name()))
          .append("</text></g>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  /** Returns horizontal bars, one row per bar with its value printed, 95 % whiskers, x axis from 0. */
  static String bars(String title, String xLabel, List<Bar> bars, int decimals) {
    double xMax = 0;
    for (Bar b : bars) {
      xMax = Math.max(xMax, finite(b.value() + b.halfWidth()));
    }
    int row = 17;
    Frame fr = new Frame(322, 26 + 40 + row * bars.size(), 122, 40, 26, 40, 0, xMax, 0, 1);
    StringBuilder sb = fr.open(title, xLabel, null);
    for (int k = 0; k < bars.size(); k++) {
      Bar b = bars.get(k);
      double y = fr.top + row * k;
      sb.append("<g class=\"bar\"><title>").append(escape(b.name())).append(": ")
          .append(ReportFormat.number(b.value(), decimals));
      if (b.halfWidth() > 0) {
        sb.append(" ±").append(ReportFormat.number(b.halfWidth(), decimals));
      }
      sb.append("</title><text x=\"").append(fr.left - 4).append("\" y=\"").append(f(y + row - 5))
          .append("\" text-anchor=\"end\">").append(escape(b.name())).append("</text>");
      if (!Double.isNaN(b.value())) {
        double x1 = fr.px(Math.max(0, b.value()));
        sb.append("<rect x=\"").append(fr.left).append("\" y=\"").append(f(y + 3)).append("\" width=\"")
            .append(f(Math.max(0.5, x1 - fr.left))).append("\" height=\"").append(row - 6).append("\" fill=\"")
            .append(b.color()).append("\" fill-opacity=\"0.75\"/>");
        if (b.halfWidth() > 0) {
          whisker(sb, fr.px(Math.max(0, b.value() - b.halfWidth())), y + row / 2.0,
              fr.px(b.value() + b.halfWidth()), y + row / 2.0, "#222", true);
        }
        sb.append("<text x=\"").append(f(fr.px(finite(b.value() + b.halfWidth())) + 3)).append("\" y=\"")
            .append(f(y + row - 5)).append("\">").append(ReportFormat.number(b.value(), decimals)).append("</text>");
      } else {
        sb.append("<text x=\"").append(fr.left + 3).append("\" y=\"").append(f(y + row - 5))
            .append("\" fill=\"#888\">n/a</text>");
      }
      sb.append("</g>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  private static void whisker(StringBuilder sb, double x1, double y1, double x2, double y2, String color,
      boolean horizontal) {
    sb.append("<path stroke=\"").append(color).append("\" stroke-width=\"1.2\" fill=\"none\" d=\"M")
        .append(f(x1)).append(' ').append(f(y1)).append("L").append(f(x2)).append(' ').append(f(y2));
    if (horizontal) {
      sb.append("M").append(f(x1)).append(' ').append(f(y1 - 3)).append("v6M").append(f(x2)).append(' ')
          .append(f(y2 - 3)).append("v6");
    } else {
      sb.append("M").append(f(x1 - 3)).append(' ').append(f(y1)).append("h6M").append(f(x2 - 3)).append(' ')
          .append(f(y2)).append("h6");
    }
    sb.append("\"/>");
  }

  private static void marker(StringBuilder sb, Shape shape, double x, double y, double r, String color) {
    String style = "\" fill=\"" + color + "\" stroke=\"white\" stroke-width=\"0.8\"/>";
    switch (shape) {
      case CIRCLE -> sb.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"")
          .append(f(r)).append(style);
      case SQUARE -> sb.append("<rect x=\"").append(f(x - r)).append("\" y=\"").append(f(y - r))
          .append("\" width=\"").append(f(2 * r)).append("\" height=\"").append(f(2 * r)).append(style);
      case TRIANGLE -> sb.append("<path d=\"M").append(f(x)).append(' ').append(f(y - r * 1.2)).append("L")
          .append(f(x + r * 1.1)).append(' ').append(f(y + r * 0.8)).append("L").append(f(x - r * 1.1)).append(' ')
          .append(f(y + r * 0.8)).append("Z").append(style);
      case DIAMOND -> sb.append("<path d=\"M").append(f(x)).append(' ').append(f(y - r * 1.3)).append("L")
          .append(f(x + r)).append(' ').append(f(y)).append("L").append(f(x)).append(' ').append(f(y + r * 1.3))
          .append("L").append(f(x - r)).append(' ').append(f(y)).append("Z").append(style);
      default -> throw new IllegalStateException();
    }
  }

  private static double finite(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? 0 : v;
  }

  /** A plot area with linear axes from (x0, y0) to rounded maxima, ticks, grid and labels. */
  static final class Frame {
    final int w;
    final int h;
    final int left;
    final int top;
    final double pw;
    final double ph;
    final double x0;
    final double xTop;
    final double xTick;
    final double y0;
    final double yTop;
    final double yTick;

    Frame(int w, int h, int left, int right, int top, int bottom, double x0, double xMax, double y0,
        double yMax) {
      this.w = w;
      this.h = h;
      this.left = left;
      this.top = top;
      this.pw = w - left - right;
      this.ph = h - top - bottom;
      this.x0 = x0;
      this.y0 = y0;
      this.xTick = niceStep(xMax > x0 ? (xMax - x0) / 5 : 0.2);
      this.xTop = Math.max(x0 + xTick, x0 + Math.ceil((xMax - x0) / xTick - 1e-9) * xTick);
      this.yTick = niceStep(yMax > y0 ? (yMax - y0) / 4 : 0.25);
      this.yTop = Math.max(y0 + yTick, y0 + Math.ceil((yMax - y0) / yTick - 1e-9) * yTick);
    }

    double px(double x) {
      return left + (Math.min(x, xTop) - x0) / (xTop - x0) * pw;
    }

    double py(double y) {
      return top + ph - (Math.min(y, yTop) - y0) / (yTop - y0) * ph;
    }

    /** Opens the SVG and draws title, grid, ticks, axes and labels; a null yLabel means no y axis. */
    StringBuilder open(String title, String xLabel, String yLabel) {
      StringBuilder sb = new StringBuilder();
      sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
          .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h)
          .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
      sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
      sb.append("<text x=\"").append(left + (int) pw / 2).append("\" y=\"16\" text-anchor=\"middle\" ")
          .append("font-size=\"12\" font-weight=\"bold\">").append(escape(title)).append("</text>\n");
      int n = (int) Math.round((xTop - x0) / xTick);
      for (int i = 0; i <= n; i++) {
        double x = x0 + i * xTick;
        double px = px(x);
        sb.append("<line x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"").append(top)
            .append("\" y2=\"").append(f(top + ph)).append("\" stroke=\"#eee\"/>");
        sb.append("<text x=\"").append(f(px)).append("\" y=\"").append(f(top + ph + 13))
            .append("\" text-anchor=\"middle\">").append(tick(x)).append("</text>\n");
      }
      if (yLabel != null) {
        int m = (int) Math.round((yTop - y0) / yTick);
        for (int i = 0; i <= m; i++) {
          double y = y0 + i * yTick;
          double py = py(y);
          sb.append("<line x1=\"").append(left).append("\" x2=\"").append(f(left + pw)).append("\" y1=\"")
              .append(f(py)).append("\" y2=\"").append(f(py)).append("\" stroke=\"#eee\"/>");
          sb.append("<text x=\"").append(left - 4).append("\" y=\"").append(f(py + 4))
              .append("\" text-anchor=\"end\">").append(tick(y)).append("</text>\n");
        }
        sb.append("<text transform=\"translate(13,").append(f(top + ph / 2)).append(") rotate(-90)\" ")
            .append("text-anchor=\"middle\">").append(escape(yLabel)).append("</text>\n");
        sb.append("<line x1=\"").append(left).append("\" x2=\"").append(left).append("\" y1=\"").append(top)
            .append("\" y2=\"").append(f(top + ph)).append("\" stroke=\"#444\"/>\n");
      }
      sb.append("<line x1=\"").append(left).append("\" x2=\"").append(f(left + pw)).append("\" y1=\"")
          .append(f(top + ph)).append("\" y2=\"").append(f(top + ph)).append("\" stroke=\"#444\"/>\n");
      sb.append("<text x=\"").append(f(left + pw / 2)).append("\" y=\"").append(f(top + ph + 29))
          .append("\" text-anchor=\"middle\">").append(escape(xLabel)).append("</text>\n");
      return sb;
    }
  }

  /** Returns 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double m = raw / p;
    double step = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
    return step * p;
  }

  /** Formats a tick value with at most three decimals and no trailing zeros. */
  static String tick(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return Long.toString(Math.round(v));
    }
    String t = String.format(Locale.ROOT, "%.3f", v);
    t = t.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }

  private static String tick3(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3g", v);
  }

  /** Formats a coordinate with one decimal, without a trailing ".0". */
  static String f(double v) {
    String s = String.format(Locale.ROOT, "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** Escapes text for XML. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
