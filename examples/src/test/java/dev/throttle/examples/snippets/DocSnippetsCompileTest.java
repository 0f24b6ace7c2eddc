package dev.throttle.examples.snippets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of {@code README.md} and {@code docs/*.md} with {@code javax.tools}
 * against the test classpath (all modules this one depends on), so no snippet in the docs can rot.
 *
 * <p>How a block is compiled, each in a package of its own:
 * <ul>
 *   <li>a block that declares a top-level type (a line starting with {@code class}, {@code interface},
 *       {@code record} or {@code enum}, optionally {@code public}/{@code final}/{@code abstract}) is a
 *       compilation unit;</li>
 *   <li>any other block is the body of {@code void run() throws Exception} in a subclass of
 *       {@link SnippetContext}, which supplies the usual free names ({@code client}, {@code request},
 *       {@code strategy}, {@code parse(r)}, ...);</li>
 *   <li>leading lines {@code // given: Type name; ...} declare fields of that subclass (they hide the context's,
 *       e.g. {@code // given: HttpClient client; HttpRequest request;} for a {@code java.net.http} snippet);</li>
 *   <li>{@link #IMPORTS} are imported in every block.</li>
 * </ul>
 * A block that is deliberately illustrative starts with {@code // not compiled: <reason>}; it is counted, and
 * the reason must not be empty.
 */
class DocSnippetsCompileTest {

  static final List<String> IMPORTS = List.of("dev.throttle.core.headers.*", "dev.throttle.core.limiter.*",
      "dev.throttle.core.policy.*", "dev.throttle.core.runner.*", "dev.throttle.core.strategy.*",
      "dev.throttle.core.time.*", "dev.throttle.okhttp.*", "dev.throttle.resilience4j.*", "dev.throttle.redis.*", "okhttp3.Call",
      "okhttp3.Callback", "okhttp3.Headers", "okhttp3.Interceptor", "okhttp3.OkHttpClient", "okhttp3.Request",
      "okhttp3.Response", "okhttp3.ResponseBody", "java.io.IOException", "java.io.UncheckedIOException",
      "java.net.URI", "java.net.http.HttpClient", "java.net.http.HttpRequest", "java.net.http.HttpResponse",
      "java.net.http.HttpResponse.BodyHandlers", "java.time.Clock", "java.time.Duration", "java.time.Instant",
      "java.util.*", "java.util.concurrent.*", "java.util.function.*", "io.github.resilience4j.retry.Retry",
      "io.github.resilience4j.retry.RetryConfig");

  private static final Pattern OPEN = Pattern.compile("^\\s*```java\\s*$");
  private static final Pattern CLOSE = Pattern.compile("^\\s*```\\s*$");
  private static final Pattern NOT_COMPILED = Pattern.compile("^\\s*// not compiled:(.*)$");
  private static final Pattern GIVEN = Pattern.compile("^\\s*// given:(.*)$");
  private static final Pattern PUBLIC_TYPE = Pattern.compile(
      "(?m)^public\\s+(?:(?:final|abstract|sealed)\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");
  private static final Pattern TYPE = Pattern.compile("^((public|final|abstract|sealed)\\s+)*(class|interface|record|enum)\\s");

  /** One {@code ```java} block: where it is and its lines. */
  record Block(String file, int firstLine, List<String> lines) {}

  /** What compiling a set of blocks gave. */
  record Outcome(int compiled, int illustrative, List<String> errors) {}

  @Test
  void everyJavaSnippetInTheReadmeAndDocsCompiles(@TempDir Path out) throws IOException {
    Path root = repositoryRoot();
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> s = Files.list(docs)) {
        s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      }
    }
    List<Block> blocks = new ArrayList<>();
    for (Path f : files) {
      blocks.addAll(blocks(root.relativize(f).toString(), Files.readAllLines(f, StandardCharsets.UTF_8)));
    }
    Outcome outcome = compile(blocks, out);
    assertEquals(List.of(), outcome.errors(), outcome.compiled() + " snippets compiled, "
        + outcome.illustrative() + " marked not compiled, errors:\n" + String.join("\n", outcome.errors()));
    assertTrue(outcome.compiled() >= 3, "found only " + outcome.compiled() + " compiled snippets in " + files);
    assertEquals(blocks.size(), outcome.compiled() + outcome.illustrative());
  }

  /** The checks themselves can fail: a broken snippet, a checked call in a Supplier, a reason-less marker. */
  @Test
  void brokenSnippetsAreReportedWithFileAndLine(@TempDir Path out) {
    List<String> md = List.of(
        "# t",
        "```java",
        "Supplier<Response> send = () -> client.newCall(request).execute();", // throws IOException: must fail
        "```",
        "```java",
        "// not compiled:",
        "whatever",
        "```",
        "```java",
        "// given: HttpClient client;",
        "HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(\"http://127.0.0.1/\")).build(),",
        "    BodyHandlers.ofString());",
        "```",
        "```java",
        "// not compiled: shows a shape only",
        "this is not java",
        "```");
    Outcome outcome = compile(blocks("t.md", md), out);
    assertEquals(2, outcome.compiled());
    assertEquals(2, outcome.illustrative());
    assertEquals(2, outcome.errors().size(), String.join("\n", outcome.errors()));
    assertTrue(outcome.errors().get(0).startsWith("t.md:3:"), outcome.errors().get(0));
    assertTrue(outcome.errors().get(0).toLowerCase(Locale.ROOT).contains("ioexception"), outcome.errors().get(0));
    assertTrue(outcome.errors().get(1).startsWith("t.md:6: '// not compiled:' needs a reason"),
        outcome.errors().get(1));
  }

  static List<Block> blocks(String file, List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (OPEN.matcher(lines.get(i)).matches()) {
        int start = i + 1;
        int end = start;
        while (end < lines.size() && !CLOSE.matcher(lines.get(end)).matches()) {
          end++;
        }
        blocks.add(new Block(file, start + 1, List.copyOf(lines.subList(start, end))));
        i = end;
      }
    }
    return blocks;
  }

  /** A block's source, and how many lines precede its first line in that source. */
  private record Source(JavaFileObject file, Block block, int offset) {}

  static Outcome compile(List<Block> blocks, Path out) {
    List<String> errors = new ArrayList<>();
    List<Source> sources = new ArrayList<>();
    int illustrative = 0;
    for (int n = 0; n < blocks.size(); n++) {
      Block b = blocks.get(n);
      String first = b.lines().stream().filter(l -> !l.isBlank()).findFirst().orElse("");
      Matcher m = NOT_COMPILED.matcher(first);
      if (m.matches()) {
        illustrative++;
        if (m.group(1).isBlank()) {
          errors.add(b.file() + ":" + (b.firstLine() + b.lines().indexOf(first))
              + ": '// not compiled:' needs a reason");
        }
        continue;
      }
      sources.add(source(n, b));
    }
    if (!sources.isEmpty()) {
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      List<String> options = List.of("-proc:none", "-Xlint:none", "-classpath", System.getProperty("java.class.path"),
          "-d", out.toString());
      javac.getTask(null, null, diagnostics, options, null, sources.stream().map(Source::file).toList()).call();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR) {
          continue;
        }
        Source s = sources.stream().filter(x -> x.file() == d.getSource()).findFirst().orElse(null);
        String where = s == null ? "?" : s.block().file() + ":" + (s.block().firstLine() + d.getLineNumber() - 1 - s.offset());
        errors.add(where + ": " + d.getMessage(Locale.ROOT).replace('\n', ' '));
      }
    }
    // errors in block order, then line order, whichever stage found them
    errors.sort((x, y) -> {
      String[] a = x.split(":", 3);
      String[] c = y.split(":", 3);
      int byFile = a[0].compareTo(c[0]);
      return byFile != 0 ? byFile : Integer.compare(lineOf(a), lineOf(c));
    });
    return new Outcome(sources.size(), illustrative, errors);
  }

  private static int lineOf(String[] parts) {
    try {
      return Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static Source source(int n, Block b) {
    String pkg = "snippets.s" + n;
    StringBuilder src = new StringBuilder("package ").append(pkg).append(";");
    for (String imp : IMPORTS) {
      src.append(" import ").append(imp).append(";");
    }
    boolean unit = b.lines().stream().anyMatch(l -> TYPE.matcher(l).find());
    StringBuilder given = new StringBuilder();
    List<String> body = new ArrayList<>();
    boolean leading = true;
    for (String line : b.lines()) {
      Matcher g = GIVEN.matcher(line);
      if (leading && g.matches()) {
        given.append(g.group(1));
        body.add(""); // keep line numbers
        continue;
      }
      leading = leading && line.isBlank();
      body.add(line);
    }
    if (!unit) {
      src.append(" public class Snippet extends ").append(SnippetContext.class.getName()).append(" { ")
          .append(given).append(" void run() throws Exception {");
    }
    src.append("\n");
    int offset = 1;
    for (String line : body) {
      src.append(line).append("\n");
    }
    if (!unit) {
      src.append("}}\n");
    }
    String code = src.toString();
    String name = "Snippet";
    if (unit) {
      Matcher publicType = PUBLIC_TYPE.matcher(code);
      name = publicType.find() ? publicType.group(1) : "Unit";
    }
    JavaFileObject file = new SimpleJavaFileObject(
        URI.create("string:///" + pkg.replace('.', '/') + "/" + name + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
    return new Source(file, b, offset);
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("throttle-core")))) {
      p = p.getParent();
    }
    assertTrue(p != null, "no repository root above " + Path.of("").toAbsolutePath());
    return p;
  }
}
