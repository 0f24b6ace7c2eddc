package dev.throttle.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.Cell;
import dev.throttle.sim.Experiment;
import dev.throttle.sim.metrics.Metric;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.scenario.ScenarioOptions;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ColumnsTest {

  private static final long SECOND = 1_000_000_000L;

  /** Cells with the longest strategy names and a long scenario label, and wide figures (many clients). */
  private static List<Cell> wideCells() {
    List<Cell> cells = new ArrayList<>();
    SimConfig config = Scenario.CAPACITY_DROP.config(ScenarioOptions.builder().clients(60).durationNanos(120 * SECOND)
        .build());
    for (StrategyRegistry s : StrategyRegistry.compared()) {
      cells.add(Experiment.run(s.id(), "capacity-drop@60", config, s.factory(), 42, 3, null));
    }
    return cells;
  }

  @Test
  void defaultTableFits120Characters() {
    List<Cell> cells = wideCells();
    String all = ReportFormat.TABLE.format(cells, Columns.ALL);
    assertTrue(all.lines().anyMatch(l -> l.length() > Columns.DEFAULT_WIDTH), "the full table is wider");
    String table = ReportFormat.TABLE.format(cells);
    for (String line : table.lines().toList()) {
      assertTrue(line.length() <= Columns.DEFAULT_WIDTH, line.length() + ": " + line);
    }
    String header = table.lines().findFirst().orElseThrow();
    for (String name : List.of("scenario", "strategy", "util%", "retry%", "max-sleep-s")) {
      assertTrue(header.contains(name), header);
    }
    assertTrue(table.contains("more columns (--columns all"), "says what is left out");
    assertTrue(table.contains("decorrelated-jitter"));
  }

  @Test
  void explicitColumnsAreShownInTheGivenOrderAndNoOthers() {
    List<Cell> cells = wideCells().subList(0, 2);
    String table = ReportFormat.TABLE.format(cells, Columns.parse("max-sleep-s, strategy,RETRY%"));
    List<String> header = List.of(table.lines().findFirst().orElseThrow().trim().split(" +"));
    assertEquals(List.of("max-sleep-s", "strategy", "retry%"), header);
    assertFalse(table.contains("capacity-drop@60"));
    assertFalse(table.contains("more columns"));
    String csv = ReportFormat.CSV.format(cells, Columns.parse("strategy,jain"));
    assertEquals("strategy,jain,jain_ci95", csv.lines().findFirst().orElseThrow());
    assertTrue(csv.lines().skip(1).allMatch(l -> l.split(",").length == 3), csv);
  }

  @Test
  void allShowsEveryMetric() {
    String header = ReportFormat.TABLE.format(wideCells().subList(0, 1), Columns.ALL).lines().findFirst()
        .orElseThrow();
    for (Metric m : Metric.values()) {
      assertTrue(header.contains(m.label()), m.label());
    }
  }

  @Test
  void unknownEmptyOrRepeatedNamesAreRejectedWithTheKnownOnesListed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Columns.parse("retry%,nosuch"));
    assertTrue(e.getMessage().contains("unknown column 'nosuch'"), e.getMessage());
    assertTrue(e.getMessage().contains("max-sleep-s") && e.getMessage().contains("'all'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Columns.parse(""));
    assertThrows(IllegalArgumentException.class, () -> Columns.parse("retry%,,jain"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Columns.parse("jain,jain")).getMessage()
        .contains("twice"));
  }

  @Provide
  Arbitrary<List<String>> selections() {
    return Arbitraries.of(Columns.allNames()).list().uniqueElements().ofMinSize(1);
  }

  @Property
  void anySelectionOfKnownNamesParsesToExactlyThoseNames(@ForAll("selections") List<String> names) {
    assertEquals(names, Columns.parse(String.join(",", names)).names());
  }

  @Property
  void anyOtherNameIsRejected(@ForAll("selections") List<String> names, @ForAll String junk) {
    if (Columns.allNames().contains(junk.trim().toLowerCase(java.util.Locale.ROOT)) || junk.contains(",")) {
      return;
    }
    List<String> withJunk = new ArrayList<>(names);
    withJunk.add(junk);
    Collections.reverse(withJunk);
    assertThrows(IllegalArgumentException.class, () -> Columns.parse(String.join(",", withJunk)));
  }
}
