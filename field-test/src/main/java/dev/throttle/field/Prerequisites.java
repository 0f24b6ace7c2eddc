package dev.throttle.field;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the programs the field test runs (nginx, node and the npm packages in {@code field-test/node}) and says
 * exactly what to install when one is missing. The field test installs nothing itself.
 */
public final class Prerequisites {

  private final Optional<Path> nginx;
  private final Optional<Path> node;
  private final Path nodeDir;

  private Prerequisites(Path nodeDir) {
    this.nginx = find("nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx");
    this.node = find("node", "/usr/bin/node", "/usr/local/bin/node");
    this.nodeDir = nodeDir.toAbsolutePath().normalize();
  }

  /**
   * Looks for the programs now.
   *
   * @param nodeDir the directory of the express app ({@code field-test/node})
   */
  public static Prerequisites check(Path nodeDir) {
    return new Prerequisites(nodeDir);
  }

  /** Returns the nginx executable, if found on the PATH or in the usual places. */
  public Optional<Path> nginx() {
    return nginx;
  }

  /** Returns the node executable, if found. */
  public Optional<Path> node() {
    return node;
  }

  /** Returns the directory of the express app. */
  public Path nodeDir() {
    return nodeDir;
  }

  /** Returns whether the express app's npm packages are installed. */
  public boolean nodeModulesInstalled() {
    return Files.isDirectory(nodeDir.resolve("node_modules/express-rate-limit"))
        && Files.isDirectory(nodeDir.resolve("node_modules/express"));
  }

  /** Returns what is missing for nginx, each with the command that installs it (empty if nothing). */
  public List<String> missingForNginx() {
    return nginx.isPresent() ? List.of()
        : List.of("nginx is not installed: run `apt-get update && apt-get install -y nginx` (as root)");
  }

  /** Returns what is missing for express-rate-limit, each with the command that installs it. */
  public List<String> missingForExpress() {
    List<String> missing = new ArrayList<>();
    if (node.isEmpty()) {
      missing.add("node is not installed: run `apt-get update && apt-get install -y nodejs npm` (as root)");
    }
    if (!Files.isRegularFile(nodeDir.resolve("package-lock.json"))) {
      missing.add("the express app is not at " + nodeDir + " (no package-lock.json): run from the repository root"
          + " or pass --node-dir");
    } else if (!nodeModulesInstalled()) {
      missing.add("the express app's npm packages are not installed: run `npm ci --prefix " + nodeDir + "`");
    }
    return missing;
  }

  private static Optional<Path> find(String name, String... usual) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path p = Path.of(dir, name);
          if (Files.isExecutable(p)) {
            return Optional.of(p);
          }
        }
      }
    }
    for (String u : usual) {
      Path p = Path.of(u);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
