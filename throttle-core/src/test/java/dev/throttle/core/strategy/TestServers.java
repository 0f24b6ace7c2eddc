package dev.throttle.core.strategy;

import dev.throttle.core.headers.RateLimitHeaderWriter;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.GcraLimiter;
import dev.throttle.core.limiter.Quota;
import dev.throttle.core.limiter.Rate;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.testing.ManualNanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Small deterministic servers for strategy tests, each a few lines (test-only models of real limiters, not the
 * simulator's), and a virtual-time driver of closed-loop threads sharing one strategy instance. The driver follows the
 * runner protocol: delay, re-check right before sending, send, response.
 */
final class TestServers {

  static final long S = 1_000_000_000L;

  private TestServers() {}

  /** The discovery strategy as the default builds it (its floors are its own). */
  static ThrottleStrategy discovery(long seed) {
    return Strategies.defaultStrategy(seed);
  }

  /** A server deciding one request at a time. */
  interface Server {
    /** Decides a request arriving at {@code now}; returns the status and the headers as parsed by a client. */
    Response decide(long now);
  }

  record Response(int status, RateLimitHeaders info) {}

  /**
   * express-rate-limit: a fixed window of {@code limit} per {@code window}, t = seconds to the window's end (rounded
   * up); draft headers send q, w, r, t; legacy ones the limit, remaining and reset but no window. Retry-After on 429.
   */
  static Server fixedWindow(long limit, long windowNanos, boolean sendWindow) {
    return new Server() {
      long windowStart;
      long used;

      @Override
      public Response decide(long now) {
        while (now - windowStart >= windowNanos) {
          windowStart += windowNanos;
          used = 0;
        }
        boolean ok = used < limit;
        if (ok) {
          used++;
        }
        long t = (windowStart + windowNanos - now + S - 1) / S * S;
        RateLimitHeaders.Builder b = RateLimitHeaders.builder().limit(limit).remaining(limit - used).resetNanos(t);
        if (sendWindow) {
          b.windowNanos(windowNanos);
        }
        if (!ok) {
          b.retryAfterNanos(t);
        }
        return new Response(ok ? 200 : 429, b.build());
      }
    };
  }

  /** nginx limit_req with burst and nodelay: a leaky bucket of {@code burst} excess units, no headers at all. */
  static Server leakyBucket(double perSecond, long burst) {
    return new Server() {
      double excess;
      long last;

      @Override
      public Response decide(long now) {
        excess = Math.max(0, excess - perSecond * (now - last) / S);
        last = now;
        boolean ok = excess + 1 <= burst + 1;
        if (ok) {
          excess += 1;
        }
        return new Response(ok ? 200 : 429, RateLimitHeaders.EMPTY);
      }
    };
  }

  /**
   * The core GCRA limiter with this library's header writer (or no headers), whose rate changes to {@code after}
   * at {@code changeAt}; starts full.
   */
  static Server gcra(Rate before, Rate after, long capacity, long changeAt, boolean headers) {
    ManualNanoClock clock = new ManualNanoClock(0);
    RateLimitHeaderWriter writer = RateLimitHeaderWriter.defaults();
    return new Server() {
      GcraLimiter limiter = GcraLimiter.builder().quota(Quota.of("t", before, capacity)).clock(clock).build();
      boolean changed;

      @Override
      public Response decide(long now) {
        clock.set(now);
        if (!changed && now >= changeAt) {
          changed = true;
          long left = limiter.tryAcquire(0, now).remaining();
          limiter = GcraLimiter.builder().quota(Quota.of("t", after, capacity)).clock(clock)
              .initialRemaining(left).build();
        }
        RateLimitResult r = limiter.tryAcquire(1, now);
        RateLimitHeaders info = headers ? writer.clientView(r) : RateLimitHeaders.EMPTY;
        return new Response(r.allowed() ? 200 : 429, info);
      }
    };
  }

  /** What one run produced. */
  static final class Run {
    final long[] successes;
    final long[] limited;
    final List<Long> successTimes = new ArrayList<>();

    Run(int threads) {
      successes = new long[threads];
      limited = new long[threads];
    }

    long ok() {
      long n = 0;
      for (long s : successes) {
        n += s;
      }
      return n;
    }

    long tooMany() {
      long n = 0;
      for (long s : limited) {
        n += s;
      }
      return n;
    }

    /** Successes per second in {@code [from, to)}. */
    double goodput(long from, long to) {
      long n = successTimes.stream().filter(t -> t >= from && t < to).count();
      return n * (double) S / (to - from);
    }

    /** 429s over all attempts. */
    double limitedShare() {
      return (double) tooMany() / (ok() + tooMany());
    }

    /** Jain's index over the threads' successes. */
    double jain() {
      double sum = 0;
      double sq = 0;
      for (long s : successes) {
        sum += s;
        sq += (double) s * s;
      }
      return sq == 0 ? 1 : sum * sum / (successes.length * sq);
    }
  }

  /**
   * Runs {@code threads} closed-loop threads sharing {@code strategy} against {@code server} for {@code duration},
   * each request taking {@code rtt} (the server decides half-way).
   */
  static Run run(ThrottleStrategy strategy, Server server, int threads, long rtt, long duration) {
    Run run = new Run(threads);
    ThrottleStrategy.Call[] calls = new ThrottleStrategy.Call[threads];
    PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : Long.compare(a[1], b[1]));
    for (int i = 0; i < threads; i++) {
      calls[i] = strategy.newCall(0);
      queue.add(new long[] {calls[i].delayNanos(0), i});
    }
    while (!queue.isEmpty()) {
      long[] e = queue.poll();
      long now = e[0];
      int i = (int) e[1];
      if (now >= duration) {
        continue;
      }
      long again = calls[i].recheckNanos(now);
      if (again > 0) {
        queue.add(new long[] {now + again, i});
        continue;
      }
      Response r = server.decide(now + rtt / 2);
      long back = now + rtt;
      if (r.status() == 429) {
        run.limited[i]++;
      } else {
        run.successes[i]++;
        run.successTimes.add(back);
      }
      if (!calls[i].onResponse(r.status(), r.info(), back)) {
        calls[i] = strategy.newCall(back);
      }
      queue.add(new long[] {back + calls[i].delayNanos(back), i});
    }
    return run;
  }
}
