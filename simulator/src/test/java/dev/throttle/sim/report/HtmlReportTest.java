package dev.throttle.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.strategy.ThrottleStrategy;
import dev.throttle.sim.Cell;
import dev.throttle.sim.Experiment;
import dev.throttle.sim.FixedIntervalStrategy;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.scenario.ScenarioOptions;
import dev.throttle.sim.strategy.StrategyFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long HOUR = 3600 * SECOND;

  /** Sends one request at once, then waits an hour before every later one: one success in a 5-minute run. */
  private static final class SingleShot implements ThrottleStrategy {
    private boolean used;

    @Override
    public Call newCall(long nowNanos) {
      return new Call() {
        @Override
        public long delayNanos(long now) {
          long d = used ? HOUR : 0;
          used = true;
          return d;
        }

        @Override
        public boolean onResponse(int status, RateLimitHeaders headers, long now) {
          return status == 429;
        }
      };
    }
  }

  /** The first instance created is a single shot, the others send every 4 s (no heat-map bins merged). */
  private static StrategyFactory scripted() {
    AtomicInteger created = new AtomicInteger();
    return (seed, initialSleep) -> created.getAndIncrement() == 0 ? new SingleShot()
        : new FixedIntervalStrategy(4 * SECOND);
  }

  private static Cell scriptedCell(String strategy) {
    // Heroku's server with 10 units banked, 3 clients, 5 minutes, 30 bins of 10 s
    SimConfig config = Scenario.HEROKU.config(ScenarioOptions.builder().clients(3).durationNanos(300 * SECOND)
        .initialRemaining(10L).timeBins(30).build());
    return Experiment.run(strategy, "small", config, scripted(), 7, 2, null);
  }

  /** Returns the body of {@code <g data-client="k">...</g>} in each chart that has one. */
  private static List<String> clientGroups(String html, int k) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<g data-client=\"" + k + "\">(.*?)</g>").matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyClientIncludingTheOneWithASingleSuccessIsDrawnWithLegendsAndStatedBins() {
    Cell cell = scriptedCell("scripted");
    long[] successes = cell.runs().get(0).successes();
    int single = -1;
    for (int k = 0; k < successes.length; k++) {
      if (successes[k] == 1) {
        single = k;
      }
    }
    assertTrue(single >= 0, "the scripted run has a client with exactly one success");

    String html = HtmlReport.render("t", "scripted run", List.of(cell));
    for (int k = 0; k < 3; k++) {
      List<String> groups = clientGroups(html, k);
      // one row per client in each of the three heat maps (successes, 429s, wait)
      assertEquals(3, groups.size(), "client " + k);
      assertTrue(groups.get(0).startsWith("<title>client " + k + ": successes " + successes[k] + "</title>"),
          groups.get(0));
    }
    // the single success is a coloured cell in its row of the successes map (a zero row has no path)
    assertTrue(clientGroups(html, single).get(0).contains("<path fill="), clientGroups(html, single).get(0));
    assertTrue(html.contains("class=\"legend\""));
    assertTrue(html.contains("successful responses per 10 s cell"), "legend states the cell width");
    assertTrue(html.contains("time (min); one cell = 10 s"));
    assertTrue(html.contains("one point per 10 s bin"));
    assertTrue(html.contains("429 responses / attempts (%)") && html.contains("longest wait before an attempt (s)"));
    assertFalse(html.contains("<script"));
    assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http"), "no external resource");
  }

  @Test
  void chartsAreKeyedPerScenarioAndStrategyAndDeterministic() {
    List<Cell> cells = List.of(scriptedCell("a"), scriptedCell("b"));
    Map<String, String> charts = HtmlReport.charts(cells);
    assertTrue(charts.keySet().containsAll(List.of("small-compare-retry-vs-max-sleep", "small-compare-goodput",
        "small-compare-util", "small-a-successes", "small-a-429", "small-a-wait", "small-a-total",
        "small-b-successes")));
    assertEquals(HtmlReport.render("t", "d", cells), HtmlReport.render("t", "d", cells));
    // the comparison legend names both strategies, each in its own colour
    String scatter = charts.get("small-compare-retry-vs-max-sleep");
    assertTrue(scatter.contains(">a</text>") && scatter.contains(">b</text>"));
    assertTrue(scatter.contains(Svg.color(0)) && scatter.contains(Svg.color(1)));
  }

  @Test
  void manyClientsAreGroupedIntoBands() {
    SimConfig config = Scenario.HEROKU.config(ScenarioOptions.builder().clients(250).durationNanos(60 * SECOND)
        .timeBins(12).build());
    Cell cell = Experiment.run("fixed", "big", config, (s, i) -> new FixedIntervalStrategy(5 * SECOND), 1, 1, null);
    String map = HtmlReport.charts(List.of(cell)).get("big-fixed-successes");
    assertTrue(map.contains("<g data-client=\"83\"><title>client 249: "), "last band, of one client");
    assertTrue(map.contains("<title>clients 0–2: "));
    assertFalse(map.contains("data-client=\"84\""));
    assertTrue(map.contains("rows of 3 clients"));
  }

  @Test
  void binWidthsArePrintedForPeople() {
    assertEquals("15 s", HtmlReport.span(15 * SECOND));
    assertEquals("75 s", HtmlReport.span(75 * SECOND));
    assertEquals("2.5 min", HtmlReport.span(150 * SECOND));
    assertEquals("3 h", HtmlReport.span(3 * HOUR));
    assertEquals("250 ms", HtmlReport.span(SECOND / 4));
  }
}
