package dev.throttle.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntFunction;

/**
 * A small discrete-event harness for core tests (which cannot depend on the simulator module): closed-loop clients
 * (no think time, zero latency) against the real {@link GcraLimiter} on a {@link ManualNanoClock}, each response's
 * headers as {@link RateLimitHeaderWriter#defaults()} sends them ({@link RateLimitHeaderWriter#clientView}). No
 * limiter or header logic of its own. Not the simulator: no workloads, no reports; the simulator's
 * {@code DefaultStrategyBeatsHerokuTest} scores the same scenarios properly.
 */
final class MiniGcraHarness {

  static final long S = 1_000_000_000L;

  static final class Result {
    long[] attempts;
    long[] successes;
    long[] limited;
    long maxDelayNanos;
    long retryAfterViolations;
    long totalAttempts;
    long totalLimited;
    long clearedAtNanos = -1;
    long[] limitedPerMinute = new long[240];
    long[] bankPerMinute = new long[240];

    double retryRate() {
      return totalAttempts == 0 ? 0 : (double) totalLimited / totalAttempts;
    }

    double meanRetryRate() {
      double sum = 0;
      for (int i = 0; i < attempts.length; i++) {
        sum += attempts[i] == 0 ? 0 : (double) limited[i] / attempts[i];
      }
      return sum / attempts.length;
    }

    long totalSuccesses() {
      long s = 0;
      for (long x : successes) {
        s += x;
      }
      return s;
    }

    double jain() {
      double sum = 0;
      double sq = 0;
      for (long x : successes) {
        sum += x;
        sq += (double) x * x;
      }
      return sq == 0 ? 0 : sum * sum / (successes.length * sq);
    }

    @Override
    public String toString() {
      return String.format("successes=%d attempts=%d 429s=%d retryRate=%.4f meanRetryRate=%.4f maxSleep=%.2fs"
              + " jain=%.4f per-client=%s", totalSuccesses(), totalAttempts, totalLimited, retryRate(),
          meanRetryRate(), maxDelayNanos / 1e9, jain(), java.util.Arrays.toString(successes));
    }
  }

  /** Time-to-clear: the first success whose remaining is at most this is recorded (and may end the run). */
  static long clearBelow = -1;
  static boolean stopWhenCleared;

  private record Event(long at, int client, long seq) {}

  /**
   * Runs {@code clients} closed-loop clients for {@code durationNanos}; client i uses strategy
   * {@code strategyOfClient.apply(i)} (return the same instance for several clients to share it).
   */
  static Result run(int clients, IntFunction<ThrottleStrategy> strategyOfClient, long emissionNanos,
      long capacity, long initialRemaining, long durationNanos, boolean sendHeaders) {
    ManualNanoClock clock = new ManualNanoClock(0);
    GcraLimiter server = GcraLimiter.builder().quota(Quota.of(Rate.of(1, Duration.ofNanos(emissionNanos)), capacity))
        .clock(clock).initialRemaining(initialRemaining).build();
    RateLimitHeaderWriter writer = RateLimitHeaderWriter.defaults();
    Result res = new Result();
    res.attempts = new long[clients];
    res.successes = new long[clients];
    res.limited = new long[clients];
    ThrottleStrategy.Call[] calls = new ThrottleStrategy.Call[clients];
    long[] notBefore = new long[clients];
    List<ThrottleStrategy> strategies = new ArrayList<>();
    PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
        : Long.compare(a.seq, b.seq));
    long seq = 0;
    for (int i = 0; i < clients; i++) {
      strategies.add(strategyOfClient.apply(i));
      calls[i] = strategies.get(i).newCall(0);
      long d = calls[i].delayNanos(0);
      res.maxDelayNanos = Math.max(res.maxDelayNanos, d);
      queue.add(new Event(d, i, seq++));
    }
    while (!queue.isEmpty()) {
      Event e = queue.poll();
      long now = e.at;
      if (now >= durationNanos) {
        break;
      }
      int i = e.client;
      if (now < notBefore[i]) {
        res.retryAfterViolations++;
      }
      clock.set(now);
      RateLimitResult r = server.tryAcquire();
      res.bankPerMinute[(int) Math.min(239, now / (60 * S))] = r.remaining();
      res.attempts[i]++;
      res.totalAttempts++;
      int status = r.decision() == Decision.ALLOWED ? 200 : 429;
      RateLimitInfo headers = sendHeaders ? writer.clientView(r) : RateLimitInfo.EMPTY;
      if (status == 200) {
        res.successes[i]++;
        if (res.clearedAtNanos < 0 && r.remaining() <= clearBelow) {
          res.clearedAtNanos = now;
          if (stopWhenCleared) {
            break;
          }
        }
        notBefore[i] = 0;
      } else {
        res.limited[i]++;
        res.totalLimited++;
        res.limitedPerMinute[(int) Math.min(239, now / (60 * S))]++;
        notBefore[i] = now + headers.retryAfterNanos();
      }
      boolean retry = calls[i].onResponse(status, headers, now);
      if (!retry) {
        calls[i] = strategies.get(i).newCall(now);
      }
      long d = calls[i].delayNanos(now);
      if (d < 0) {
        throw new AssertionError("negative delay " + d);
      }
      res.maxDelayNanos = Math.max(res.maxDelayNanos, d);
      queue.add(new Event(now + d, i, seq++));
    }
    return res;
  }

  /** Heroku's scenario: GCRA T = 0.8 s, capacity 4500, starting drained, 30 minutes, headers sent. */
  static Result heroku(int clients, IntFunction<ThrottleStrategy> strategyOfClient) {
    return run(clients, strategyOfClient, 800_000_000L, 4500, 0, 1800 * S, true);
  }

  /**
   * Heroku's time-to-clear bench: a server holding 4500 units that never refills (one unit per 10^6 s), clients
   * stop at the first response with remaining at most 10; returns seconds to get there.
   */
  static double timeToClear(int clients, IntFunction<ThrottleStrategy> strategyOfClient) {
    return clear(clients, strategyOfClient).clearedAtNanos / 1e9;
  }

  /** Heroku's time-to-clear run: a full bucket of 4500 that hardly refills, until remaining drops to 10. */
  static Result clear(int clients, IntFunction<ThrottleStrategy> strategyOfClient) {
    clearBelow = 10;
    stopWhenCleared = true;
    try {
      return run(clients, strategyOfClient, 1_000_000L * S, 4500, 4500, 24 * 3600 * S, true);
    } finally {
      clearBelow = -1;
      stopWhenCleared = false;
    }
  }

  private MiniGcraHarness() {}
}
