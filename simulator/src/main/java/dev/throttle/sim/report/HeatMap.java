package dev.throttle.sim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A heat map in SVG: one row per client (or group of clients), one column per time cell, each cell coloured by
 * a discrete {@link Scale}; a bar per row to the right shows the row's total, and a colour legend with units
 * sits under the time axis. Each row is a {@code <g data-client="i">} with a tooltip naming the row and its
 * total, and runs of equal colour in a row are merged into one rectangle, so a 60 x 120 map stays small.
 * Deterministic for the same input.
 */
final class HeatMap {

  /**
   * A discrete colour scale: level k holds values below {@code upper[k]} (the last level takes everything
   * else); NaN gets {@code noData}, named in the legend unless {@code noDataLabel} is null.
   */
  record Scale(double[] upper, String[] colors, String[] labels, String noData, String noDataLabel) {

    int level(double v) {
      for (int k = 0; k < upper.length; k++) {
        if (v < upper[k]) {
          return k;
        }
      }
      return colors.length - 1;
    }

    /**
     * Returns a scale for counts 0..max: 0 has its own colour; up to 8 one level per count, above that levels
     * growing geometrically (upper bounds ceil(max^(k/8))), so that one greedy client does not wash out the
     * differences among the others.
     */
    static Scale counts(double max, String zero, String[] ramp) {
      long top = Math.max(1, (long) Math.ceil(max));
      int n = ramp.length;
      List<Long> his = new ArrayList<>();
      if (top <= n) {
        for (long v = 1; v <= top; v++) {
          his.add(v);
        }
      } else {
        for (int k = 1; k <= n; k++) {
          long hi = k == n ? top : (long) Math.ceil(Math.pow(top, k / (double) n) - 1e-9);
          if (his.isEmpty() || hi > his.get(his.size() - 1)) {
            his.add(hi);
          }
        }
      }
      int levels = his.size();
      double[] upper = new double[levels + 1];
      String[] colors = new String[levels + 1];
      String[] labels = new String[levels + 1];
      upper[0] = 0.5;
      colors[0] = zero;
      labels[0] = "0";
      long lo = 1;
      for (int k = 1; k <= levels; k++) {
        long hi = his.get(k - 1);
        upper[k] = hi + 0.5;
        // spread the colours over the ramp when there are fewer levels than colours
        colors[k] = ramp[levels == 1 ? ramp.length - 1
            : (int) Math.round((k - 1) * (ramp.length - 1) / (double) (levels - 1))];
        labels[k] = lo == hi ? Long.toString(lo) : lo + "–" + hi;
        lo = hi + 1;
      }
      return new Scale(upper, colors, labels, zero, null);
    }
  }

  private HeatMap() {}

  /**
   * Renders the map.
   *
   * @param title chart title
   * @param xLabel time axis label, stating the cell width
   * @param legendTitle what a colour means, with unit
   * @param cellMinutes width of one column in minutes
   * @param values values[row][column], NaN = no data
   * @param rowNames name of each row (client 3, clients 10–19)
   * @param rowTotals a total per row for the bar on the right
   * @param totalLabel what the row total is
   * @param scale the colour scale
   */
  static String render(String title, String xLabel, String legendTitle, double cellMinutes, double[][] values,
      String[] rowNames, double[] rowTotals, String totalLabel, Scale scale) {
    int rows = values.length;
    int cols = rows == 0 ? 0 : values[0].length;
    double cellW = 300.0 / Math.max(1, cols);
    int rowH = Math.max(3, Math.min(16, 330 / Math.max(1, rows)));
    int left = 62;
    int top = 28;
    int pw = 300;
    int ph = rowH * rows;
    int margin = 66;
    int w = left + pw + 10 + margin;
    int legendY = top + ph + 46;
    int longest = scale.noDataLabel() == null ? 0 : scale.noDataLabel().length();
    for (String label : scale.labels()) {
      longest = Math.max(longest, label.length());
    }
    int swatchW = 22 + 6 * longest;
    int perLine = Math.max(1, (w - left) / swatchW);
    int entryCount = scale.colors().length + (scale.noDataLabel() == null ? 0 : 1);
    int legendLines = (entryCount + perLine - 1) / perLine;
    int h = legendY + 14 + 16 * legendLines;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h)
        .append("\" font-family=\"sans-serif\" font-size=\"11\" shape-rendering=\"crispEdges\">\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append("<text x=\"6\" y=\"13\" font-size=\"12\" ")
        .append("font-weight=\"bold\">").append(Svg.escape(title)).append("</text>\n");
    sb.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(pw)
        .append("\" height=\"").append(ph).append("\" fill=\"").append(scale.noData()).append("\"/>\n");
    double maxTotal = 0;
    for (double t : rowTotals) {
      maxTotal = Math.max(maxTotal, t);
    }
    int labelEvery = Math.max(1, (int) Math.ceil(13.0 / rowH));
    int barX = left + pw + 10;
    int barW = margin - 14;
    for (int r = 0; r < rows; r++) {
      int y = top + r * rowH;
      sb.append("<g data-client=\"").append(r).append("\"><title>").append(Svg.escape(rowNames[r])).append(": ")
          .append(Svg.escape(totalLabel)).append(' ').append(number(rowTotals[r])).append("</title>");
      List<StringBuilder> paths = new ArrayList<>();
      for (int k = 0; k < scale.colors().length; k++) {
        paths.add(new StringBuilder());
      }
      int c = 0;
      while (c < cols) {
        double v = values[r][c];
        if (Double.isNaN(v)) {
          c++;
          continue;
        }
        int level = scale.level(v);
        int end = c + 1;
        while (end < cols && !Double.isNaN(values[r][end]) && scale.level(values[r][end]) == level) {
          end++;
        }
        String x0 = Svg.f(left + c * cellW);
        String dx = Svg.f(left + end * cellW - Double.parseDouble(x0));
        paths.get(level).append('M').append(x0).append(' ').append(y).append('h').append(dx).append('v')
            .append(rowH).append("h-").append(dx).append('z');
        c = end;
      }
      for (int k = 0; k < paths.size(); k++) {
        if (paths.get(k).length() > 0) {
          sb.append("<path fill=\"").append(scale.colors()[k]).append("\" d=\"").append(paths.get(k))
              .append("\"/>");
        }
      }
      double bw = maxTotal <= 0 ? 0 : rowTotals[r] / maxTotal * barW;
      sb.append("<rect x=\"").append(barX).append("\" y=\"").append(y + (rowH >= 5 ? 1 : 0)).append("\" width=\"")
          .append(Svg.f(Math.max(bw, rowTotals[r] > 0 ? 1 : 0))).append("\" height=\"")
          .append(Math.max(1, rowH - (rowH >= 5 ? 2 : 0))).append("\" fill=\"#555\"/>");
      sb.append("</g>\n");
      if (r % labelEvery == 0) {
        sb.append("<text x=\"").append(left - 4).append("\" y=\"").append(Svg.f(y + rowH / 2.0 + 4))
            .append("\" text-anchor=\"end\" font-size=\"").append(rowH * labelEvery >= 15 ? 11 : 9).append("\">")
            .append(Svg.escape(rowNames[r])).append("</text>\n");
      }
    }
    sb.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(pw)
        .append("\" height=\"").append(ph).append("\" fill=\"none\" stroke=\"#444\"/>\n");
    // marginal bar header and scale
    sb.append("<text x=\"").append(barX).append("\" y=\"").append(top - 4).append("\" font-size=\"10\">")
        .append(Svg.escape(totalLabel)).append("</text>\n");
    sb.append("<text x=\"").append(barX + barW).append("\" y=\"").append(top + ph + 12)
        .append("\" font-size=\"10\" text-anchor=\"end\">max ").append(number(maxTotal)).append("</text>\n");
    // time axis
    double span = cols * cellMinutes;
    double step = Svg.niceStep(span > 0 ? span / 6 : 1);
    for (int i = 0; i * step <= span + 1e-9; i++) {
      double px = left + (span == 0 ? 0 : i * step / span * pw);
      sb.append("<line x1=\"").append(Svg.f(px)).append("\" x2=\"").append(Svg.f(px)).append("\" y1=\"")
          .append(top + ph).append("\" y2=\"").append(top + ph + 4).append("\" stroke=\"#444\"/>")
          .append("<text x=\"").append(Svg.f(px)).append("\" y=\"").append(top + ph + 15)
          .append("\" text-anchor=\"middle\">").append(Svg.tick(i * step)).append("</text>\n");
    }
    sb.append("<text x=\"").append(left + pw / 2).append("\" y=\"").append(top + ph + 30)
        .append("\" text-anchor=\"middle\">").append(Svg.escape(xLabel)).append("</text>\n");
    // colour legend
    sb.append("<g class=\"legend\"><text x=\"").append(left).append("\" y=\"").append(legendY)
        .append("\" font-weight=\"bold\">").append(Svg.escape(legendTitle)).append("</text>\n");
    List<String[]> entries = new ArrayList<>();
    for (int k = 0; k < scale.colors().length; k++) {
      entries.add(new String[] {scale.colors()[k], scale.labels()[k]});
    }
    if (scale.noDataLabel() != null) {
      entries.add(new String[] {scale.noData(), scale.noDataLabel()});
    }
    for (int k = 0; k < entries.size(); k++) {
      int lx = left + (k % perLine) * swatchW;
      int ly = legendY + 16 + 16 * (k / perLine);
      sb.append("<rect x=\"").append(lx).append("\" y=\"").append(ly - 10).append("\" width=\"12\" height=\"12\" ")
          .append("fill=\"").append(entries.get(k)[0]).append("\" stroke=\"#999\"/><text x=\"").append(lx + 16)
          .append("\" y=\"").append(ly).append("\">").append(Svg.escape(entries.get(k)[1])).append("</text>\n");
    }
    sb.append("</g>\n</svg>\n");
    return sb.toString();
  }

  private static String number(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return Long.toString(Math.round(v));
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
