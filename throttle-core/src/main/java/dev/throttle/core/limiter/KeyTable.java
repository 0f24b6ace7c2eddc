package dev.throttle.core.limiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The hash table of {@link KeyedGcraLimiter}: a segmented, chained table whose node <em>is</em> the key's GCRA
 * cell (no separate value object: about 40 bytes per key plus the bucket array, against 24 more for a
 * {@code ConcurrentHashMap} entry holding a cell).
 *
 * <p>Reads are lock-free (acquire loads of buckets, volatile {@code next}). Structural changes (insert,
 * unlink, resize) lock one segment. Nodes are never copied, so a node's state survives a resize; resizing
 * relinks nodes in place, so a concurrent lock-free reader may miss a key, in which case the caller's insert
 * path finds it under the lock. Only retired (dead) nodes are unlinked, so a reader standing on an unlinked
 * node sees it dead and looks again.
 *
 * <p>Colliding keys (attacker-chosen keys with one hash code): a chain never grows past
 * {@link #TREEIFY_THRESHOLD} nodes; the bucket then holds a {@link TreeBin}, a persistent (path-copying) AVL tree
 * ordered by hash, then class name, then {@code compareTo} for {@link Comparable} keys of one class, whose root is
 * replaced under the segment lock, so lock-free readers see an immutable tree: O(log n) per lookup, insert and
 * removal. Keys that tie in this order (non-Comparable keys with equal hashes) are searched on both sides, as in
 * {@code ConcurrentHashMap}, so they stay linear; {@code String}, {@code Long}, {@code UUID}... are Comparable.
 * See docs/keyed-limiter-hardening.md.
 */
final class KeyTable<K> {

  /** A key's node and GCRA cell. 40 bytes with compressed oops. */
  static class Node<K> extends GcraCell {
    final K key;
    final int hash;
    volatile Node<K> next;

    Node(K key, int hash) {
      this.key = key;
      this.hash = hash;
    }
  }

  /** A bucket holding a tree instead of a chain (key null; never a cell). */
  static final class TreeBin<K> extends Node<K> {
    volatile TreeNode<K> root;

    TreeBin(TreeNode<K> root) {
      super(null, 0);
      this.root = root;
    }
  }

  /** An immutable AVL node: replaced, never changed, so lock-free readers need no protocol. */
  static final class TreeNode<K> {
    final Node<K> node;
    final TreeNode<K> left;
    final TreeNode<K> right;
    final int height;
    final int size;

    TreeNode(Node<K> node, TreeNode<K> left, TreeNode<K> right) {
      this.node = node;
      this.left = left;
      this.right = right;
      this.height = 1 + Math.max(height(left), height(right));
      this.size = 1 + size(left) + size(right);
    }
  }

  /** Chains hold at most this many nodes; one more turns the bucket into a tree. */
  static final int TREEIFY_THRESHOLD = 8;
  /** A tree that shrinks to this many nodes turns back into a chain. */
  static final int UNTREEIFY_THRESHOLD = 6;

  private static final VarHandle BUCKET = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final int SEGMENT_BITS = 4;
  private static final int SEGMENTS = 1 << SEGMENT_BITS;
  private static final int INITIAL_BUCKETS = 8;

  private static final class Segment<K> {
    volatile Node<K>[] table;
    int count; // guarded by this
    Node<K> found; // guarded by this: the existing node met by insertIfAbsent

    @SuppressWarnings("unchecked")
    Segment() {
      table = (Node<K>[]) new Node<?>[INITIAL_BUCKETS];
    }
  }

  private final Segment<K>[] segments;

  @SuppressWarnings("unchecked")
  KeyTable() {
    segments = (Segment<K>[]) new Segment<?>[SEGMENTS];
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment<>();
    }
  }

  static int hash(Object key) {
    int h = key.hashCode() * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private Segment<K> segmentFor(int hash) {
    return segments[hash >>> (32 - SEGMENT_BITS)];
  }

  /** The monitor that guards every structural change of the key's bucket (and {@link #getLocked}). */
  Object lockFor(int hash) {
    return segmentFor(hash);
  }

  @SuppressWarnings("unchecked")
  private static <K> Node<K> bucket(Node<K>[] table, int index) {
    return (Node<K>) BUCKET.getAcquire(table, index);
  }

  /** Returns the key's node, or null; lock-free (may miss a key during a concurrent resize). */
  Node<K> get(K key, int hash) {
    Node<K>[] table = segmentFor(hash).table;
    Node<K> n = bucket(table, hash & (table.length - 1));
    if (n instanceof TreeBin) {
      return find(((TreeBin<K>) n).root, key, hash);
    }
    for (; n != null; n = n.next) {
      if (n.hash == hash && key.equals(n.key)) {
        return n;
      }
    }
    return null;
  }

  /** Returns the key's node, or null; under the segment lock, so never misses a key. */
  Node<K> getExact(K key, int hash) {
    synchronized (lockFor(hash)) {
      return get(key, hash);
    }
  }

  /** Like {@link #getExact} for a caller that holds {@link #lockFor(int) lockFor(hash)}. */
  Node<K> getLocked(K key, int hash) {
    return get(key, hash);
  }

  /**
   * Returns the key's node, inserting {@code fresh} if the key is absent, after running {@code init} on it
   * under the segment lock (so an initialisation is ordered against {@link #getExact} of the same key).
   *
   * @return {@code fresh} if it was inserted, else the existing node
   */
  Node<K> putIfAbsent(Node<K> fresh, Consumer<? super Node<K>> init) {
    Segment<K> s = segmentFor(fresh.hash);
    synchronized (s) {
      Node<K>[] table = s.table;
      if (s.count + 1 > table.length - (table.length >>> 2)) {
        Node<K> existing = get(fresh.key, fresh.hash);
        if (existing != null) {
          return existing;
        }
        table = resize(s);
      }
      int index = fresh.hash & (table.length - 1);
      Node<K> head = bucket(table, index);
      if (head instanceof TreeBin) {
        TreeBin<K> bin = (TreeBin<K>) head;
        TreeNode<K> root = insertIfAbsent(s, bin.root, fresh); // one descent: finds or inserts
        if (s.found != null) {
          Node<K> existing = s.found;
          s.found = null;
          return existing;
        }
        init.accept(fresh);
        bin.root = root; // volatile write publishes the new tree
      } else {
        int length = 0;
        for (Node<K> n = head; n != null; n = n.next) {
          if (n.hash == fresh.hash && fresh.key.equals(n.key)) {
            return n;
          }
          length++;
        }
        init.accept(fresh);
        if (length + 1 > TREEIFY_THRESHOLD) {
          List<Node<K>> nodes = new ArrayList<>(length + 1);
          for (Node<K> n = head; n != null; n = n.next) {
            nodes.add(n);
          }
          nodes.add(fresh);
          nodes.sort(KeyTable::order);
          BUCKET.setRelease(table, index, new TreeBin<>(build(nodes, 0, nodes.size())));
          for (Node<K> n : nodes) {
            n.next = null; // a reader still on the old chain may miss a key: allowed, see the class comment
          }
        } else {
          fresh.next = head;
          BUCKET.setRelease(table, index, fresh);
        }
      }
      s.count++;
      return fresh;
    }
  }

  /**
   * Doubles the segment's table: chains are relinked in place (they split into chains no longer than before);
   * a tree's nodes, taken in order, split into two ordered runs, each a tree again if long. Caller holds the
   * segment lock.
   */
  @SuppressWarnings("unchecked")
  private static <K> Node<K>[] resize(Segment<K> s) {
    Node<K>[] old = s.table;
    Node<K>[] table = (Node<K>[]) new Node<?>[old.length * 2];
    for (int i = 0; i < old.length; i++) {
      Node<K> n = bucket(old, i);
      if (n instanceof TreeBin) {
        List<Node<K>> lo = new ArrayList<>();
        List<Node<K>> hi = new ArrayList<>();
        forEach(((TreeBin<K>) n).root, x -> ((x.hash & old.length) == 0 ? lo : hi).add(x));
        table[i] = binOf(lo);
        table[i + old.length] = binOf(hi);
        continue;
      }
      while (n != null) {
        Node<K> next = n.next;
        int index = n.hash & (table.length - 1);
        n.next = table[index];
        table[index] = n;
        n = next;
      }
    }
    s.table = table; // volatile write publishes the relinked table
    return table;
  }

  /** A bucket's content for ordered nodes: a chain up to the untreeify threshold, else a tree. */
  private static <K> Node<K> binOf(List<Node<K>> ordered) {
    if (ordered.size() > UNTREEIFY_THRESHOLD) {
      return new TreeBin<>(build(ordered, 0, ordered.size()));
    }
    Node<K> head = null;
    for (int i = ordered.size() - 1; i >= 0; i--) {
      Node<K> n = ordered.get(i);
      n.next = head;
      head = n;
    }
    return head;
  }

  /** Unlinks {@code node} if it is still in the table; returns whether this call removed it. */
  boolean remove(Node<K> node) {
    Segment<K> s = segmentFor(node.hash);
    synchronized (s) {
      Node<K>[] table = s.table;
      int index = node.hash & (table.length - 1);
      Node<K> head = bucket(table, index);
      if (head instanceof TreeBin) {
        TreeBin<K> bin = (TreeBin<K>) head;
        TreeNode<K> root = bin.root;
        TreeNode<K> after = remove(root, node);
        if (after == root) {
          return false;
        }
        if (size(after) <= UNTREEIFY_THRESHOLD) {
          List<Node<K>> rest = new ArrayList<>(UNTREEIFY_THRESHOLD);
          forEach(after, rest::add);
          BUCKET.setRelease(table, index, binOf(rest));
        } else {
          bin.root = after;
        }
        s.count--;
        return true;
      }
      Node<K> prev = null;
      for (Node<K> n = head; n != null; prev = n, n = n.next) {
        if (n == node) {
          if (prev == null) {
            BUCKET.setRelease(table, index, n.next);
          } else {
            prev.next = n.next;
          }
          s.count--;
          return true;
        }
      }
      return false;
    }
  }

  /** Number of segments. */
  int segments() {
    return SEGMENTS;
  }

  /** Current bucket count of segment {@code segment}. */
  int buckets(int segment) {
    return segments[segment].table.length;
  }

  /**
   * Passes the nodes of one bucket, from the {@code from}-th (in tree order) on, to {@code visitor}, at most
   * {@code limit} of them (a chain is always passed whole: it has at most {@link #TREEIFY_THRESHOLD} nodes).
   * Lock-free; the visitor may remove nodes.
   *
   * @return the position to resume this bucket at, or -1 if the bucket is done
   */
  int visit(int segment, int bucket, int from, int limit, Consumer<Node<K>> visitor) {
    Node<K>[] table = segments[segment].table;
    if (bucket >= table.length) {
      return -1;
    }
    Node<K> n = bucket(table, bucket);
    if (n instanceof TreeBin) {
      int passed = visitRange(((TreeBin<K>) n).root, from, limit, visitor);
      return passed < limit ? -1 : from + passed;
    }
    for (; n != null; n = n.next) {
      visitor.accept(n);
    }
    return -1;
  }

  /** Nodes examined by a lookup of {@code key} (for tests: O(log n) per bucket whatever the hash codes). */
  int probes(K key, int hash) {
    Node<K>[] table = segmentFor(hash).table;
    Node<K> n = bucket(table, hash & (table.length - 1));
    if (n instanceof TreeBin) {
      return probes(((TreeBin<K>) n).root, key, hash);
    }
    int count = 0;
    for (; n != null; n = n.next) {
      count++;
      if (n.hash == hash && key.equals(n.key)) {
        break;
      }
    }
    return count;
  }

  // ---------------------------------------------------------------- persistent AVL tree of one bucket

  /**
   * Orders keys by hash, then class name, then {@code compareTo} for Comparable keys of one class; 0 (a tie) for
   * anything else. Ties are contiguous runs, which lookups search on both sides.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(int h1, Object k1, int h2, Object k2) {
    if (h1 != h2) {
      return h1 < h2 ? -1 : 1;
    }
    if (k1 instanceof String && k2 instanceof String) {
      return ((String) k1).compareTo((String) k2);
    }
    Class<?> c1 = k1.getClass();
    Class<?> c2 = k2.getClass();
    if (c1 != c2) {
      return c1.getName().compareTo(c2.getName());
    }
    if (k1 instanceof Comparable) {
      try {
        return ((Comparable) k1).compareTo(k2);
      } catch (ClassCastException e) {
        return 0; // Comparable to some other type only
      }
    }
    return 0;
  }

  private static int order(Node<?> a, Node<?> b) {
    return compare(a.hash, a.key, b.hash, b.key);
  }

  private static int height(TreeNode<?> t) {
    return t == null ? 0 : t.height;
  }

  private static int size(TreeNode<?> t) {
    return t == null ? 0 : t.size;
  }

  /** The node of {@code key} in the tree; one {@code compareTo} per level ({@code equals} only on a tie). */
  private static <K> Node<K> find(TreeNode<K> t, K key, int hash) {
    while (t != null) {
      Node<K> n = t.node;
      int c = compare(hash, key, n.hash, n.key);
      if (c < 0) {
        t = t.left;
      } else if (c > 0) {
        t = t.right;
      } else if (key.equals(n.key)) {
        return n;
      } else {
        Node<K> found = find(t.right, key, hash);
        if (found != null) {
          return found;
        }
        t = t.left;
      }
    }
    return null;
  }

  private static <K> int probes(TreeNode<K> t, K key, int hash) {
    if (t == null) {
      return 0;
    }
    Node<K> n = t.node;
    int c = compare(hash, key, n.hash, n.key);
    if (c < 0) {
      return 1 + probes(t.left, key, hash);
    } else if (c > 0) {
      return 1 + probes(t.right, key, hash);
    } else if (key.equals(n.key)) {
      return 1;
    }
    return 1 + probes(t.right, key, hash) + probes(t.left, key, hash);
  }

  /** A balanced tree of {@code ordered[from, to)}. */
  private static <K> TreeNode<K> build(List<Node<K>> ordered, int from, int to) {
    if (from >= to) {
      return null;
    }
    int mid = (from + to) >>> 1;
    return new TreeNode<>(ordered.get(mid), build(ordered, from, mid), build(ordered, mid + 1, to));
  }

  private static <K> TreeNode<K> insert(TreeNode<K> t, Node<K> n) {
    if (t == null) {
      return new TreeNode<>(n, null, null);
    }
    if (order(n, t.node) < 0) {
      return balance(t.node, insert(t.left, n), t.right);
    }
    return balance(t.node, t.left, insert(t.right, n)); // ties go right
  }

  /**
   * The tree with {@code n} added, or {@code t} itself with {@code s.found} set if its key is present. Caller
   * holds the segment lock.
   */
  private static <K> TreeNode<K> insertIfAbsent(Segment<K> s, TreeNode<K> t, Node<K> n) {
    if (t == null) {
      return new TreeNode<>(n, null, null);
    }
    int c = order(n, t.node);
    if (c == 0) {
      // ancestors compared unequal, so an equal key can only be in this subtree (a tie run is searched whole)
      Node<K> existing = n.key.equals(t.node.key) ? t.node : find(t, n.key, n.hash);
      if (existing != null) {
        s.found = existing;
        return t;
      }
      return balance(t.node, t.left, insert(t.right, n));
    }
    if (c < 0) {
      TreeNode<K> left = insertIfAbsent(s, t.left, n);
      return left == t.left ? t : balance(t.node, left, t.right);
    }
    TreeNode<K> right = insertIfAbsent(s, t.right, n);
    return right == t.right ? t : balance(t.node, t.left, right);
  }

  /** The tree without {@code n} (identity), or {@code t} itself if {@code n} is not in it. */
  private static <K> TreeNode<K> remove(TreeNode<K> t, Node<K> n) {
    if (t == null) {
      return null;
    }
    if (t.node == n) {
      if (t.left == null) {
        return t.right;
      }
      if (t.right == null) {
        return t.left;
      }
      TreeNode<K> min = t.right;
      while (min.left != null) {
        min = min.left;
      }
      return balance(min.node, t.left, removeMin(t.right));
    }
    int c = order(n, t.node);
    if (c <= 0) {
      TreeNode<K> left = remove(t.left, n);
      if (left != t.left) {
        return balance(t.node, left, t.right);
      }
      if (c < 0) {
        return t;
      }
    }
    TreeNode<K> right = remove(t.right, n);
    return right == t.right ? t : balance(t.node, t.left, right);
  }

  private static <K> TreeNode<K> removeMin(TreeNode<K> t) {
    return t.left == null ? t.right : balance(t.node, removeMin(t.left), t.right);
  }

  /** A node over {@code l} and {@code r} whose heights differ by at most 2, rebalanced by one or two rotations. */
  private static <K> TreeNode<K> balance(Node<K> n, TreeNode<K> l, TreeNode<K> r) {
    int hl = height(l);
    int hr = height(r);
    if (hl > hr + 1) {
      if (height(l.left) >= height(l.right)) {
        return new TreeNode<>(l.node, l.left, new TreeNode<>(n, l.right, r));
      }
      return new TreeNode<>(l.right.node, new TreeNode<>(l.node, l.left, l.right.left),
          new TreeNode<>(n, l.right.right, r));
    }
    if (hr > hl + 1) {
      if (height(r.right) >= height(r.left)) {
        return new TreeNode<>(r.node, new TreeNode<>(n, l, r.left), r.right);
      }
      return new TreeNode<>(r.left.node, new TreeNode<>(n, l, r.left.left),
          new TreeNode<>(r.node, r.left.right, r.right));
    }
    return new TreeNode<>(n, l, r);
  }

  private static <K> void forEach(TreeNode<K> t, Consumer<Node<K>> action) {
    if (t != null) {
      forEach(t.left, action);
      action.accept(t.node);
      forEach(t.right, action);
    }
  }

  /** Passes the nodes of in-order rank {@code >= from}, at most {@code limit}; returns how many. */
  private static <K> int visitRange(TreeNode<K> t, int from, int limit, Consumer<Node<K>> visitor) {
    if (t == null || limit <= 0) {
      return 0;
    }
    int leftSize = size(t.left);
    int count = 0;
    if (from < leftSize) {
      count += visitRange(t.left, from, limit, visitor);
    }
    if (count < limit && from <= leftSize) {
      visitor.accept(t.node);
      count++;
    }
    if (count < limit) {
      count += visitRange(t.right, Math.max(0, from - leftSize - 1), limit - count, visitor);
    }
    return count;
  }
}
