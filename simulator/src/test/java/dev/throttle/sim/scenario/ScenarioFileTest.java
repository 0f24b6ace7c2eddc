package dev.throttle.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.SimConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

public class ScenarioFileTest {

  public static final String EXAMPLE = """
      id: my-api
      description: two groups against an nginx-like bucket
      duration: 2m
      latency: uniform:1ms-3ms
      share: 2
      server:
        model: leaky-bucket
        rate: 20/s
        capacity: 10
        nodelay: false
        reject-status: 503
        dialect: none
      clients:
        - count: 4
          think: 100ms
        - count: 2
          strategy: greedy
          join: 30s
          leave: 90s
      """;

  @Test
  void readsEveryField() {
    List<Scenario> all = ScenarioFile.parse(EXAMPLE, "test");
    assertEquals(1, all.size());
    Scenario s = all.get(0);
    assertEquals("my-api", s.id());
    SimConfig c = s.defaults();
    assertEquals(ServerKind.LEAKY_BUCKET, c.server().kind());
    assertEquals(Dialect.NONE, c.server().dialect());
    assertEquals(503, c.server().rejectStatus());
    assertEquals(10, c.server().capacity());
    assertEquals(false, c.server().nodelay());
    assertEquals(2, c.share());
    assertEquals(120_000_000_000L, c.durationNanos());
    assertEquals(100_000_000L, c.groups().get(0).workload().thinkNanos());
    assertNull(c.groups().get(0).strategy());
    assertEquals("greedy", c.groups().get(1).strategy());
    assertEquals(30_000_000_000L, c.groups().get(1).joinAtNanos());
    assertEquals(90_000_000_000L, c.groups().get(1).leaveAtNanos());
  }

  @Test
  void badFilesAreRefusedWithWhereAndWhat() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScenarioFile.parse(EXAMPLE.replace("nodelay:", "nodlay:"), "f.yaml"));
    assertTrue(e.getMessage().contains("f.yaml") && e.getMessage().contains("my-api")
        && e.getMessage().contains("nodlay"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ScenarioFile.parse(EXAMPLE.replace("leaky-bucket", "token-jar"), "f"));
    assertThrows(IllegalArgumentException.class,
        () -> ScenarioFile.parse(EXAMPLE.replace("strategy: greedy", "strategy: nosuch"), "f"));
    assertThrows(IllegalArgumentException.class, () -> ScenarioFile.parse("id: x\n  : [", "f"));
    assertThrows(IllegalArgumentException.class, () -> ScenarioFile.parse("", "f"));
    assertThrows(IllegalArgumentException.class,
        () -> ScenarioFile.parse(EXAMPLE.replace("duration: 2m\n", ""), "f"));
  }

  @Test
  void theCatalogueHasTheRealApiScenarios() {
    for (String id : List.of("heroku", "github-hourly", "nginx", "express-draft8", "express-legacy",
        "silent-bucket", "mixed-greedy", "mixed-backoff", "field-nginx", "field-express-draft8",
        "field-express-legacy")) {
      Scenario.byId(id);
    }
    assertEquals(ServerKind.FIXED_WINDOW, Scenario.byId("github-hourly").defaults().server().kind());
    assertEquals(Dialect.X_EPOCH, Scenario.byId("github-hourly").defaults().server().dialect());
    SimConfig nginx = Scenario.byId("field-nginx").defaults();
    assertEquals(ServerKind.LEAKY_BUCKET, nginx.server().kind());
    assertEquals(8, nginx.share());
    assertTrue(nginx.server().nodelay());
  }
}
