package dev.throttle.core.limiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 */
final class KeyTable<K> {

  /** A key's node and GCRA cell. 40 bytes with compressed oops. */
  static final class Node<K> extends GcraCell {
    final K key;
    final int hash;
    volatile Node<K> next;

    Node(K key, int hash) {
      this.key = key;
      this.hash = hash;
    }
  }

  private static final VarHandle BUCKET = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final int SEGMENT_BITS = 4;
  private static final int SEGMENTS = 1 << SEGMENT_BITS;
  private static final int INITIAL_BUCKETS = 8;

  private static final class Segment<K> {
    volatile Node<K>[] table;
    int count; // guarded by this

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

  @SuppressWarnings("unchecked")
  private static <K> Node<K> bucket(Node<K>[] table, int index) {
    return (Node<K>) BUCKET.getAcquire(table, index);
  }

  /** Returns the key's node, or null; lock-free (may miss a key during a concurrent resize). */
  Node<K> get(K key, int hash) {
    Node<K>[] table = segmentFor(hash).table;
    for (Node<K> n = bucket(table, hash & (table.length - 1)); n != null; n = n.next) {
      if (n.hash == hash && key.equals(n.key)) {
        return n;
      }
    }
    return null;
  }

  /** Returns the key's node, or null; under the segment lock, so never misses a key. */
  Node<K> getExact(K key, int hash) {
    Segment<K> s = segmentFor(hash);
    synchronized (s) {
      return get(key, hash);
    }
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
      int index = fresh.hash & (table.length - 1);
      for (Node<K> n = bucket(table, index); n != null; n = n.next) {
        if (n.hash == fresh.hash && fresh.key.equals(n.key)) {
          return n;
        }
      }
      if (s.count + 1 > table.length - (table.length >>> 2)) {
        table = resize(s);
        index = fresh.hash & (table.length - 1);
      }
      init.accept(fresh);
      fresh.next = bucket(table, index);
      BUCKET.setRelease(table, index, fresh);
      s.count++;
      return fresh;
    }
  }

  /** Doubles the segment's table, relinking nodes in place. Caller holds the segment lock. */
  @SuppressWarnings("unchecked")
  private static <K> Node<K>[] resize(Segment<K> s) {
    Node<K>[] old = s.table;
    Node<K>[] table = (Node<K>[]) new Node<?>[old.length * 2];
    for (int i = 0; i < old.length; i++) {
      Node<K> n = bucket(old, i);
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

  /** Unlinks {@code node} if it is still in the table; returns whether this call removed it. */
  boolean remove(Node<K> node) {
    Segment<K> s = segmentFor(node.hash);
    synchronized (s) {
      Node<K>[] table = s.table;
      int index = node.hash & (table.length - 1);
      Node<K> prev = null;
      for (Node<K> n = bucket(table, index); n != null; prev = n, n = n.next) {
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

  /** Head of one bucket (lock-free read), or null; follow {@link Node#next} for the chain. */
  Node<K> head(int segment, int bucket) {
    Node<K>[] table = segments[segment].table;
    return bucket < table.length ? bucket(table, bucket) : null;
  }
}
