package dev.throttle.sim.engine;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.policy.AttemptVerdict;
import dev.throttle.core.strategy.ThrottleStrategy;

import dev.throttle.sim.metrics.LogHistogram;
import dev.throttle.sim.metrics.Metrics;
import dev.throttle.sim.metrics.RunResult;
import dev.throttle.sim.metrics.Stage;
import dev.throttle.sim.metrics.TimeSeries;
import dev.throttle.sim.model.ClientGroup;
import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.ServerChange;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.ServerSpec;
import dev.throttle.sim.model.SimConfig;
import dev.throttle.sim.model.Workload;
import dev.throttle.sim.server.HeaderDialects;
import dev.throttle.sim.server.Response;
import dev.throttle.sim.server.ServerModel;
import dev.throttle.sim.server.ServerModels;
import dev.throttle.sim.strategy.StrategyFactory;
import dev.throttle.sim.strategy.StrategyRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One discrete-event simulation run: clients running real strategies through {@link ThrottlePolicy} /
 * {@link ThrottledCall} against a server model ({@link ServerModels}), all on a virtual nanosecond clock. No
 * threads, no sleeping: a wait is an event scheduled later on the {@link EventQueue}. The same config, strategy
 * factory and seed give the same result, bit for bit.
 *
 * <p>Event flow per attempt: SEND (client, after its wait) → ARRIVE at the server after the one-way network
 * latency (the model decides and writes its header strings) → RESPONSE at the client after the server's hold,
 * the service latency and the network latency again (the client parses the headers with the real
 * {@link RateLimitHeaderParser}) → the call's verdict: RETRY schedules the next SEND after {@code delayNanos},
 * DONE or GIVE_UP starts the client's next logical request. With zero latency all three happen at the same
 * instant. A concurrency limit also gets a DEPART event when an admitted request leaves the server.
 *
 * <p>A wait is recorded (histogram and time series) when it starts, as Heroku's rate_throttle_client records a
 * sleep, so a wait still running at the end of the run counts.
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
  private static final int DEPART = 7;
  private static final int TYPE_BITS = 3;

  private final SimConfig config;
  private final StrategyFactory factory;
  private final long seed;
  private SimulationObserver observer;
  private boolean recordSeries = true;

  private Simulation(SimConfig config, StrategyFactory factory, long seed) {
    this.config = Objects.requireNonNull(config, "config");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.seed = seed;
  }

  /**
   * Prepares a run.
   *
   * @param config the run's configuration
   * @param factory makes each strategy instance
   * @param seed the seed of every random draw
   * @return a run, not yet started
   * @throws NullPointerException if {@code config} or {@code factory} is null
   */
  public static Simulation of(SimConfig config, StrategyFactory factory, long seed) {
    return new Simulation(config, factory, seed);
  }

  /**
   * Sets an observer of every server decision (null for none); returns this.
   * @param o the observer, or null for none
   * @return this simulation
   */
  public Simulation observer(SimulationObserver o) {
    this.observer = o;
    return this;
  }

  /**
   * Sets whether per-client time series are recorded (default true). Without them the run's memory grows with
   * the number of clients only ({@link RunResult#series()} is then null); charts need them, tables do not.
   */
  public Simulation recordSeries(boolean record) {
    this.recordSeries = record;
    return this;
  }

  /**
   * Wraps a strategy in the policy every simulated client uses: no limit on attempts or waiting (Heroku's
   * clients had none), so the strategy alone is scored. The delay cap is a year, far above anything a header can
   * ask for (the parser caps delays at 24 h, and strategies add jitter on top), so no run gives up on it.
   */
  static ThrottlePolicy policyFor(ThrottleStrategy strategy) {
    return ThrottlePolicy.builder(strategy)
        .name("sim")
        .maxAttempts(Integer.MAX_VALUE)
        .maxDelay(Duration.ofDays(365))
        .maxTotalWait(Duration.ofDays(3650))
        .build();
  }

  /**
   * Runs the simulation to its end.
   *
   * @return the per-client counts and derived figures
   */
  public RunResult run() {
    return new Run().execute();
  }

  /** A simulated client; one logical request in flight at a time. */
  private static final class Client {
    ThrottlePolicy policy;
    Workload workload;
    boolean active;
    boolean finished;
    ThrottledCall call;
    long nextArrival;
    long answered;
    int status;
    boolean admitted;
    String[] headers;
  }

  /** The state of one run; its methods are the event handlers. */
  private final class Run {
    final SplittableRandom seeds = new SplittableRandom(seed);
    final SplittableRandom random = seeds.split();
    final int n = config.clientCount();
    final Client[] clients = new Client[n];
    final long[] attempts = new long[n];
    final long[] successes = new long[n];
    final long[] limited = new long[n];
    final long[] giveUps = new long[n];
    final LogHistogram waits = new LogHistogram();
    final long duration = config.durationNanos();
    final TimeSeries series = recordSeries ? new TimeSeries(n, config.timeBins(), duration) : null;
    final ServerSpec spec = config.server();
    final ServerModel server = ServerModels.create(spec);
    final Response response = new Response();
    final HeaderBlock block = new HeaderBlock();
    final Latency net = config.networkLatency();
    final Latency service = spec.serviceLatency();
    final boolean instant = net.isZero() && service.isZero();
    final EventQueue queue = new EventQueue(Math.max(16, 2 * n + 8));
    final List<ServerChange> changes = spec.changes();
    final long maxAttempts = config.maxAttempts();
    final SimulationObserver obs = observer;
    final long[] stageBounds = stageBounds();
    final long[][] stageSuccesses = new long[stageBounds.length - 1][n];
    final long[][] settledSuccesses = new long[stageBounds.length - 1][n];
    int stage;
    long totalAttempts;
    boolean truncated;
    long now;
    long lastExit;
    int working = n;

    Run() {
      createClients();
      for (int i = 0; i < changes.size(); i++) {
        schedule(changes.get(i).atNanos(), i, CHANGE);
      }
    }

    /**
     * Clients and their strategy instances: within a group, {@code share} consecutive clients share one instance
     * (never across groups); a group pinned to a strategy gets it from the registry, the others the one under
     * test. Then the join and leave events.
     */
    private void createClients() {
      int share = config.share();
      int c = 0;
      for (ClientGroup g : config.groups()) {
        StrategyFactory f = (g.strategy() == null ? factory : StrategyRegistry.byId(g.strategy()).factory()).forRun();
        ThrottlePolicy policy = null;
        for (int k = 0; k < g.count(); k++, c++) {
          if (k % share == 0) {
            policy = policyFor(f.create(seeds.nextLong(), config.initialSleepNanos()));
          }
          Client cl = new Client();
          cl.policy = policy;
          cl.workload = g.workload();
          if (g.workload().kind() == Workload.Kind.POISSON) {
            cl.nextArrival = g.joinAtNanos() + exponential(g.workload().arrivalsPerSecond());
          }
          clients[c] = cl;
          schedule(g.joinAtNanos(), c, JOIN);
          schedule(g.leaveAtNanos(), c, LEAVE);
        }
      }
    }

    /** The instants at which stages start, then the end of the run: 0, every join and leave inside the run. */
    private long[] stageBounds() {
      TreeSet<Long> bounds = new TreeSet<>(List.of(0L, duration));
      for (ClientGroup g : config.groups()) {
        for (long t : new long[] {g.joinAtNanos(), g.leaveAtNanos()}) {
          if (t > 0 && t < duration) {
            bounds.add(t);
          }
        }
      }
      return bounds.stream().mapToLong(Long::longValue).toArray();
    }

    /** Counts a success in its stage (events come in time order; the run's last instant is in the last stage). */
    private void countStageSuccess(int id) {
      while (stage < stageSuccesses.length - 1 && now >= stageBounds[stage + 1]) {
        stage++;
      }
      stageSuccesses[stage][id]++;
      if (now >= Stage.settledFrom(stageBounds[stage], stageBounds[stage + 1])) {
        settledSuccesses[stage][id]++;
      }
    }

    /** The stages, each with the clients whose group joined at or before its start and leaves at or after its end. */
    private List<Stage> stages() {
      List<Stage> out = new ArrayList<>();
      for (int s = 0; s < stageSuccesses.length; s++) {
        long from = stageBounds[s];
        long to = stageBounds[s + 1];
        List<Integer> members = new ArrayList<>();
        int c = 0;
        for (ClientGroup g : config.groups()) {
          for (int k = 0; k < g.count(); k++, c++) {
            if (g.joinAtNanos() <= from && g.leaveAtNanos() >= to) {
              members.add(c);
            }
          }
        }
        int[] ids = members.stream().mapToInt(Integer::intValue).toArray();
        long[] all = new long[ids.length];
        long[] settled = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
          all[i] = stageSuccesses[s][ids[i]];
          settled[i] = settledSuccesses[s][ids[i]];
        }
        out.add(new Stage(from, to, ids, all, settled));
      }
      return out;
    }

    /** Queues an event unless it falls after the end of the run. */
    private void schedule(long at, int id, int type) {
      if (at <= duration) {
        queue.add(at, id << TYPE_BITS | type);
      }
    }

    RunResult execute() {
      while (!queue.isEmpty() && !truncated && queue.peekTime() <= duration) {
        now = queue.peekTime();
        int payload = queue.peekPayload();
        queue.poll();
        dispatch(payload & ((1 << TYPE_BITS) - 1), payload >>> TYPE_BITS);
      }
      return result();
    }

    private void dispatch(int type, int id) {
      switch (type) {
        case CHANGE -> server.change(changes.get(id), now);
        case DEPART -> server.release(now);
        case JOIN -> onJoin(id);
        case START -> {
          if (clients[id].active) {
            startCall(id);
          }
        }
        case LEAVE -> {
          if (!clients[id].finished) {
            finish(clients[id]);
          }
        }
        case SEND -> onSend(id);
        case ARRIVE -> onArrive(id);
        case RESPONSE -> onResponse(id);
        default -> throw new IllegalStateException("unknown event type " + type);
      }
    }

    private void onJoin(int id) {
      Client cl = clients[id];
      if (!cl.finished) {
        cl.active = true;
        startCall(id);
      }
    }

    /** The client leaves for good: the one place a client stops working. */
    private void finish(Client cl) {
      cl.active = false;
      cl.finished = true;
      working--;
      lastExit = now;
    }

    private void onSend(int id) {
      Client cl = clients[id];
      if (!cl.active) {
        return;
      }
      long again = cl.call.recheckNanos(now);
      if (again > 0) {
        // A not-before instant learned since the wait was handed out (another client of the same instance read a
        // Retry-After or r=0): the attempt waits for it, as the blocking runner and the interceptor do. The wait
        // was recorded when it started, with the length known then; the extension is not added to it.
        schedule(satAdd(now, again), id, SEND);
        return;
      }
      if (totalAttempts >= maxAttempts) {
        truncated = true;
        return;
      }
      totalAttempts++;
      attempts[id]++;
      if (instant) {
        onArrive(id);
      } else {
        schedule(satAdd(now, net.draw(random)), id, ARRIVE);
      }
    }

    /** The server decides and writes its headers; the answer travels back (or arrives at once). */
    private void onArrive(int id) {
      Client cl = clients[id];
      if (!cl.active) {
        return;
      }
      server.decide(now, response);
      cl.admitted = response.admitted();
      cl.status = response.status();
      cl.headers = block.write(spec.dialect(), response, now);
      if (obs != null) {
        obs.onDecision(id, now, cl.admitted);
      }
      long hold = response.holdNanos();
      if (instant && hold == 0) {
        releaseAt(now);
        onResponse(id);
        return;
      }
      long leaves = satAdd(now, hold);
      if (!instant) {
        leaves = satAdd(leaves, service.draw(random));
      }
      releaseAt(leaves);
      schedule(instant ? leaves : satAdd(leaves, net.draw(random)), id, RESPONSE);
    }

    private void releaseAt(long leaves) {
      if (response.admitted() && server.tracksInFlight()) {
        if (leaves <= now) {
          server.release(now);
        } else {
          schedule(leaves, 0, DEPART);
        }
      }
    }

    /** The client reads the response through the real parser and asks its policy what to do next. */
    private void onResponse(int id) {
      Client cl = clients[id];
      if (!cl.active) {
        return;
      }
      if (cl.admitted) {
        successes[id]++;
        countStageSuccess(id);
      } else {
        limited[id]++;
      }
      if (series != null) {
        series.recordResponse(id, now, cl.admitted);
      }
      RateLimitHeaders info = block.parseCached(cl.headers, HeaderDialects.EPOCH_MILLIS_AT_ZERO + now / 1_000_000L,
          spec.dialect() == Dialect.X_EPOCH);
      cl.headers = null;
      Workload w = cl.workload;
      if (w.stopAtRemaining() >= 0 && info.hasRemaining() && info.remaining() <= w.stopAtRemaining()) {
        finish(cl); // leaves on the header alone, before its policy sees the response (rate_throttle_client)
        return;
      }
      AttemptVerdict v = cl.call.onResponse(cl.status, info, now);
      if (v == AttemptVerdict.RETRY) {
        startWait(id, cl.call.delayNanos(now));
        return;
      }
      if (v == AttemptVerdict.GIVE_UP) {
        giveUps[id]++;
      }
      cl.answered++;
      if (w.kind() == Workload.Kind.FINITE && cl.answered >= w.jobSize()) {
        finish(cl);
        return;
      }
      if (w.thinkNanos() > 0 && w.kind() != Workload.Kind.POISSON) {
        schedule(satAdd(now, w.thinkNanos()), id, START);
      } else {
        startCall(id);
      }
    }

    private void startCall(int id) {
      Client cl = clients[id];
      Workload w = cl.workload;
      if (w.kind() == Workload.Kind.POISSON) {
        if (cl.nextArrival > now) {
          schedule(cl.nextArrival, id, START);
          return;
        }
        cl.nextArrival += exponential(w.arrivalsPerSecond());
      }
      cl.call = cl.policy.newCall(now);
      startWait(id, cl.call.delayNanos(now));
    }

    /** Records a wait when it starts (so one running at the end counts) and schedules the attempt after it. */
    private void startWait(int id, long d) {
      waits.record(d);
      if (series != null) {
        series.recordWait(id, now, d);
      }
      schedule(satAdd(now, d), id, SEND);
    }

    private RunResult result() {
      // The run covers the whole duration unless every client stopped earlier (clear and job scenarios).
      long end = truncated ? now : (working == 0 ? Math.min(lastExit, duration) : duration);
      long completion = working == 0 && !truncated ? lastExit : -1;
      return new RunResult(seed, attempts, successes, limited, giveUps, waits, series, end, completion,
          allowance(end), truncated, stages());
    }

    private double allowance(long end) {
      if (spec.kind() != ServerKind.GCRA) {
        return ServerModels.allowance(spec, end);
      }
      long[] segStarts = new long[changes.size() + 1];
      long[] segT = new long[changes.size() + 1];
      segT[0] = spec.rate().emissionIntervalNanos();
      for (int i = 0; i < changes.size(); i++) {
        segStarts[i + 1] = changes.get(i).atNanos();
        segT[i + 1] = changes.get(i).rate().emissionIntervalNanos();
      }
      return Metrics.allowance(spec.initialRemaining(), segStarts, segT, end);
    }

    private long exponential(double perSecond) {
      return Math.max(1, (long) (-Math.log1p(-random.nextDouble()) * 1e9 / perSecond));
    }
  }

  private static long satAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
