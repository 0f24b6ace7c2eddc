package dev.throttle.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

  /** Output of one CLI invocation. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "simulate --runs 0",
    "simulate --runs x",
    "simulate --clients 0",
    "simulate --share 0",
    "simulate --scenario nosuch",
    "simulate --strategy nosuch",
    "simulate --duration -5m",
    "simulate --duration 5parsecs",
    "simulate --rate fast",
    "simulate --latency uniform:50ms-10ms",
    "simulate --capacity 0",
    "simulate --initial 99999 --scenario heroku",
    "simulate --format xml",
    "compare --columns nosuch",
    "compare --columns retry%,,jain",
    "compare --scenarios heroku,nosuch",
    "compare --unknown-option",
    "compare --sweep-clients 3,0",
    "compare --sweep-clients 3 --clients 4",
    "compare --strategies ,",
    "compare --scenarios ,",
    "simulate --seed 9223372036854775807 --runs 2",
    "simulate --server token-jar",
    "simulate --dialect draft99",
    "simulate --reject-status 200",
    "simulate --clients 2097153",
    "simulate --scenario-file /nonexistent/scenarios.yaml",
    "nosuchcommand",
    ""
  })
  void badOptionsExitWithCode2AndAMessageNotAStackTrace(String line) {
    Run r = run(line.isEmpty() ? new String[0] : line.split(" "));
    assertEquals(2, r.code(), r.err());
    assertFalse(r.err().isBlank());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void unknownScenarioMessageListsTheKnownOnes() {
    Run r = run("simulate", "--scenario", "nosuch");
    assertTrue(r.err().contains("heroku"), r.err());
  }

  @Test
  void sameSeedGivesByteIdenticalOutput() {
    String[] args = {"compare", "--scenarios", "heroku,clear", "--strategies", "exponential-backoff,eiprd",
        "--runs", "2", "--duration", "5m", "--seed", "11"};
    Run a = run(args);
    Run b = run(args);
    assertEquals(0, a.code(), a.err());
    assertEquals(a.out(), b.out());
    assertTrue(a.out().contains("exponential-backoff"));
    assertTrue(a.err().contains("million simulated requests/s"));
    Run other = run("compare", "--scenarios", "heroku,clear", "--strategies", "exponential-backoff,eiprd",
        "--runs", "2", "--duration", "5m", "--seed", "12");
    assertFalse(a.out().equals(other.out()));
  }

  @Test
  void csvAndJsonHaveOneRecordPerCell() {
    Run csv = run("compare", "--scenarios", "heroku", "--strategies", "eipd,eiprd", "--runs", "2", "--duration",
        "2m", "--format", "csv");
    assertEquals(0, csv.code(), csv.err());
    String[] lines = csv.out().trim().split("\n");
    assertEquals(3, lines.length);
    assertTrue(lines[0].startsWith("scenario,strategy,runs,retry%,retry%_ci95"));
    assertTrue(lines[1].startsWith("heroku,eipd,2,"));
    Run json = run("simulate", "--strategy", "eipd", "--duration", "2m", "--format", "json");
    assertEquals(0, json.code(), json.err());
    assertTrue(json.out().startsWith("[\n  {\"scenario\": \"heroku\", \"strategy\": \"eipd\", \"runs\": 1"),
        json.out());
    Run stages = run("simulate", "--scenario", "join", "--strategy", "eipd", "--duration", "25m", "--format", "json");
    assertEquals(0, stages.code(), stages.err());
    assertTrue(stages.out().contains("\"stages\": [{\"from-s\": 0.00000, \"to-s\": 600.000, \"clients\": 10, "
        + "\"jain\": {\"mean\": "), stages.out());
    assertTrue(stages.out().contains("{\"from-s\": 1200.00, \"to-s\": 1500.00, \"clients\": 10, "), stages.out());
  }

  @Test
  void reportAndSvgFilesAreWrittenAndSelfContained(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("r.html");
    Path svgs = dir.resolve("svg");
    Run r = run("simulate", "--strategy", "eiprd", "--duration", "5m", "--report", report.toString(), "--svg-dir",
        svgs.toString());
    assertEquals(0, r.code(), r.err());
    String html = Files.readString(report);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("<svg") && html.contains("<polyline") && html.contains("data-client=\"9\""));
    assertFalse(html.contains("<script") || html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"));
    assertTrue(Files.readString(svgs.resolve("heroku-eiprd-successes.svg")).startsWith("<svg"));
    assertTrue(Files.readString(svgs.resolve("heroku-compare-retry-vs-max-sleep.svg")).startsWith("<svg"));
  }

  @Test
  void defaultCompareTableFits120CharactersAndColumnsSelects() {
    Run r = run("compare", "--scenarios", "heroku,capacity-drop", "--sweep-clients", "10,60", "--runs", "2",
        "--duration", "2m");
    assertEquals(0, r.code(), r.err());
    String table = r.out().substring(r.out().indexOf("scenario "));
    table = table.substring(0, table.indexOf("\n\n"));
    assertTrue(table.lines().count() > 40, table);
    for (String line : table.lines().toList()) {
      assertTrue(line.length() <= 120, line.length() + ": " + line);
    }
    Run some = run("compare", "--scenarios", "heroku", "--strategies", "eipd", "--runs", "2", "--duration", "2m",
        "--columns", "strategy,retry%,max-sleep-s");
    assertEquals(0, some.code(), some.err());
    String header = some.out().lines().filter(l -> l.startsWith("strategy")).findFirst().orElseThrow();
    assertEquals(List.of("strategy", "retry%", "max-sleep-s"), List.of(header.trim().split(" +")), some.out());
    Run bad = run("compare", "--columns", "retry%,nosuch");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("unknown column 'nosuch'") && bad.err().contains("max-sleep-s"), bad.err());
  }

  @Test
  void sweepRunsEachScenarioPerClientCount() {
    Run r = run("compare", "--scenarios", "heroku", "--strategies", "eiprd", "--sweep-clients", "2,4", "--runs", "1",
        "--duration", "1m", "--format", "csv");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().trim().split("\n");
    assertEquals(3, lines.length);
    assertTrue(lines[1].startsWith("heroku@2,eiprd,1,"));
    assertTrue(lines[2].startsWith("heroku@4,eiprd,1,"));
  }

  @Test
  void listsNameEveryScenarioAndStrategy() {
    Run sc = run("scenarios");
    Run st = run("strategies");
    assertEquals(0, sc.code());
    assertEquals(0, st.code());
    for (Scenario s : Scenario.values()) {
      assertTrue(sc.out().contains(s.id()), s.id());
    }
    for (StrategyRegistry s : StrategyRegistry.values()) {
      assertTrue(st.out().contains(s.id()), s.id());
    }
    assertTrue(st.out().contains("[default]"));
  }

  @Test
  void emptyStrategyListIsRefusedWithAClearMessage() {
    Run r = run("compare", "--strategies", ",");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--strategies needs at least one name"), r.err());
    assertTrue(r.out().isEmpty(), "no table: " + r.out());
  }

  @Test
  void seedRangeThatWouldWrapIsRefused() {
    Run r = run("simulate", "--seed", Long.toString(Long.MAX_VALUE), "--runs", "2");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("9223372036854775806"), r.err());
    Run ok = run("simulate", "--seed", Long.toString(Long.MAX_VALUE), "--runs", "1", "--duration", "1m");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("seeds=9223372036854775807..9223372036854775807"), ok.out());
  }

  @Test
  void unwritableReportIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    Run r = run("simulate", "--report", file.resolve("r.html").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("cannot be written"), r.err());
    assertFalse(r.err().contains("million simulated requests"), "nothing ran: " + r.err());
    Run d = run("simulate", "--report", dir.toString());
    assertEquals(2, d.code());
  }

  @Test
  void tooManyClientsForTheHeapAreRefusedUpFrontWithAnEstimate() {
    Run r = run("simulate", "--scenario", "steady", "--clients", "2097152", "--bins", "10000", "--report",
        "target/never-written.html");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("MB") && r.err().contains("-Xmx"), r.err());
    assertFalse(r.err().contains("million simulated requests"), "nothing ran: " + r.err());
  }

  @Test
  void listsEveryServerModelAndDialect() {
    Run sv = run("servers");
    Run di = run("dialects");
    assertEquals(0, sv.code());
    assertEquals(0, di.code());
    for (dev.throttle.sim.model.ServerKind k : dev.throttle.sim.model.ServerKind.values()) {
      assertTrue(sv.out().contains(k.id()), k.id());
    }
    assertTrue(sv.out().lines().count() >= 5);
    for (dev.throttle.sim.model.Dialect d : dev.throttle.sim.model.Dialect.values()) {
      assertTrue(di.out().contains(d.id()), d.id());
    }
  }

  @Test
  void everyCatalogueScenarioRunsAndTheSameSeedGivesByteIdenticalOutput() {
    for (Scenario s : Scenario.values()) {
      String[] args = {"compare", "--scenarios", s.id(), "--strategies", "default,eiprd", "--runs", "2",
          "--duration", "40s", "--seed", "5", "--threads", "2"};
      Run a = run(args);
      Run b = run(args);
      assertEquals(0, a.code(), s.id() + ": " + a.err());
      assertEquals(a.out(), b.out(), s.id());
    }
  }

  @Test
  void anyModelWithAnyDialectFromTheCommandLine() {
    for (dev.throttle.sim.model.ServerKind k : dev.throttle.sim.model.ServerKind.values()) {
      for (dev.throttle.sim.model.Dialect d : dev.throttle.sim.model.Dialect.values()) {
        Run r = run("simulate", "--scenario", "steady", "--server", k.id(), "--dialect", d.id(), "--duration", "20s",
            "--clients", "3", "--service", "20ms", "--format", "csv");
        assertEquals(0, r.code(), k + "/" + d + ": " + r.err());
        assertTrue(r.out().contains("steady,default,1,"), r.out());
      }
    }
  }

  @Test
  void scenarioFileRunsFromTheCommandLine(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("s.yaml"), dev.throttle.sim.scenario.ScenarioFileTest.EXAMPLE);
    Run r = run("simulate", "--scenario-file", f.toString(), "--strategy", "eiprd", "--format", "csv");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("my-api,eiprd,1,"), r.out());
  }
}
