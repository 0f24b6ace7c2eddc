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
}
