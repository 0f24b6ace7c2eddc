package dev.throttle.core.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The allocation-free paths agree with the full parser: {@link RateLimitHeaderParser#readDraftFast} (falling back to
 * {@link RateLimitHeaderParser#readDraftFull} when it gives up) reads the same figures from generated valid,
 * unusual and malformed draft fields as the full RFC 9651 parser alone; {@link RateLimitHeaderParser#parseIndexed}
 * returns what {@link RateLimitHeaderParser#parse(Map, long)} returns on the same field lines.
 */
class DraftFastPathProperties {

  static final long NOW = 1_764_000_000_000L;
  static final Clock WALL = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  // ---- generators: draft fields built from members that are mostly valid, with unusual and broken pieces ----

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> usual = Arbitraries.of("\"api\"", "\"default\"", "\"\"", "\"a b\"", "api", "default",
        "*x", "A1:/b", "\"api", "\"a\\\"b\"", "\"x\\\\\"", "\"\u00e9\"", "\"a\\b\"",
        "\"\\\\\"");
    Arbitrary<String> other = Arbitraries.oneOf(integers(), Arbitraries.of("1.5", "-", "(\"a\" \"b\")", "?1",
        ":aGk=:", "@1", "%\"a\"", "", "\t\"api\""));
    return Arbitraries.frequencyOf(Tuple.of(6, usual), Tuple.of(3, other));
  }

  @Provide
  Arbitrary<String> integers() {
    return Arbitraries.oneOf(Arbitraries.longs().between(0, 100).map(String::valueOf),
        Arbitraries.longs().between(-5, 5).map(String::valueOf),
        Arbitraries.longs().between(0, 999_999_999_999_999L).map(String::valueOf),
        Arbitraries.of("-0", "007", "1000000000000000", "9999999999999999", "1.", "1.0", "-a", "12a"));
  }

  @Provide
  Arbitrary<String> parameters() {
    Arbitrary<String> key = Arbitraries.of("r", "t", "q", "w", "r", "t", "q", "w", "pk", "x", "*k", "a-b.c_d",
        "R", "1", "", "rr");
    Arbitrary<String> value = Arbitraries.oneOf(integers().map(i -> "=" + i), integers().map(i -> "=" + i),
        Arbitraries.of("", "=\"s\"", "=tok", "=?0", "=?1", "=:cGs=:", "=1.25", "=", "=@5", "=%\"x\""));
    Arbitrary<String> one = Combinators.combine(Arbitraries.of(";", ";", "; ", ";\t", ""), key, value)
        .as((semi, k, v) -> semi + k + v);
    return one.list().ofMaxSize(4).map(ps -> String.join("", ps));
  }

  /** Well-formed members: a valid name (or Integer), the wanted parameters with valid values, maybe extras. */
  Arbitrary<String> cleanMembers(String k1, String k2, Arbitrary<String> v2) {
    Arbitrary<String> name = Arbitraries.of("\"api\"", "\"default\"", "\"b\"", "api", "b", "\"\"", "10", "0",
        "\"a\\\"b\"", "\"a\\b\"", "\"\u00e9\"");
    Arbitrary<String> count = Arbitraries.oneOf(Arbitraries.longs().between(0, 20),
        Arbitraries.longs().between(0, 999_999_999_999_999L)).map(String::valueOf);
    Arbitrary<String> extras = Arbitraries.of("", "", "", ";pk", ";x=1", "; z=-3", ";" + k1 + "=4");
    return Combinators.combine(name, count, Arbitraries.oneOf(Arbitraries.just(""), v2.map(v -> ";" + k2 + "=" + v)),
        extras, Arbitraries.of(true, false))
        .as((n, c, second, extra, firstFirst) -> n + (firstFirst ? ";" + k1 + "=" + c + second : second + ";"
            + k1 + "=" + c) + extra);
  }

  /** Any members, mostly with unusual or broken names and parameters. */
  @Provide
  Arbitrary<String> messyMembers() {
    return Combinators.combine(names(), parameters()).as((n, p) -> n + p);
  }

  Arbitrary<String> lists(Arbitrary<String> members, Arbitrary<String> separator, Arbitrary<String> lead,
      Arbitrary<String> trail) {
    return Combinators.combine(members.list().ofMinSize(1).ofMaxSize(3), separator.list().ofSize(3), lead, trail)
        .as((ms, seps, l, t) -> {
          StringBuilder sb = new StringBuilder(l);
          for (int i = 0; i < ms.size(); i++) {
            if (i > 0) sb.append(seps.get(i - 1));
            sb.append(ms.get(i));
          }
          return sb.append(t).toString();
        });
  }

  /** A draft field: well-formed (its members valid or not), messy, draft-07, or mutated by a character. */
  Arbitrary<String> draftFields(Arbitrary<String> cleanMembers) {
    Arbitrary<String> clean = lists(cleanMembers, Arbitraries.of(", ", ",", " , ", "\t,\t", ",  "),
        Arbitraries.of("", "", " "), Arbitraries.of("", "", " ", "\t"));
    Arbitrary<String> messy = lists(Arbitraries.oneOf(cleanMembers, messyMembers()),
        Arbitraries.of(", ", ",", ",,", " ", ";", "\t,"), Arbitraries.of("", " ", "\t"),
        Arbitraries.of("", " ", ","));
    Arbitrary<String> draft07 = Arbitraries.of("limit=100, remaining=50, reset=5", "remaining=0", "limit=-1",
        "reset=5;x", "limit=10, limit=20");
    Arbitrary<String> mutated = Combinators.combine(clean, Arbitraries.integers().between(0, 60),
        Arbitraries.chars().with("\";=,:-.?*()@%/ \t\\a0\u007fX"))
        .as((f, at, c) -> {
          int i = Math.min(at, f.length());
          return at % 2 == 0 ? f.substring(0, i) + c + f.substring(i)
              : f.substring(0, Math.min(i, f.length() - 1)) + f.substring(Math.min(i, f.length() - 1) + 1);
        });
    return Arbitraries.frequencyOf(Tuple.of(6, clean), Tuple.of(3, messy), Tuple.of(1, draft07),
        Tuple.of(3, mutated));
  }

  @Provide
  Arbitrary<String> rateLimitFields() {
    return draftFields(cleanMembers("r", "t", Arbitraries.longs().between(0, 100_000).map(String::valueOf)));
  }

  @Provide
  Arbitrary<String> policyFields() {
    return draftFields(cleanMembers("q", "w", Arbitraries.oneOf(Arbitraries.longs().between(1, 3600),
        Arbitraries.longs().between(1, 999_999_999_999_999L)).map(String::valueOf)));
  }

  @Provide
  Arbitrary<String> optionalRateLimitFields() {
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(null)), Tuple.of(5, rateLimitFields()));
  }

  @Provide
  Arbitrary<String> optionalPolicyFields() {
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(null)), Tuple.of(5, policyFields()));
  }

  // ---- the draft fast path against the full parser ----

  @Property(tries = 3000)
  void fastPathAgreesWithTheFullParser(@ForAll("optionalRateLimitFields") String rateLimit,
      @ForAll("optionalPolicyFields") String policy) {
    RateLimitHeaderParser.Figures fast = new RateLimitHeaderParser.Figures();
    boolean handled = RateLimitHeaderParser.readDraftFast(rateLimit, policy, fast);
    if (!handled) {
      assertEquals(figures(new RateLimitHeaderParser.Figures()), figures(fast), "gave up without changing a figure");
      RateLimitHeaderParser.readDraftFull(rateLimit, policy, fast);
    }
    RateLimitHeaderParser.Figures full = new RateLimitHeaderParser.Figures();
    RateLimitHeaderParser.readDraftFull(rateLimit, policy, full);
    assertEquals(figures(full), figures(fast), () -> "RateLimit: [" + rateLimit + "] RateLimit-Policy: ["
        + policy + "] fast path " + (handled ? "handled it" : "gave up"));
    Statistics.label("fast path").collect(handled ? "handled" : "gave up");
    Statistics.label("figures read").collect(handled ? "fast" : "full", fast.remaining + fast.limit > -2);
    Statistics.label("fast path").coverage(c -> c.check("handled").percentage(p -> p > 20));
    Statistics.label("figures read").coverage(c -> c.check("fast", true).percentage(p -> p > 15));
  }

  @Example
  void commonShapesTakeTheFastPath() {
    String[][] cases = {
        {"\"api\";r=999999;t=1", "\"api\";q=1000000;w=3600"},
        {"\"default\";r=50;t=30", null},
        {null, "\"default\";q=100;w=60"},
        {"api;r=0", "api;q=10;w=1, \"burst\";q=1000;w=3600"},
        {"\"a\";r=5;t=1, \"b\";r=3", "\"a\";q=10;w=1, \"b\";q=5;w=2"},
        {" \"api\";r=1;t=2 ", "100;w=60"},
    };
    for (String[] c : cases) {
      RateLimitHeaderParser.Figures f = new RateLimitHeaderParser.Figures();
      assertTrue(RateLimitHeaderParser.readDraftFast(c[0], c[1], f), () -> List.of(c).toString());
    }
    RateLimitHeaderParser.Figures f = new RateLimitHeaderParser.Figures();
    assertTrue(RateLimitHeaderParser.readDraftFast("\"a\";r=5;t=1, \"b\";r=3", "\"a\";q=10;w=1, \"b\";q=5;w=2", f));
    assertEquals(List.of(3L, 5L, -1L, 2_000_000_000L), figures(f)); // service b, its policy
    // ties: equal r, the largest t; equal r and t, the first; its policy by name, wherever it is listed
    String[][] ties = {
        {"\"a\";r=1, \"b\";r=1", "\"b\";q=20;w=1, \"a\";q=10;w=1"},
        {"\"a\";r=1;t=5, b;r=1;t=9, \"c\";r=1;t=9", "\"a\";q=10, c;q=30, \"b\";q=20"},
        {"a;r=2;t=1, \"b\";r=2", "\"b\";q=20, a;q=10;w=4"},
    };
    for (String[] c : ties) {
      RateLimitHeaderParser.Figures fast = new RateLimitHeaderParser.Figures();
      assertTrue(RateLimitHeaderParser.readDraftFast(c[0], c[1], fast), () -> List.of(c).toString());
      RateLimitHeaderParser.Figures full = new RateLimitHeaderParser.Figures();
      RateLimitHeaderParser.readDraftFull(c[0], c[1], full);
      assertEquals(figures(full), figures(fast), () -> List.of(c).toString());
    }
    RateLimitHeaderParser.Figures tie = new RateLimitHeaderParser.Figures();
    RateLimitHeaderParser.readDraftFast(ties[1][0], ties[1][1], tie);
    assertEquals(List.of(1L, 20L, 9_000_000_000L, -1L), figures(tie)); // b: t=9 beats 5, and comes before c
  }

  @Example
  void unusualShapesGiveUp() {
    String[] rateLimits = {"\"a\\\"b\";r=1", "\"api\";r=1;pk=:cGs=:", "(\"a\");r=1", "\"api\";r=1.5",
        "limit=100, remaining=50", "\"api\";r=-1", "\"api\";t=1", "\"api\";r", "\"api\";r=1,", "5;r=1"};
    for (String rl : rateLimits) {
      RateLimitHeaderParser.Figures f = new RateLimitHeaderParser.Figures();
      assertFalse(RateLimitHeaderParser.readDraftFast(rl, null, f), rl);
      assertEquals(figures(new RateLimitHeaderParser.Figures()), figures(f));
    }
  }

  static List<Long> figures(RateLimitHeaderParser.Figures f) {
    return List.of(f.remaining, f.limit, f.reset, f.window);
  }

  // ---- parseIndexed against parse(Map) ----

  static final List<String> FIELD_NAMES = List.of("Retry-After", "Age", "RateLimit", "RateLimit-Policy",
      "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining",
      "X-RateLimit-Reset", "Content-Type", "Date", "X-Other");

  /** Field lines as a client library keeps them: [name, value] in order, names in any case, some repeated. */
  @Provide
  Arbitrary<List<String[]>> fieldLines() {
    Arbitrary<String> simple = Arbitraries.oneOf(integers(), Arbitraries.of("", " ", " 5 ", "\t7", "1.5", "2.",
        "0", "1764000060", "Sun, 06 Nov 1994 08:49:37 GMT", "Wed, 26 Nov 2025 16:00:30 GMT", "abc", "1, 2",
        "10;w=1", "100, 50;w=60"));
    Arbitrary<String[]> line = Combinators.combine(Arbitraries.of(FIELD_NAMES), Arbitraries.of(0, 1, 2),
        Arbitraries.oneOf(simple, rateLimitFields(), policyFields())).as((name, casing, value) -> new String[] {
            casing == 0 ? name : casing == 1 ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT),
            value});
    return line.list().ofMaxSize(8);
  }

  private static final RateLimitHeaderParser.IndexedFields<List<String[]>> LINES =
      new RateLimitHeaderParser.IndexedFields<>() {
        @Override
        public int size(List<String[]> fields) {
          return fields.size();
        }

        @Override
        public String name(List<String[]> fields, int index) {
          return fields.get(index)[0];
        }

        @Override
        public String value(List<String[]> fields, int index) {
          return fields.get(index)[1];
        }
      };

  @Property(tries = 3000)
  void parseIndexedAgreesWithParseOfAMap(@ForAll("fieldLines") List<String[]> lines) {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String[] l : lines) {
      map.computeIfAbsent(l[0], k -> new ArrayList<>()).add(l[1]);
    }
    RateLimitHeaders indexed = RateLimitHeaderParser.parseIndexed(lines, LINES, WALL);
    assertEquals(RateLimitHeaderParser.parse(map, NOW), indexed, () -> render(lines));
    if (indexed.equals(RateLimitHeaders.EMPTY)) {
      assertSame(RateLimitHeaders.EMPTY, indexed);
    }
    Statistics.label("anything read").collect(!indexed.equals(RateLimitHeaders.EMPTY));
  }

  @Example
  void aFieldFarDownTheResponseIsStillRead() {
    List<String[]> lines = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      lines.add(new String[] {"X-Filler-" + i, "v"});
    }
    lines.add(new String[] {"retry-after", "5"});
    assertEquals(RateLimitHeaders.builder().retryAfterNanos(5_000_000_000L).build(),
        RateLimitHeaderParser.parseIndexed(lines, LINES, WALL));
  }

  private static String render(List<String[]> lines) {
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) sb.append(l[0]).append(": [").append(l[1]).append("]\n");
    return sb.toString();
  }
}
