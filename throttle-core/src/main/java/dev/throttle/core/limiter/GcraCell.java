package dev.throttle.core.limiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The mutable state of one GCRA limiter (or of one key of a keyed limiter): the theoretical arrival time
 * (TAT) of each quota, in the quota's internal time unit, relative to the limiter's origin.
 *
 * <p>One quota: the single {@code long} {@link #tat}, updated by CAS. Several quotas: {@link #tats}, an
 * immutable array replaced by CAS on the reference (a new array only when a request is admitted). A keyed
 * limiter retires a cell by CAS-ing it to {@link Gcra#DEAD} / {@link Gcra#DEAD_TATS}; a thread that meets a
 * dead cell looks the key up again. 24 bytes with compressed oops; {@link KeyTable.Node} extends it so that a
 * keyed limiter's table node is the cell itself.
 */
class GcraCell {

  static final VarHandle TAT;
  static final VarHandle TATS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAT = lookup.findVarHandle(GcraCell.class, "tat", long.class);
      TATS = lookup.findVarHandle(GcraCell.class, "tats", long[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  volatile long tat;
  volatile long[] tats;

  boolean casTat(long expected, long update) {
    return TAT.compareAndSet(this, expected, update);
  }

  boolean casTats(long[] expected, long[] update) {
    return TATS.compareAndSet(this, expected, update);
  }
}
