package dev.throttle.sim.engine;

import java.util.Arrays;

/**
 * A priority queue of events for the discrete-event engine, as a binary min-heap over parallel primitive arrays
 * (no object per event). An event is a virtual time in nanoseconds plus an {@code int} payload; events with the
 * same time come out in the order they were added (each gets a sequence number), so runs are deterministic.
 *
 * <p>Not thread-safe: one simulation runs on one thread.
 */
public final class EventQueue {

  private long[] times;
  private long[] seqs;
  private int[] payloads;
  private int size;
  private long nextSeq;

  /** Creates an empty queue with room for {@code initialCapacity} events before growing. */
  public EventQueue(int initialCapacity) {
    int cap = Math.max(4, initialCapacity);
    times = new long[cap];
    seqs = new long[cap];
    payloads = new int[cap];
  }

  /** Returns the number of queued events. */
  public int size() {
    return size;
  }

  /** Returns true if no event is queued. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Adds an event at {@code timeNanos}; later than every queued event with the same time. */
  public void add(long timeNanos, int payload) {
    if (size == times.length) {
      int cap = size * 2;
      times = Arrays.copyOf(times, cap);
      seqs = Arrays.copyOf(seqs, cap);
      payloads = Arrays.copyOf(payloads, cap);
    }
    long seq = nextSeq++;
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(timeNanos, seq, times[parent], seqs[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    times[i] = timeNanos;
    seqs[i] = seq;
    payloads[i] = payload;
  }

  /** Returns the time of the earliest event. Undefined when empty. */
  public long peekTime() {
    return times[0];
  }

  /** Returns the payload of the earliest event. Undefined when empty. */
  public int peekPayload() {
    return payloads[0];
  }

  /**
   * Removes the earliest event (read it first with {@link #peekTime()} and {@link #peekPayload()}).
   *
   * @throws IllegalStateException if the queue is empty
   */
  public void poll() {
    if (size == 0) {
      throw new IllegalStateException("event queue is empty");
    }
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = times[last];
    long s = seqs[last];
    int p = payloads[last];
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < last && less(times[right], seqs[right], times[child], seqs[child])) {
        child = right;
      }
      if (!less(times[child], seqs[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    payloads[i] = p;
  }

  /** Removes every event; sequence numbers keep increasing. */
  public void clear() {
    size = 0;
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void move(int from, int to) {
    times[to] = times[from];
    seqs[to] = seqs[from];
    payloads[to] = payloads[from];
  }
}
