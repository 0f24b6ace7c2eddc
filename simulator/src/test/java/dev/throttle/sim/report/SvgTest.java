package dev.throttle.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SvgTest {

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aSeriesWithOnePointIsDrawnAsAMarker() {
    double nan = Double.NaN;
    String svg = Svg.lineChart("t", "time (min)", "req/s", new double[] {1, 2, 3, 4},
        List.of(new Svg.Series("lonely", "#123456", new double[] {nan, 5, nan, nan}),
            new Svg.Series("busy", "#654321", new double[] {1, 2, 3, 4})));
    assertEquals(1, count(svg, "<circle"), svg);
    assertTrue(svg.contains("fill=\"#123456\""));
    // the busy series is a line without markers; both are in the legend
    assertEquals(1, count(svg, "<polyline fill=\"none\" stroke=\"#654321\""));
    assertTrue(svg.contains(">lonely</text>") && svg.contains(">busy</text>"));
  }

  @Test
  void barsCarryWhiskersOnlyWhenThereIsAnInterval() {
    String svg = Svg.bars("t", "x (%)", List.of(new Svg.Bar("a", "#111111", 10, 2), new Svg.Bar("b", "#222222", 5, 0),
        new Svg.Bar("c", "#333333", Double.NaN, Double.NaN)), 1);
    assertEquals(1, count(svg, "<path stroke="), svg);
    assertTrue(svg.contains("<title>a: 10.0 ±2.0</title>"));
    assertTrue(svg.contains("<title>b: 5.0</title>"));
    assertTrue(svg.contains(">n/a</text>"));
  }

  @Test
  void scatterHasAMarkerAndALegendEntryPerPoint() {
    String svg = Svg.scatter("t", "x (s)", "y (%)", List.of(
        new Svg.Point("p", Svg.color(0), Svg.shape(0), 1, 0.5, 2, 0.5),
        new Svg.Point("q", Svg.color(1), Svg.shape(1), 3, 0, 4, 0)));
    assertEquals(2, count(svg, "<g class=\"point\">"));
    assertEquals(2, count(svg, "<g class=\"legend\">"));
    assertEquals(2, count(svg, "<path stroke="), "x and y whiskers of p only");
  }

  @Test
  void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertEquals(1, Svg.niceStep(0.7), 1e-12);
    assertEquals(2, Svg.niceStep(1.3), 1e-12);
    assertEquals(50, Svg.niceStep(31), 1e-12);
    assertEquals(0.1, Svg.niceStep(0.06), 1e-12);
  }
}
