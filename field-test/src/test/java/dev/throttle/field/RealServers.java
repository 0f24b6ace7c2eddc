package dev.throttle.field;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Test helper: the prerequisites of a real server, skipped off CI when missing, a failure on CI. */
final class RealServers {

  private RealServers() {}

  /** The express app, relative to the module directory surefire runs in. */
  static final Path NODE_DIR = Path.of("node");

  /** Returns the prerequisites if {@code server} can run; skips the test (off CI) or fails it (on CI) if not. */
  static Prerequisites require(ServerKind server) {
    Prerequisites p = Prerequisites.check(NODE_DIR);
    List<String> missing = server.missing(p);
    if (!missing.isEmpty()) {
      String message = server.id() + " cannot run: " + String.join("; ", missing);
      String ci = System.getenv("CI");
      if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
        fail("on CI every real server must run (.ci/run installs them): " + message);
      }
      Assumptions.abort("skipped (not on CI): " + message);
    }
    return p;
  }
}
