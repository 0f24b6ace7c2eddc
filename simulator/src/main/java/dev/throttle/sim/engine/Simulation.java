package dev.throttle.sim.engine;

import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.policy.Verdict;
import dev.throttle.core.strategy.ThrottleStrategy;

import dev.throttle.sim.metrics.LogHistogram;
import dev.throttle.sim.metrics.Metrics;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.metrics.TimeSeries;
import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerChange;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import dev.throttle.sim.strategy.StrategyFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One discrete-event simulation run: clients running real strategies through {@link ThrottlePolicy} /
 * {@link ThrottledCall} against the core GCRA limiter, all on a virtual nanosecond clock. No threads, no
 * sleeping: a wait is an event scheduled later on the {@link EventQueue}. The same config, strategy factory and
 * seed give the same result, bit for bit.
 *
 * <p>Event flow per attempt: SEND (client, after its wait) → ARRIVE at the server after the one-way network
 * latency (the limiter decides here) → RESPONSE at the client after the service latency and the network
 * latency again → the call's verdict: RETRY schedules the next SEND after {@code delayNanos}, DONE or GIVE_UP
 * starts the client's next logical request. With zero latency all three happen at the same instant.
 *
 * <p>Seeds: the run seed feeds one {@link SplittableRandom}; strategy instance {@code k} gets the k-th long it
 * produces, the latency and arrival draws a split of it.
 *
 * <p>Not thread-safe; use one instance per run (cheap).
 */
public final class Simulation {

  private static final int JOIN = 0;
  private static final int SEND = 1;
  private static final int ARRIVE = 2;
  private static final int RESPONSE = 3;
  private static final int LEAVE = 4;
  private static final int START = 5;
  private static final int CHANGE = 6;
  private static final int TYPE_BITS = 3;

  private final SimConfig config;
  private final StrategyFactory factory;
  private final long seed;
  private SimulationObserver observer;

  private Simulation(SimConfig config, StrategyFactory factory, long seed) {
    this.config = Objects.requireNonNull(config, "config");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.seed = seed;
  }

  /**
   * Prepares a run.
   *
   * @throws NullPointerException if {@code config} or {@code factory} is null
   */
  public static Simulation of(SimConfig config, StrategyFactory factory, long seed) {
    return new Simulation(config, factory, seed);
  }

  /** Sets an observer of every server decision (null for none); returns this. */
  public Simulation observer(SimulationObserver o) {
    this.observer = o;
    return this;
  }

  /**
   * Wraps a strategy in the policy every simulated client uses: no limit on attempts or waiting (Heroku's
   * clients had none), so the strategy alone is scored.
   */
  static ThrottlePolicy policyFor(ThrottleStrategy strategy) {
    return ThrottlePolicy.builder(strategy)
        .name("sim")
        .maxAttempts(Integer.MAX_VALUE)
        .maxDelay(Duration.ofHours(24))
        .maxTotalWait(Duration.ofDays(365))
        .build();
  }

  /** A simulated client; one logical request in flight at a time. */
  private static final class Client {
    ThrottlePolicy policy;
    Workload workload;
    boolean active;
    boolean finished;
    ThrottledCall call;
    long pendingWait;
    long nextArrival;
    long answered;
    int status;
    long remaining;
    dev.throttle.core.headers.RateLimitInfo info;
  }

  /**
   * Runs the simulation to its end.
   *
   * @return the per-client counts and derived figures
   */
  public RunResult run() {
    SplittableRandom seeds = new SplittableRandom(seed);
    SplittableRandom random = seeds.split();
    int n = config.clientCount();
    Client[] clients = new Client[n];
    long[] attempts = new long[n];
    long[] successes = new long[n];
    long[] limited = new long[n];
    long[] giveUps = new long[n];
    LogHistogram waits = new LogHistogram();
    long duration = config.durationNanos();
    TimeSeries series = new TimeSeries(n, config.timeBins(), duration);
    SimServer server = new SimServer(config.server());
    Latency net = config.networkLatency();
    Latency service = config.server().serviceLatency();
    boolean instant = net.isZero() && service.isZero();
    EventQueue queue = new EventQueue(Math.max(16, 2 * n + 8));

    // Clients, strategy instances (shared by groups of `share` consecutive clients), join/leave events.
    int share = config.share();
    ThrottlePolicy policy = null;
    int c = 0;
    for (ClientGroup g : config.groups()) {
      for (int k = 0; k < g.count(); k++, c++) {
        if (c % share == 0) {
          policy = policyFor(factory.create(seeds.nextLong(), config.initialSleepNanos()));
        }
        Client cl = new Client();
        cl.policy = policy;
        cl.workload = g.workload();
        if (g.workload().kind() == Workload.Kind.POISSON) {
          cl.nextArrival = g.joinAtNanos() + exponential(random, g.workload().arrivalsPerSecond());
        }
        clients[c] = cl;
        if (g.joinAtNanos() <= duration) {
          queue.add(g.joinAtNanos(), c << TYPE_BITS | JOIN);
        }
        if (g.leaveAtNanos() <= duration) {
          queue.add(g.leaveAtNanos(), c << TYPE_BITS | LEAVE);
        }
      }
    }
    List<ServerChange> changes = config.server().changes();
    long[] segStarts = new long[changes.size() + 1];
    long[] segT = new long[changes.size() + 1];
    segT[0] = config.server().rate().emissionIntervalNanos();
    for (int i = 0; i < changes.size(); i++) {
      segStarts[i + 1] = changes.get(i).atNanos();
      segT[i + 1] = changes.get(i).rate().emissionIntervalNanos();
      if (changes.get(i).atNanos() <= duration) {
        queue.add(changes.get(i).atNanos(), i << TYPE_BITS | CHANGE);
      }
    }

    long totalAttempts = 0;
    long maxAttempts = config.maxAttempts();
    boolean truncated = false;
    long now = 0;
    long lastExit = 0;
    int working = n;
    SimulationObserver obs = observer;

    while (!queue.isEmpty()) {
      long t = queue.peekTime();
      if (t > duration) {
        break;
      }
      int payload = queue.peekPayload();
      queue.poll();
      now = t;
      int type = payload & ((1 << TYPE_BITS) - 1);
      int id = payload >>> TYPE_BITS;
      if (type == CHANGE) {
        server.change(changes.get(id), now);
        continue;
      }
      Client cl = clients[id];
      switch (type) {
        case JOIN:
          if (cl.finished) {
            break;
          }
          cl.active = true;
          startCall(queue, cl, id, now, random);
          break;
        case START:
          if (cl.active) {
            startCall(queue, cl, id, now, random);
          }
          break;
        case LEAVE:
          if (!cl.finished) {
            cl.active = false;
            cl.finished = true;
            working--;
            lastExit = now;
          }
          break;
        case SEND:
        case ARRIVE:
        case RESPONSE:
          if (!cl.active) {
            break;
          }
          int step = type;
          if (step == SEND) {
            long again = cl.call.recheckNanos(now);
            if (again > 0) { // a not-before instant learned since the wait was handed out
              cl.pendingWait = satAdd(cl.pendingWait, again);
              queue.add(satAdd(now, again), id << TYPE_BITS | SEND);
              break;
            }
            if (totalAttempts >= maxAttempts) {
              truncated = true;
              queue.clear();
              break;
            }
            totalAttempts++;
            attempts[id]++;
            waits.record(cl.pendingWait);
            series.recordWait(id, now, cl.pendingWait);
            if (!instant) {
              queue.add(now + net.draw(random), id << TYPE_BITS | ARRIVE);
              break;
            }
            step = ARRIVE;
          }
          if (step == ARRIVE) {
            boolean allowed = server.decide(now);
            cl.status = server.status();
            cl.remaining = server.remaining();
            cl.info = server.info();
            if (obs != null) {
              obs.onDecision(id, now, allowed);
            }
            if (!instant) {
              queue.add(now + service.draw(random) + net.draw(random), id << TYPE_BITS | RESPONSE);
              break;
            }
          }
          // RESPONSE
          boolean ok = cl.status != SimServer.TOO_MANY_REQUESTS;
          if (ok) {
            successes[id]++;
          } else {
            limited[id]++;
          }
          series.recordResponse(id, now, ok);
          Verdict v = cl.call.onResponse(cl.status, cl.info, now);
          Workload w = cl.workload;
          if (w.stopAtRemaining() >= 0 && cl.remaining <= w.stopAtRemaining()) {
            cl.active = false;
            cl.finished = true;
            working--;
            lastExit = now;
            break;
          }
          if (v == Verdict.RETRY) {
            long d = cl.call.delayNanos(now);
            cl.pendingWait = d;
            queue.add(satAdd(now, d), id << TYPE_BITS | SEND);
            break;
          }
          if (v == Verdict.GIVE_UP) {
            giveUps[id]++;
          }
          cl.answered++;
          if (w.kind() == Workload.Kind.FINITE && cl.answered >= w.jobSize()) {
            cl.active = false;
            cl.finished = true;
            working--;
            lastExit = now;
            break;
          }
          startCall(queue, cl, id, now, random);
          break;
        default:
          throw new IllegalStateException("unknown event type " + type);
      }
    }
    // The run covers the whole duration unless every client stopped earlier (clear and job scenarios).
    long end = truncated ? now : (working == 0 ? Math.min(lastExit, duration) : duration);
    long completion = working == 0 && !truncated ? lastExit : -1;
    double allowance = Metrics.allowance(config.server().initialRemaining(), segStarts, segT, end);
    return new RunResult(seed, attempts, successes, limited, giveUps, waits, series, end, completion, allowance,
        truncated);
  }

  private static void startCall(EventQueue queue, Client cl, int id, long now, SplittableRandom random) {
    Workload w = cl.workload;
    if (w.kind() == Workload.Kind.POISSON) {
      if (cl.nextArrival > now) {
        queue.add(cl.nextArrival, id << TYPE_BITS | START);
        return;
      }
      cl.nextArrival += exponential(random, w.arrivalsPerSecond());
    }
    cl.call = cl.policy.newCall(now);
    long d = cl.call.delayNanos(now);
    cl.pendingWait = d;
    queue.add(satAdd(now, d), id << TYPE_BITS | SEND);
  }

  private static long exponential(SplittableRandom random, double perSecond) {
    return Math.max(1, (long) (-Math.log1p(-random.nextDouble()) * 1e9 / perSecond));
  }

  private static long satAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
