package dev.throttle.field;

import dev.throttle.okhttp.ThrottleGiveUpIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The load: {@code threads} threads share one {@link OkHttpClient}, each a closed loop of logical GET requests
 * (no think time) for {@code duration}; then no new request starts and the ones in flight finish (for at most
 * {@code drainTimeout}, after which they are interrupted and counted as unfinished). Every attempt that reaches
 * the server is seen by a network interceptor; goodput, 429 share and per-thread successes count the answers
 * that arrived within the measured {@code duration}, while every logical request started in it is timed to its
 * end.
 */
public final class LoadRun {

  /** How a logical request ended. */
  public enum Outcome {
    /** A 2xx response. */
    OK,
    /** The client gave up: a non-2xx final response (the last 429) or a {@link ThrottleGiveUpIOException}. */
    GAVE_UP,
    /** Any other exception: a request that was lost. */
    ERROR,
    /** Still running when the drain time ran out. */
    UNFINISHED
  }

  /**
   * One logical request.
   *
   * @param thread the index of the thread that sent it
   * @param startNanos when it started (System.nanoTime)
   * @param endNanos when it ended
   * @param attempts responses received for it (attempts that reached the server)
   * @param finalStatus the final response's status, 0 if none
   * @param outcome how it ended
   * @param error the exception, for {@link Outcome#ERROR}
   */
  public record Logical(int thread, long startNanos, long endNanos, int attempts, int finalStatus,
      Outcome outcome, String error) {
    /** Returns its duration, waits and retries included. */
    public long nanos() {
      return endNanos - startNanos;
    }
  }

  /**
   * What a run produced.
   *
   * @param measuredNanos the measured duration
   * @param threads thread count
   * @param logical every logical request started in the measured duration
   * @param ok200 2xx responses received within the measured duration, per thread
   * @param status429 429 responses received within the measured duration
   * @param otherStatus other responses received within the measured duration
   * @param total2xx all 2xx responses received, drain included
   */
  public record Result(long measuredNanos, int threads, List<Logical> logical, long[] ok200, long status429,
      long otherStatus, long total2xx) {
    /** Copies the list. */
    public Result {
      logical = List.copyOf(logical);
    }
  }

  /** The logical request an attempt belongs to: a request tag, seen by the network interceptor. */
  private static final class Tag {
    final int thread;
    int attempts;
    int lastStatus;

    Tag(int thread) {
      this.thread = thread;
    }
  }

  private LoadRun() {}

  /**
   * Runs the load and returns what happened.
   *
   * @param client the way requests are sent
   * @param url the rate-limited resource
   */
  public static Result run(FieldClient client, HttpUrl url, int threads, Duration duration, Duration drainTimeout)
      throws InterruptedException {
    long[] ok = new long[threads];
    AtomicLong count429 = new AtomicLong();
    AtomicLong countOther = new AtomicLong();
    AtomicLong total2xx = new AtomicLong();
    // the measured time starts when every thread is ready (building the client and loading its classes can take
    // seconds on a busy machine), and the network interceptor needs its end
    AtomicLong endRef = new AtomicLong(Long.MAX_VALUE);
    Interceptor counter = chain -> {
      long end = endRef.get();
      Response r = chain.proceed(chain.request());
      long now = System.nanoTime();
      Tag tag = chain.request().tag(Tag.class);
      int code = r.code();
      if (tag != null) {
        tag.attempts++;
        tag.lastStatus = code;
      }
      if (code >= 200 && code < 300) {
        total2xx.incrementAndGet();
      }
      if (now <= end) {
        if (code >= 200 && code < 300) {
          if (tag != null) {
            synchronized (ok) {
              ok[tag.thread]++;
            }
          }
        } else if (code == 429) {
          count429.incrementAndGet();
        } else {
          countOther.incrementAndGet();
        }
      }
      return r;
    };
    OkHttpClient http = client.configure(new OkHttpClient.Builder()).addNetworkInterceptor(counter)
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30)).build();
    ConcurrentLinkedQueue<Logical> done = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    long[] currentStart = new long[threads];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread w = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        loop(client, http, url, index, endRef.get(), done, currentStart);
      }, "field-" + t);
      w.setDaemon(true);
      workers.add(w);
    }
    workers.forEach(Thread::start);
    ready.await();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    endRef.set(end);
    go.countDown();
    long drainDeadline = end + drainTimeout.toNanos();
    for (Thread w : workers) {
      long left = drainDeadline - System.nanoTime();
      if (left > 0) {
        w.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
    List<Logical> all = new ArrayList<>(done);
    for (int t = 0; t < threads; t++) {
      Thread w = workers.get(t);
      if (w.isAlive()) {
        long s;
        synchronized (currentStart) {
          s = currentStart[t];
        }
        w.interrupt();
        all.add(new Logical(t, s, System.nanoTime(), -1, 0, Outcome.UNFINISHED, null));
      }
    }
    for (Thread w : workers) {
      w.join(5_000);
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    all.removeIf(l -> l.outcome() != Outcome.UNFINISHED && l.startNanos() > end);
    all.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
    long[] okCopy;
    synchronized (ok) {
      okCopy = ok.clone();
    }
    return new Result(end - start, threads, Collections.unmodifiableList(all), okCopy, count429.get(),
        countOther.get(), total2xx.get());
  }

  private static void loop(FieldClient client, OkHttpClient http, HttpUrl url, int index, long end,
      ConcurrentLinkedQueue<Logical> done, long[] currentStart) {
    while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
      Tag tag = new Tag(index);
      Request request = new Request.Builder().url(url).tag(Tag.class, tag).build();
      long s = System.nanoTime();
      synchronized (currentStart) {
        currentStart[index] = s;
      }
      Outcome outcome;
      String error = null;
      int status = 0;
      try (Response r = client.execute(http, request)) {
        status = r.code();
        r.body().bytes();
        outcome = r.isSuccessful() ? Outcome.OK : Outcome.GAVE_UP;
      } catch (ThrottleGiveUpIOException e) {
        outcome = Outcome.GAVE_UP;
      } catch (IOException | RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          return; // cut by the drain timeout: recorded as unfinished by the runner
        }
        outcome = Outcome.ERROR;
        error = e.toString();
      }
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      done.add(new Logical(index, s, System.nanoTime(), tag.attempts, status, outcome, error));
    }
  }
}
