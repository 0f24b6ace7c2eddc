package dev.throttle.core;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntFunction;

/**
 * A throwaway discrete-event harness for sanity-checking strategies until the project's simulator lands:
 * closed-loop clients (no think time, zero latency) against a minimal GCRA server on a virtual clock, with
 * the headers of Heroku's scenario as the client would parse them, mirroring the header writer being built on
 * the {@code headers} branch: {@code RateLimit r} and {@code t} (seconds until the next unit, rounded up, at
 * least 1, omitted when full), {@code RateLimit-Policy q;w}, and {@code Retry-After} (whole seconds, rounded up)
 * on 429. Not the simulator: no workloads, no reports, one scenario.
 */
final class MiniGcraHarness {

  static final long S = 1_000_000_000L;
  static boolean DEBUG = System.getenv("HDEBUG") != null;

  /** Minimal GCRA: capacity C units, one unit per T; TAT-based, starts with {@code initialRemaining}. */
  static final class Gcra {
    final long t;
    final long capacity;
    long tat;

    Gcra(long emissionNanos, long capacity, long initialRemaining, long now) {
      this.t = emissionNanos;
      this.capacity = capacity;
      this.tat = now + (capacity - initialRemaining) * emissionNanos;
    }

    /** Returns {allowed(1/0), remaining, retryAfterNanos, resetNanos}. */
    long[] acquire(long now) {
      long base = Math.max(tat, now);
      long newTat = base + t;
      long limit = capacity * t;
      if (newTat - now <= limit) {
        tat = newTat;
        long remaining = (limit - (tat - now)) / t;
        return new long[] {1, remaining, 0, tat - now};
      }
      long remaining = Math.max(0, (limit - (base - now)) / t);
      return new long[] {0, remaining, newTat - now - limit, Math.max(0, tat - now)};
    }
  }

  static long ceilSeconds(long nanos) {
    return (nanos + S - 1) / S * S;
  }

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

  /** Optional debugging hook called with the minute index whenever a new simulated minute starts. */
  static java.util.function.IntConsumer minuteHook = m -> { };

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
    Gcra gcra = new Gcra(emissionNanos, capacity, initialRemaining, 0);
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
    int lastMinute = -1;
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
      int minute = (int) (now / (60 * S));
      if (minute != lastMinute) {
        lastMinute = minute;
        minuteHook.accept(minute);
      }
      if (now < notBefore[i]) {
        res.retryAfterViolations++;
      }
      long[] r = gcra.acquire(now);
      res.bankPerMinute[(int) Math.min(239, now / (60 * S))] = r[1];
      res.attempts[i]++;
      res.totalAttempts++;
      int status = r[0] == 1 ? 200 : 429;
      RateLimitInfo.Builder info = RateLimitInfo.builder();
      if (sendHeaders) {
        info.remaining(r[1]).limit(capacity).windowNanos(ceilSeconds(capacity * emissionNanos));
        if (r[1] < capacity) {
          // draft RateLimit t as this project's header writer sends it: seconds until the next unit, at least 1
          long nextUnit = Math.max(0, r[3] - (capacity - r[1] - 1) * emissionNanos);
          info.resetNanos(Math.max(S, ceilSeconds(nextUnit)));
        }
        if (status == 429) {
          info.retryAfterNanos(ceilSeconds(r[2]));
        }
      }
      RateLimitInfo headers = info.build();
      if (status == 200) {
        res.successes[i]++;
        if (res.clearedAtNanos < 0 && r[1] <= clearBelow) {
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
        notBefore[i] = sendHeaders ? now + ceilSeconds(r[2]) : 0;
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
      if (DEBUG && d > 30 * S) System.out.println("t=" + now / 1e9 + " client=" + i + " status=" + status + " r=" + r[1] + " d=" + d / 1e9);
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
    clearBelow = 10;
    stopWhenCleared = true;
    try {
      Result r = run(clients, strategyOfClient, 1_000_000L * S, 4500, 4500, 24 * 3600 * S, true);
      return r.clearedAtNanos / 1e9;
    } finally {
      clearBelow = -1;
      stopWhenCleared = false;
    }
  }

  private MiniGcraHarness() {}
}
