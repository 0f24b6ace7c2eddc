package dev.throttle.sim.engine;

import java.util.Arrays;

/**
 * A priority queue of events for the discrete-event engine, as a binary min-heap in one {@code long[]} (no object
 * per event). An event is a virtual time in nanoseconds plus a payload of up to 24 bits; events with the same
 * time come out in the order they were added (each gets a 40-bit sequence number stored above the payload), so
 * runs are deterministic. Each entry is two adjacent longs, {@code time} and {@code seq << 24 | payload}, so a
 * comparison touches one cache line.
 *
 * <p>Not thread-safe: one simulation runs on one thread.
 */
public final class EventQueue {

  /** Largest payload: 24 bits. */
  public static final int MAX_PAYLOAD = (1 << 24) - 1;

  private static final int PAYLOAD_BITS = 24;
  private static final long PAYLOAD_MASK = MAX_PAYLOAD;

  private long[] heap;
  private int size;
  private long nextSeq;

  /**
   * Creates an empty queue with room for {@code initialCapacity} events before growing.
   * @param initialCapacity events held before the arrays grow
   */
  public EventQueue(int initialCapacity) {
    heap = new long[2 * Math.max(4, initialCapacity)];
  }

  /**
   * Returns the number of queued events.
   * @return the number of queued events
   */
  public int size() {
    return size;
  }

  /**
   * Returns true if no event is queued.
   * @return {@code true} if no event is queued
   */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * Adds an event at {@code timeNanos}; it comes out after every queued event with the same time.
   *
   * @param timeNanos the event's virtual time in nanoseconds
   * @param payload the event (e.g. a client index)
   * @throws IllegalArgumentException if {@code payload} is outside {@code [0, MAX_PAYLOAD]}
   */
  public void add(long timeNanos, int payload) {
    if (payload < 0 || payload > MAX_PAYLOAD) {
      throw new IllegalArgumentException("payload must be in [0, 2^24), was " + payload);
    }
    if (2 * size == heap.length) {
      heap = Arrays.copyOf(heap, heap.length * 2);
    }
    long key = nextSeq++ << PAYLOAD_BITS | payload;
    long[] h = heap;
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long pt = h[2 * parent];
      if (pt < timeNanos || (pt == timeNanos && h[2 * parent + 1] < key)) {
        break;
      }
      h[2 * i] = pt;
      h[2 * i + 1] = h[2 * parent + 1];
      i = parent;
    }
    h[2 * i] = timeNanos;
    h[2 * i + 1] = key;
  }

  /**
   * Returns the time of the earliest event. Undefined when empty.
   * @return the time of the earliest event
   */
  public long peekTime() {
    return heap[0];
  }

  /**
   * Returns the payload of the earliest event. Undefined when empty.
   * @return the payload of the earliest event
   */
  public int peekPayload() {
    return (int) (heap[1] & PAYLOAD_MASK);
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
    long[] h = heap;
    long t = h[2 * last];
    long k = h[2 * last + 1];
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      long ct = h[2 * child];
      long ck = h[2 * child + 1];
      int right = child + 1;
      if (right < last) {
        long rt = h[2 * right];
        long rk = h[2 * right + 1];
        if (rt < ct || (rt == ct && rk < ck)) {
          child = right;
          ct = rt;
          ck = rk;
        }
      }
      if (t < ct || (t == ct && k < ck)) {
        break;
      }
      h[2 * i] = ct;
      h[2 * i + 1] = ck;
      i = child;
    }
    h[2 * i] = t;
    h[2 * i + 1] = k;
  }

  /** Removes every event; sequence numbers keep increasing. */
  public void clear() {
    size = 0;
  }
}
