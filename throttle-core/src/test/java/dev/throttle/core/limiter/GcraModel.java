package dev.throttle.core.limiter;

import java.math.BigInteger;
import java.util.List;

/**
 * A straightforward reference model of GCRA virtual scheduling in unbounded integers (BigInteger nanoseconds),
 * written from the specification, not from the implementation: used to check {@link GcraLimiter} step by step.
 */
final class GcraModel {

  static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Expected figures of one call; retry/reset saturated to Long.MAX_VALUE like the limiter reports them. */
  record Expected(Decision decision, long granted, String quota, long remaining, long retryAfterNanos,
      long resetAfterNanos) {
    static Expected of(RateLimitResult r) {
      return new Expected(r.decision(), r.granted(), r.quota().name(), r.remaining(), r.retryAfterNanos(),
          r.resetAfterNanos());
    }
  }

  private final List<Quota> quotas;
  private final BigInteger[] t;
  private final BigInteger[] cap;
  private final BigInteger[] dvt;
  /** Absolute TAT per quota; null = never used (idle). */
  private final BigInteger[] tat;

  GcraModel(List<Quota> quotas, BigInteger start, long initialRemaining) {
    this.quotas = quotas;
    int n = quotas.size();
    t = new BigInteger[n];
    cap = new BigInteger[n];
    dvt = new BigInteger[n];
    tat = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      t[i] = BigInteger.valueOf(quotas.get(i).rate().emissionIntervalNanos());
      cap[i] = BigInteger.valueOf(quotas.get(i).capacity());
      dvt[i] = cap[i].multiply(t[i]);
      if (initialRemaining < quotas.get(i).capacity()) {
        tat[i] = start.add(cap[i].subtract(BigInteger.valueOf(initialRemaining)).multiply(t[i]));
      }
    }
  }

  private static long sat(BigInteger v) {
    return v.signum() <= 0 ? 0 : v.min(LONG_MAX).longValueExact();
  }

  private BigInteger excess(int i, BigInteger now) {
    return tat[i] == null ? BigInteger.ZERO : tat[i].subtract(now).max(BigInteger.ZERO);
  }

  private BigInteger fit(int i, BigInteger e) {
    return e.compareTo(dvt[i]) > 0 ? BigInteger.ZERO : dvt[i].subtract(e).divide(t[i]);
  }

  Expected step(long cost, BigInteger now, boolean partial) {
    int n = quotas.size();
    BigInteger c = BigInteger.valueOf(cost);
    BigInteger[] e = new BigInteger[n];
    BigInteger[] fit = new BigInteger[n];
    BigInteger minFit = null;
    for (int i = 0; i < n; i++) {
      e[i] = excess(i, now);
      fit[i] = fit(i, e[i]);
      minFit = minFit == null ? fit[i] : minFit.min(fit[i]);
    }
    if (!partial) {
      int ex = -1;
      for (int i = 0; i < n; i++) {
        if (c.compareTo(cap[i]) > 0 && (ex < 0 || cap[i].compareTo(cap[ex]) < 0)) {
          ex = i;
        }
      }
      if (ex >= 0) {
        return new Expected(Decision.EXCEEDS_CAPACITY, 0, quotas.get(ex).name(), fit[ex].longValueExact(),
            RateLimitResult.NEVER, sat(e[ex]));
      }
    }
    BigInteger grant = partial ? c.min(minFit) : c;
    if (cost > 0 && (grant.signum() == 0 || grant.compareTo(minFit) > 0)) {
      BigInteger need = partial ? BigInteger.ONE : c;
      int best = -1;
      long bestRetry = -1;
      for (int i = 0; i < n; i++) {
        BigInteger retry = e[i].add(need.multiply(t[i])).subtract(dvt[i]);
        if (retry.signum() > 0 && sat(retry) > bestRetry) {
          best = i;
          bestRetry = sat(retry);
        }
      }
      return new Expected(Decision.LIMITED, 0, quotas.get(best).name(), fit[best].longValueExact(), bestRetry,
          sat(e[best]));
    }
    BigInteger[] after = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      after[i] = e[i].add(grant.multiply(t[i]));
      if (grant.signum() > 0) {
        tat[i] = now.add(after[i]);
      }
    }
    int best = -1;
    for (int i = 0; i < n; i++) {
      if (best < 0) {
        best = i;
        continue;
      }
      int cmp = fit(i, after[i]).compareTo(fit(best, after[best]));
      if (cmp < 0 || (cmp == 0 && sat(after[i]) > sat(after[best]))) {
        best = i;
      }
    }
    return new Expected(Decision.ALLOWED, grant.longValueExact(), quotas.get(best).name(),
        fit(best, after[best]).longValueExact(), 0, sat(after[best]));
  }
}
