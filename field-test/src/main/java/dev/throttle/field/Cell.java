package dev.throttle.field;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one server × client run, computed from a {@link LoadRun.Result} and the server's own counts.
 *
 * @param server the server
 * @param client the client's name
 * @param threads thread count
 * @param seconds measured duration in seconds
 * @param goodput 2xx responses per second within the measured duration
 * @param goodputShare goodput as a share of the server's configured limit
 * @param share429 429s / (2xx + 429s) among the answers within the measured duration
 * @param p50 median logical-request time in seconds (waits and retries included)
 * @param p99 99th percentile of the same
 * @param max the longest logical request in seconds
 * @param meanAttempts attempts per logical request
 * @param maxAttempts most attempts of one logical request
 * @param jain Jain's index over the threads' 2xx counts (1 = equal; NaN if none)
 * @param logical logical requests started in the measured duration
 * @param gaveUp of those, how many ended in a give-up
 * @param errors of those, how many ended in an error other than a give-up
 * @param unfinished of those, how many had not ended when the drain time ran out
 * @param perThread 2xx per thread within the measured duration
 * @param clientTotal2xx 2xx the clients received, drain included
 * @param serverAdmitted what the server counted as admitted (200), drain included
 * @param serverRejected what the server counted as rejected (429), drain included
 * @param violations the limit breaches found in the server's own record
 */
public record Cell(ServerKind server, String client, int threads, double seconds, double goodput,
    double goodputShare, double share429, double p50, double p99, double max, double meanAttempts,
    int maxAttempts, double jain, int logical, int gaveUp, int errors, int unfinished, long[] perThread,
    long clientTotal2xx, long serverAdmitted, long serverRejected, List<String> violations) {

  /** Copies the arrays. */
  public Cell {
    perThread = perThread.clone();
    violations = List.copyOf(violations);
  }

  /** Computes the figures. */
  public static Cell of(ServerKind server, String client, LoadRun.Result r, RealServer.ServerCounts counts) {
    double seconds = r.measuredNanos() / 1e9;
    long ok = Arrays.stream(r.ok200()).sum();
    double goodput = ok / seconds;
    double share429 = ok + r.status429() == 0 ? 0 : (double) r.status429() / (ok + r.status429());
    List<LoadRun.Logical> ended = r.logical().stream()
        .filter(l -> l.outcome() != LoadRun.Outcome.UNFINISHED).toList();
    double[] times = ended.stream().mapToDouble(l -> l.nanos() / 1e9).sorted().toArray();
    int gaveUp = 0;
    int errors = 0;
    int unfinished = 0;
    long attempts = 0;
    int maxAttempts = 0;
    for (LoadRun.Logical l : r.logical()) {
      switch (l.outcome()) {
        case GAVE_UP -> gaveUp++;
        case ERROR -> errors++;
        case UNFINISHED -> unfinished++;
        default -> { }
      }
      if (l.attempts() > 0) {
        attempts += l.attempts();
        maxAttempts = Math.max(maxAttempts, l.attempts());
      }
    }
    return new Cell(server, client, r.threads(), seconds, goodput, goodput / server.limitPerSecond(), share429,
        quantile(times, 0.50), quantile(times, 0.99), times.length == 0 ? Double.NaN : times[times.length - 1],
        ended.isEmpty() ? Double.NaN : (double) attempts / ended.size(), maxAttempts, jain(r.ok200()),
        r.logical().size(), gaveUp, errors, unfinished, r.ok200(), r.total2xx(), counts.admitted(),
        counts.rejected(), counts.violations());
  }

  /** Jain's fairness index (Σx)² / (n Σx²); NaN when every x is 0. */
  static double jain(long[] x) {
    double sum = 0;
    double squares = 0;
    for (long v : x) {
      sum += v;
      squares += (double) v * v;
    }
    return squares == 0 ? Double.NaN : sum * sum / (x.length * squares);
  }

  /** The nearest-rank quantile of sorted values; NaN if empty. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The header of {@link #csvRow()}. */
  public static String csvHeader() {
    return "server,client,threads,seconds,goodput_rps,limit_rps,goodput_share,share_429,p50_s,p99_s,max_s,"
        + "mean_attempts,max_attempts,jain,logical,gave_up,errors,unfinished,per_thread_2xx,client_2xx_total,"
        + "server_admitted,server_rejected,violations";
  }

  /** One CSV line with every figure. */
  public String csvRow() {
    StringBuilder per = new StringBuilder();
    for (long v : perThread) {
      per.append(per.length() == 0 ? "" : " ").append(v);
    }
    return String.join(",", server.id(), client, Integer.toString(threads), f(seconds, 3), f(goodput, 3),
        f(server.limitPerSecond(), 1), f(goodputShare, 4), f(share429, 4), f(p50, 3), f(p99, 3), f(max, 3),
        f(meanAttempts, 3), Integer.toString(maxAttempts), f(jain, 4), Integer.toString(logical),
        Integer.toString(gaveUp), Integer.toString(errors), Integer.toString(unfinished), per.toString(),
        Long.toString(clientTotal2xx), Long.toString(serverAdmitted), Long.toString(serverRejected),
        Integer.toString(violations.size()));
  }

  static String f(double v, int decimals) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
