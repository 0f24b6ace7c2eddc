package dev.throttle.core.limiter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link KeyTable} is a map (key to its one node) whatever the mix of colliding and distinct keys, through
 * treeify, untreeify and resize; a full visit of every bucket passes every node exactly once.
 */
class KeyTableProperties {

  record Op(boolean insert, String key) {}

  /** Keys from a small pool: 64 strings with one hash code (6 blocks "ak"/"c-"), some prefixes, some others. */
  @Provide
  Arbitrary<List<Op>> ops() {
    List<String> pool = new ArrayList<>(KeyedCollisionTest.collidingKeys(64));
    pool.addAll(KeyedCollisionTest.collidingKeys(8).stream().map(s -> s.substring(2)).toList());
    for (int i = 0; i < 40; i++) {
      pool.add("k" + i);
    }
    return Combinators.combine(Arbitraries.integers().between(0, 3).map(i -> i > 0),
        Arbitraries.of(pool)).as(Op::new).list().ofMaxSize(400);
  }

  @Property(tries = 200)
  void behavesLikeAMap(@ForAll("ops") List<Op> ops) {
    KeyTable<String> table = new KeyTable<>();
    Map<String, KeyTable.Node<String>> model = new HashMap<>();
    for (Op op : ops) {
      int hash = KeyTable.hash(op.key());
      if (op.insert()) {
        KeyTable.Node<String> fresh = new KeyTable.Node<>(op.key(), hash);
        KeyTable.Node<String> got = table.putIfAbsent(fresh, n -> { });
        KeyTable.Node<String> expected = model.computeIfAbsent(op.key(), k -> fresh);
        check(got == expected, "putIfAbsent " + op.key());
      } else {
        KeyTable.Node<String> node = model.remove(op.key());
        if (node != null) {
          check(table.remove(node), "remove " + op.key());
          check(!table.remove(node), "removed twice " + op.key());
        }
      }
      for (Map.Entry<String, KeyTable.Node<String>> e : model.entrySet()) {
        check(table.get(e.getKey(), KeyTable.hash(e.getKey())) == e.getValue(), "get " + e.getKey());
      }
    }
    for (String absent : List.of("akakakakakak", "zz", "k99")) {
      check(model.containsKey(absent) || table.get(absent, KeyTable.hash(absent)) == null, "absent " + absent);
    }
    // a visit in small steps (as sweeps do) passes every node exactly once
    Set<KeyTable.Node<String>> seen = new HashSet<>();
    int passed = 0;
    for (int s = 0; s < table.segments(); s++) {
      for (int b = 0; b < table.buckets(s); b++) {
        int[] count = {0};
        for (int from = 0; from >= 0; ) {
          from = table.visit(s, b, from, 3, n -> {
            seen.add(n);
            count[0]++;
          });
        }
        passed += count[0];
      }
    }
    check(passed == model.size() && seen.equals(new HashSet<>(model.values())), "visit " + passed);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}
