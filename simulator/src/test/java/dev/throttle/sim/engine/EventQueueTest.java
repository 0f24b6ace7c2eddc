package dev.throttle.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  @Test
  void simultaneousEventsComeOutInInsertionOrder() {
    EventQueue q = new EventQueue(2);
    q.add(5, 1);
    q.add(3, 2);
    q.add(5, 3);
    q.add(3, 4);
    q.add(5, 5);
    q.add(1, 6);
    int[] expected = {6, 2, 4, 1, 3, 5};
    for (int e : expected) {
      assertEquals(e, q.peekPayload());
      q.poll();
    }
    assertTrue(q.isEmpty());
  }

  @Test
  void pollOnEmptyQueueThrows() {
    assertThrows(IllegalStateException.class, () -> new EventQueue(1).poll());
  }

  @Test
  void payloadOutOfRangeIsRejected() {
    EventQueue q = new EventQueue(1);
    assertThrows(IllegalArgumentException.class, () -> q.add(0, -1));
    assertThrows(IllegalArgumentException.class, () -> q.add(0, EventQueue.MAX_PAYLOAD + 1));
  }

  /** The heap behaves exactly like a sorted set ordered by (time, insertion number), polls interleaved. */
  @Property(tries = 100)
  void matchesAReferenceModel(@ForAll @Size(max = 300) List<@LongRange(min = 0, max = 20) Long> times,
      @ForAll @LongRange(min = 0, max = 5) long pollEvery) {
    EventQueue q = new EventQueue(1);
    TreeSet<long[]> model = new TreeSet<>(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
    List<Long> got = new ArrayList<>();
    List<Long> want = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      q.add(times.get(i), i);
      model.add(new long[] {times.get(i), i});
      if (pollEvery > 0 && i % pollEvery == 0) {
        got.add(q.peekTime() * 1000 + q.peekPayload());
        q.poll();
        long[] first = model.pollFirst();
        want.add(first[0] * 1000 + first[1]);
      }
    }
    while (!q.isEmpty()) {
      got.add(q.peekTime() * 1000 + q.peekPayload());
      q.poll();
      long[] first = model.pollFirst();
      want.add(first[0] * 1000 + first[1]);
    }
    assertEquals(want, got);
    assertTrue(model.isEmpty());
  }
}
