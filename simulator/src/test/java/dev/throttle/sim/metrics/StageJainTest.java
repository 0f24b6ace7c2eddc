package dev.throttle.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** jain-stage and jain-settled on hand-made runs, with the expected values worked out by hand. */
class StageJainTest {

  private static final long MIN = 60_000_000_000L;

  private static RunResult run(long[] successes, List<Stage> stages) {
    long[] zeros = new long[successes.length];
    return new RunResult(1, successes, successes, zeros, zeros, new LogHistogram(), null, 30 * MIN, -1, 1,
        false, stages);
  }

  @Test
  void theLeastFairStageIsReported() {
    // Three stages of 10 min: clients {0, 1}, then {0, 1, 2}, then {0, 2}.
    // Stage 1: 100, 100 -> 1. Stage 2: 100, 50, 50 -> 200^2 / (3 * 15000) = 0.8889. Stage 3: 60, 20 -> 0.8.
    // Settled: 80, 80 -> 1; 80, 40, 40 -> 0.8889; 30, 30 -> 1.
    List<Stage> stages = List.of(
        new Stage(0, 10 * MIN, new int[] {0, 1}, new long[] {100, 100}, new long[] {80, 80}),
        new Stage(10 * MIN, 20 * MIN, new int[] {0, 1, 2}, new long[] {100, 50, 50}, new long[] {80, 40, 40}),
        new Stage(20 * MIN, 30 * MIN, new int[] {0, 2}, new long[] {60, 20}, new long[] {30, 30}));
    RunResult r = run(new long[] {260, 150, 70}, stages);
    assertEquals(0.8, Metric.JAIN_STAGE.of(r), 1e-12);
    assertEquals(40000.0 / 45000, Metric.JAIN_SETTLED.of(r), 1e-12);
    // The whole-run index mixes clients present for 30, 20 and 20 min: 480^2 / (3 * 95000).
    assertEquals(480.0 * 480 / (3 * 95000), Metric.JAIN.of(r), 1e-12);
  }

  @Test
  void oneStageOverTheWholeRunIsTheWholeRunIndex() {
    long[] successes = {30, 10};
    RunResult r = run(successes, List.of(new Stage(0, 30 * MIN, new int[] {0, 1}, successes, new long[] {5, 5})));
    assertEquals(Metric.JAIN.of(r), Metric.JAIN_STAGE.of(r), 1e-12);
    assertEquals(0.8, Metric.JAIN_STAGE.of(r), 1e-12);
    assertEquals(1.0, Metric.JAIN_SETTLED.of(r), 1e-12);
  }

  @Test
  void aStageWithoutClientsOrSuccessesFavoursNobody() {
    RunResult r = run(new long[] {0}, List.of(new Stage(0, MIN, new int[0], new long[0], new long[0]),
        new Stage(MIN, 2 * MIN, new int[] {0}, new long[] {0}, new long[] {0})));
    assertEquals(1.0, Metric.JAIN_STAGE.of(r));
  }

  @Test
  void settlingSkipsTwoMinutesOrHalfAShortStage() {
    assertEquals(12 * MIN, Stage.settledFrom(10 * MIN, 20 * MIN));
    assertEquals(2 * MIN, Stage.settledFrom(0, 4 * MIN));
    assertEquals(MIN + MIN / 2, Stage.settledFrom(MIN, 2 * MIN));
  }

  @Test
  void mismatchedArraysAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new Stage(0, MIN, new int[] {0, 1}, new long[] {1}, new long[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> new Stage(MIN, 0, new int[0], new long[0], new long[0]));
  }
}
