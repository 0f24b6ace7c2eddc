package dev.throttle.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void validatesItsConfiguration() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RetryBudget.of(0, 1)).getMessage()
        .contains("maxTokens"));
    assertThrows(IllegalArgumentException.class, () -> RetryBudget.of(RetryBudget.MAX_TOKENS + 1, 1));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RetryBudget.of(10, 0)).getMessage()
        .contains("tokenRatio"));
    assertThrows(IllegalArgumentException.class, () -> RetryBudget.of(10, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> RetryBudget.of(10, 10.5));
    assertEquals(0.123, RetryBudget.of(10, 0.1234).tokenRatio());
  }

  @Test
  void grpcExampleStopsRetryingAfterFiveFailuresAndRecoversAfterSuccesses() {
    RetryBudgetState s = RetryBudget.of(10, 0.1).newState();
    for (int i = 1; i <= 4; i++) {
      assertTrue(s.onFailure(), "failure " + i); // 9, 8, 7, 6 > 5
    }
    assertEquals(false, s.onFailure()); // 5, not > 5
    assertEquals(false, s.onFailure()); // 4
    for (int i = 0; i < 20; i++) {
      s.onSuccess(); // +2 tokens in total -> 6
    }
    assertEquals(6000, s.tokensMilli());
    assertEquals(false, s.onFailure()); // 5
    for (int i = 0; i < 1000; i++) {
      s.onSuccess();
    }
    assertEquals(10_000, s.tokensMilli()); // capped at max
  }

  /** Replays a random sequence against a sequential model: range, threshold and exact count all hold. */
  @Property
  void staysWithinRangeAndNeverAllowsARetryAtOrBelowHalf(
      @ForAll @IntRange(min = 1, max = 1000) int maxTokens,
      @ForAll("ratios") double ratio,
      @ForAll @Size(max = 300) List<Boolean> failures) {
    if (ratio > maxTokens) {
      ratio = maxTokens;
    }
    RetryBudget budget = RetryBudget.of(maxTokens, ratio);
    RetryBudgetState s = budget.newState();
    long model = maxTokens * 1000L;
    for (boolean failure : failures) {
      if (failure) {
        boolean allowed = s.onFailure();
        model = Math.max(0, model - 1000);
        assertEquals(model > maxTokens * 1000L / 2, allowed);
        if (allowed) {
          assertTrue(s.tokensMilli() * 2 > maxTokens * 1000L, "allowed a retry at or below half");
        }
      } else {
        s.onSuccess();
        model = Math.min(maxTokens * 1000L, model + budget.tokenRatioMilli());
      }
      assertEquals(model, s.tokensMilli());
      assertTrue(s.tokensMilli() >= 0 && s.tokensMilli() <= maxTokens * 1000L);
    }
  }

  @Provide
  Arbitrary<Double> ratios() {
    return Arbitraries.doubles().between(0.001, 1000).ofScale(3);
  }

  @Test
  void concurrentFailuresAllowExactlyTheRetriesAboveHalf() throws InterruptedException {
    RetryBudgetState s = RetryBudget.of(1000, 0.1).newState();
    int threads = 4;
    int perThread = 1000;
    AtomicInteger allowed = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          if (s.onFailure()) {
            allowed.incrementAndGet();
          }
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(10_000);
    }
    // 1000 tokens, threshold 500: failures 1..499 leave more than 500 tokens; whatever the interleaving.
    assertEquals(499, allowed.get());
    assertEquals(0, s.tokensMilli());
  }

  @Test
  void concurrentMixedUpdatesStayInRangeAndLoseNoUpdate() throws InterruptedException {
    RetryBudgetState s = RetryBudget.of(1_000_000, 1).newState();
    // Start at half so neither bound is reached: the result must then be exactly the sum of the updates.
    for (int i = 0; i < 500_000; i++) {
      s.onFailure();
    }
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      boolean fail = t % 2 == 0;
      Thread w = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          if (fail) {
            s.onFailure();
          } else {
            s.onSuccess();
          }
        }
      });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join(10_000);
    }
    assertEquals(500_000_000L, s.tokensMilli());
  }
}
