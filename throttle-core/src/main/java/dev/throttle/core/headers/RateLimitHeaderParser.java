package dev.throttle.core.headers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a response's rate-limit header fields, in any common dialect, into a {@link RateLimitHeaders}: the IETF
 * draft's {@code RateLimit} and {@code RateLimit-Policy} (draft-10, and the draft-07 dictionary),
 * {@code RateLimit-Limit/-Remaining/-Reset} (drafts -00 to -06, Heroku), {@code X-RateLimit-*}, and
 * {@code Retry-After} as delay-seconds or any of the three HTTP-date forms of RFC 9110 §5.6.7.
 *
 * <p>Never throws because of what a server sent: a malformed value is ignored, a huge delay is capped at
 * {@link RateLimitHeaders#MAX_DELAY_NANOS} (24 hours), a date in the past means "now". {@code Retry-After} takes
 * precedence over {@code RateLimit}'s {@code t}. A response from a cache (positive {@code Age}) keeps its
 * {@code Retry-After} as sent and has every other figure ignored. When several policies are listed, the most
 * restrictive one is used. With {@link #parseAll(Function, long)} a field sent on several lines is combined,
 * taking the most conservative value.
 *
 * <p>Units: delays in nanoseconds (read from whole seconds, or from an HTTP-date relative to
 * {@code nowEpochMillis}); counts in the server's units. The lookup function should be case-insensitive, as
 * HTTP field names are; use {@link #parse(Map, long)} for a plain map.
 *
 * <p>Stateless and thread-safe.
 *
 * <p>The field-by-field precedence, the effect of {@code Age}, how one of several policies is chosen, and what
 * happens to each kind of bad value are tabulated in {@code docs/headers.md}.
 */
public final class RateLimitHeaderParser {

  /** Reset values (seconds) from this value up are epoch seconds, below it delay seconds. */
  public static final long EPOCH_THRESHOLD_SECONDS = 1_000_000_000L;

  static final String RETRY_AFTER = "Retry-After";
  static final String AGE = "Age";
  static final String RATELIMIT = "RateLimit";
  static final String RATELIMIT_POLICY = "RateLimit-Policy";
  static final String RATELIMIT_LIMIT = "RateLimit-Limit";
  static final String RATELIMIT_REMAINING = "RateLimit-Remaining";
  static final String RATELIMIT_RESET = "RateLimit-Reset";
  static final String X_RATELIMIT_LIMIT = "X-RateLimit-Limit";
  static final String X_RATELIMIT_REMAINING = "X-RateLimit-Remaining";
  static final String X_RATELIMIT_RESET = "X-RateLimit-Reset";

  private static final Logger LOG = LoggerFactory.getLogger(RateLimitHeaderParser.class);
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long MAX_DELAY_MILLIS = RateLimitHeaders.MAX_DELAY_NANOS / 1_000_000L;
  private static final long MAX_COUNT = 999_999_999_999_999L;
  private static final int INVALID = -1;

  private RateLimitHeaderParser() {}

  /**
   * Parses the rate-limit fields of one response.
   *
   * @param headerByName returns a field's value by name (case-insensitively, see the class documentation), or
   *     null if the response has no such field
   * @param nowEpochMillis when the response was received, in milliseconds since the epoch; HTTP-dates and epoch
   *     resets become delays relative to it
   * @return what the fields say; {@link RateLimitHeaders#EMPTY} if nothing usable
   * @throws NullPointerException if {@code headerByName} is null
   */
  public static RateLimitHeaders parse(Function<String, String> headerByName, long nowEpochMillis) {
    Objects.requireNonNull(headerByName, "headerByName");
    return parseAll(name -> {
      String value = headerByName.apply(name);
      return value == null ? null : List.of(value);
    }, nowEpochMillis);
  }

  /**
   * Parses the rate-limit fields of one response whose fields may repeat, e.g. with OkHttp's
   * {@code response.headers()::values}; repeated lines are combined as the class documentation says.
   *
   * @param headerValuesByName returns all values of a field by name (case-insensitively), or null or an empty
   *     list if the response has no such field
   * @param nowEpochMillis when the response was received, in milliseconds since the epoch
   * @return what the fields say; {@link RateLimitHeaders#EMPTY} if nothing usable
   * @throws NullPointerException if {@code headerValuesByName} is null
   */
  public static RateLimitHeaders parseAll(Function<String, ? extends List<String>> headerValuesByName,
      long nowEpochMillis) {
    Objects.requireNonNull(headerValuesByName, "headerValuesByName");
    long age = age(values(headerValuesByName, AGE));
    long retryAfter = INVALID;
    for (String v : values(headerValuesByName, RETRY_AFTER)) {
      long delay = retryAfterNanos(v, nowEpochMillis);
      if (delay < 0) ignored(RETRY_AFTER, v);
      retryAfter = Math.max(retryAfter, delay);
    }
    if (age > 0) {
      // a cached response: its figures describe a past state of the quota (draft-10: SHOULD be ignored)
      LOG.debug("Ignoring rate-limit figures of a cached response (Age: {})", age);
      return RateLimitHeaders.of(retryAfter, INVALID, INVALID, INVALID, INVALID);
    }
    Figures f = new Figures();
    readFigures(headerValuesByName, nowEpochMillis, f);
    return RateLimitHeaders.of(retryAfter, f.remaining, f.limit, f.reset, f.window);
  }

  /**
   * Read access by position to the fields of one response, as HTTP client libraries hold them (OkHttp's
   * {@code Headers}: {@code size()}, {@code name(i)}, {@code value(i)}). Meant to be implemented once, as a
   * stateless constant, so that {@link #parseIndexed} allocates nothing for the access.
   *
   * <p>Implementations must be thread-safe if shared (a stateless one is).
   *
   * @param <H> the library's type holding the fields
   */
  public interface IndexedFields<H> {

    /**
     * Returns the number of field lines.
     *
     * @param fields the fields
     * @return the number of field lines (a field sent twice counts twice)
     */
    int size(H fields);

    /**
     * Returns the name of a field line.
     *
     * @param fields the fields
     * @param index the line, from 0 to {@code size(fields) - 1}
     * @return its name, in any case
     */
    String name(H fields, int index);

    /**
     * Returns the value of a field line.
     *
     * @param fields the fields
     * @param index the line, from 0 to {@code size(fields) - 1}
     * @return its value
     */
    String value(H fields, int index);
  }

  // the fields parseIndexed looks for, by slot: 6 bits each of its position table (a long)
  private static final int S_RETRY_AFTER = 0;
  private static final int S_AGE = 1;
  private static final int S_RATELIMIT = 2;
  private static final int S_POLICY = 3;
  private static final int S_LIMIT = 4;
  private static final int S_REMAINING = 5;
  private static final int S_RESET = 6;
  private static final int S_X_LIMIT = 7;
  private static final int S_X_REMAINING = 8;
  private static final int S_X_RESET = 9;
  private static final int SLOT_BITS = 6;
  private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

  /**
   * Parses the rate-limit fields of one response read by position, in one pass over the field names and without
   * allocating anything but the result when each rate-limit field is sent at most once (the usual case) and the
   * draft fields have their common shapes; the result is exactly that of {@link #parseAll} on the same fields
   * (a field sent on several lines, or one found past the 63rd line, takes that path).
   *
   * @param fields the response's fields
   * @param access reads {@code fields} by position; field names are matched case-insensitively
   * @param wallClock read for when the response was received, and only when a field needs it (an HTTP-date
   *     {@code Retry-After}, an epoch-seconds reset): a response without rate-limit fields reads no clock
   * @param <H> the type holding the fields
   * @return what the fields say; {@link RateLimitHeaders#EMPTY} if nothing usable
   * @throws NullPointerException if an argument is null
   */
  public static <H> RateLimitHeaders parseIndexed(H fields, IndexedFields<H> access, Clock wallClock) {
    Objects.requireNonNull(fields, "fields");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(wallClock, "wallClock");
    long positions = 0; // per slot: 1 + the line of its field, 0 if absent
    for (int i = 0, n = access.size(fields); i < n; i++) {
      int slot = slotOf(access.name(fields, i));
      if (slot < 0) {
        continue;
      }
      if (i >= SLOT_MASK || ((positions >>> (slot * SLOT_BITS)) & SLOT_MASK) != 0) {
        return parseAll(name -> linesOf(fields, access, name), wallClock.millis()); // repeated or far down
      }
      positions |= (long) (i + 1) << (slot * SLOT_BITS);
    }
    if (positions == 0) {
      return RateLimitHeaders.EMPTY;
    }
    String ageValue = line(fields, access, positions, S_AGE);
    long age = ageValue == null ? INVALID : age(ageValue);
    String retryAfterValue = line(fields, access, positions, S_RETRY_AFTER);
    long retryAfter = INVALID;
    if (retryAfterValue != null) {
      retryAfter = retryAfterNanos(retryAfterValue, 0, wallClock);
      if (retryAfter < 0) ignored(RETRY_AFTER, retryAfterValue);
    }
    if (age > 0) {
      LOG.debug("Ignoring rate-limit figures of a cached response (Age: {})", age);
      return RateLimitHeaders.of(retryAfter, INVALID, INVALID, INVALID, INVALID);
    }
    long remaining = INVALID;
    long limit = INVALID;
    long reset = INVALID;
    long window = INVALID;
    String rateLimit = line(fields, access, positions, S_RATELIMIT);
    String policy = line(fields, access, positions, S_POLICY);
    if (rateLimit != null || policy != null) {
      // readDraftFast again, into locals: the scanner allocates nothing, so the result is the only object
      long service = rateLimit == null ? DraftScanner.NO_POLICY : DraftScanner.services(rateLimit);
      long chosen = DraftScanner.NO_POLICY;
      if (service != DraftScanner.GIVE_UP && policy != null) {
        chosen = service == DraftScanner.NO_POLICY ? DraftScanner.policies(policy, null, -1, -1)
            : DraftScanner.policies(policy, rateLimit, DraftScanner.nameStart(service),
                DraftScanner.nameEnd(rateLimit, service));
      }
      if (service != DraftScanner.GIVE_UP && chosen != DraftScanner.GIVE_UP) {
        if (service != DraftScanner.NO_POLICY) {
          remaining = DraftScanner.first(rateLimit, service);
          long t = DraftScanner.second(rateLimit, service);
          if (t != DraftScanner.NONE) reset = secondsToNanos(t);
        }
        if (chosen != DraftScanner.NO_POLICY) {
          limit = DraftScanner.first(policy, chosen);
          long w = DraftScanner.second(policy, chosen);
          if (w != DraftScanner.NONE) window = secondsToNanos(w);
        }
      } else {
        Figures f = new Figures();
        readDraftFull(rateLimit, policy, f);
        remaining = f.remaining;
        limit = f.limit;
        reset = f.reset;
        window = f.window;
      }
    }
    String v;
    if (limit < 0 && (v = line(fields, access, positions, S_LIMIT)) != null) limit = limit(v);
    if (limit < 0 && (v = line(fields, access, positions, S_X_LIMIT)) != null) limit = count(v);
    if (remaining < 0 && (v = line(fields, access, positions, S_REMAINING)) != null) remaining = count(v);
    if (remaining < 0 && (v = line(fields, access, positions, S_X_REMAINING)) != null) remaining = count(v);
    if (reset < 0 && (v = line(fields, access, positions, S_RESET)) != null) {
      reset = legacyResetNanos(v, 0, wallClock);
    }
    if (reset < 0 && (v = line(fields, access, positions, S_X_RESET)) != null) {
      reset = legacyResetNanos(v, 0, wallClock);
    }
    return RateLimitHeaders.of(retryAfter, remaining, limit, reset, window);
  }

  /**
   * Returns the slot of a field name the parser reads (any case), or -1. Most names end at the length test; the
   * others are told apart by one character, then compared exactly (canonical, or lower case as HTTP/2 and
   * HTTP/3 send them) before case-insensitively.
   */
  private static int slotOf(String name) {
    switch (name.length()) {
      case 3:
        return is(name, AGE, "age") ? S_AGE : -1;
      case 9:
        return is(name, RATELIMIT, "ratelimit") ? S_RATELIMIT : -1;
      case 11:
        return is(name, RETRY_AFTER, "retry-after") ? S_RETRY_AFTER : -1;
      case 15: // RateLimit-Limit, RateLimit-Reset
        return (name.charAt(10) | 0x20) == 'l' ? (is(name, RATELIMIT_LIMIT, "ratelimit-limit") ? S_LIMIT : -1)
            : is(name, RATELIMIT_RESET, "ratelimit-reset") ? S_RESET : -1;
      case 16:
        return is(name, RATELIMIT_POLICY, "ratelimit-policy") ? S_POLICY : -1;
      case 17: // X-RateLimit-Limit, X-RateLimit-Reset
        return (name.charAt(12) | 0x20) == 'l'
            ? (is(name, X_RATELIMIT_LIMIT, "x-ratelimit-limit") ? S_X_LIMIT : -1)
            : is(name, X_RATELIMIT_RESET, "x-ratelimit-reset") ? S_X_RESET : -1;
      case 19:
        return is(name, RATELIMIT_REMAINING, "ratelimit-remaining") ? S_REMAINING : -1;
      case 21:
        return is(name, X_RATELIMIT_REMAINING, "x-ratelimit-remaining") ? S_X_REMAINING : -1;
      default:
        return -1;
    }
  }

  /** Returns whether {@code name} is {@code canonical} in any case; the two usual spellings first, exactly. */
  private static boolean is(String name, String canonical, String lowerCase) {
    return name.equals(canonical) || name.equals(lowerCase) || name.equalsIgnoreCase(canonical);
  }

  /** Returns the value of the slot's field line if present and not blank (blank counts as absent), else null. */
  private static <H> String line(H fields, IndexedFields<H> access, long positions, int slot) {
    int position = (int) (positions >>> (slot * SLOT_BITS)) & SLOT_MASK;
    if (position == 0) {
      return null;
    }
    String value = access.value(fields, position - 1);
    return value == null || isBlank(value) ? null : value;
  }

  /** Returns every line of a field by name (case-insensitively), or null if none: the general path's lookup. */
  private static <H> List<String> linesOf(H fields, IndexedFields<H> access, String name) {
    List<String> lines = null;
    for (int i = 0, n = access.size(fields); i < n; i++) {
      if (name.equalsIgnoreCase(access.name(fields, i))) {
        if (lines == null) lines = new ArrayList<>(2);
        lines.add(access.value(fields, i));
      }
    }
    return lines;
  }

  /** Reads remaining, limit, reset and window from every dialect, newest first per figure. */
  private static void readFigures(Function<String, ? extends List<String>> headerValuesByName,
      long nowEpochMillis, Figures f) {
    readDraft(joined(headerValuesByName, RATELIMIT), joined(headerValuesByName, RATELIMIT_POLICY), f);
    if (f.limit < 0) f.limit = minLimit(values(headerValuesByName, RATELIMIT_LIMIT));
    if (f.limit < 0) f.limit = minCount(values(headerValuesByName, X_RATELIMIT_LIMIT));
    if (f.remaining < 0) f.remaining = minCount(values(headerValuesByName, RATELIMIT_REMAINING));
    if (f.remaining < 0) f.remaining = minCount(values(headerValuesByName, X_RATELIMIT_REMAINING));
    if (f.reset < 0) f.reset = maxReset(values(headerValuesByName, RATELIMIT_RESET), nowEpochMillis);
    if (f.reset < 0) f.reset = maxReset(values(headerValuesByName, X_RATELIMIT_RESET), nowEpochMillis);
  }

  /**
   * Parses the rate-limit fields from a map of field name to values, matching names case-insensitively (e.g.
   * {@code java.net.http.HttpHeaders.map()}, Servlet or Spring header maps).
   *
   * @param headers field name to its values; null keys and values are skipped
   * @param nowEpochMillis when the response was received, in milliseconds since the epoch
   * @return what the fields say; {@link RateLimitHeaders#EMPTY} if nothing usable
   * @throws NullPointerException if {@code headers} is null
   */
  public static RateLimitHeaders parse(Map<String, ? extends List<String>> headers, long nowEpochMillis) {
    Objects.requireNonNull(headers, "headers");
    return parseAll(name -> {
      List<String> all = null;
      for (Map.Entry<String, ? extends List<String>> e : headers.entrySet()) {
        if (e.getKey() != null && e.getValue() != null && e.getKey().equalsIgnoreCase(name)) {
          if (all == null) all = new ArrayList<>(2);
          all.addAll(e.getValue());
        }
      }
      return all;
    }, nowEpochMillis);
  }

  // ---- Age and Retry-After ----

  /**
   * Returns the {@code Age} in seconds (RFC 9111 §5.1 delta-seconds, saturated): the largest valid line, or -1
   * if there is none (absent or malformed: treated as absent).
   */
  private static long age(List<String> values) {
    long max = INVALID;
    for (String v : values) {
      max = Math.max(max, age(v));
    }
    return max;
  }

  /** Returns one {@code Age} line in seconds, or -1 (logged) if malformed. */
  private static long age(String value) {
    int start = owsStart(value);
    long seconds = digitsSaturated(value, start, owsEnd(value, start));
    if (seconds < 0) ignored(AGE, value);
    return seconds;
  }

  /**
   * Returns the delay in nanoseconds (uncapped above, never negative), or -1 if not a valid Retry-After.
   * Delay-seconds count from receipt (RFC 9110 §10.2.3), so {@code Age} plays no part; an HTTP-date is absolute.
   */
  static long retryAfterNanos(String value, long nowEpochMillis) {
    return retryAfterNanos(value, nowEpochMillis, null);
  }

  /** As {@link #retryAfterNanos(String, long)}, reading "now" from {@code wallClock} if not null, and only then. */
  private static long retryAfterNanos(String value, long nowEpochMillis, Clock wallClock) {
    int start = owsStart(value);
    long seconds = digitsSaturated(value, start, owsEnd(value, start));
    if (seconds >= 0) {
      return secondsToNanos(seconds);
    }
    if (wallClock != null) {
      nowEpochMillis = wallClock.millis();
    }
    long date = HttpDate.parse(trimOws(value), nowEpochMillis);
    if (date == HttpDate.INVALID) {
      return INVALID;
    }
    return millisDelayToNanos(saturatedSubtract(date * 1000L, nowEpochMillis));
  }

  // ---- IETF draft fields ----

  /** The figures one parse reads: -1 while absent; counts in the server's units, durations in nanoseconds. */
  static final class Figures {
    long remaining = INVALID;
    long limit = INVALID;
    long reset = INVALID;
    long window = INVALID;
  }

  /** Reads the draft fields: the allocation-free fast path for their common shapes, else the full parser. */
  private static void readDraft(String rateLimit, String rateLimitPolicy, Figures f) {
    if ((rateLimit != null || rateLimitPolicy != null) && !readDraftFast(rateLimit, rateLimitPolicy, f)) {
      readDraftFull(rateLimit, rateLimitPolicy, f);
    }
  }

  /**
   * Reads the draft fields into {@code f} with {@link DraftScanner} if they have its common shapes (and no limit
   * is known beforehand, which changes how a policy is chosen); returns false, having changed nothing, if not.
   */
  static boolean readDraftFast(String rateLimit, String rateLimitPolicy, Figures f) {
    if (f.limit >= 0) {
      return false;
    }
    long service = DraftScanner.NO_POLICY; // none chosen
    if (rateLimit != null && (service = DraftScanner.services(rateLimit)) == DraftScanner.GIVE_UP) {
      return false;
    }
    long policy = DraftScanner.NO_POLICY;
    if (rateLimitPolicy != null) {
      policy = service == DraftScanner.NO_POLICY ? DraftScanner.policies(rateLimitPolicy, null, -1, -1)
          : DraftScanner.policies(rateLimitPolicy, rateLimit, DraftScanner.nameStart(service),
              DraftScanner.nameEnd(rateLimit, service));
      if (policy == DraftScanner.GIVE_UP) {
        return false;
      }
    }
    if (service != DraftScanner.NO_POLICY) {
      f.remaining = DraftScanner.first(rateLimit, service);
      long t = DraftScanner.second(rateLimit, service);
      if (t != DraftScanner.NONE) f.reset = secondsToNanos(t);
    }
    if (policy != DraftScanner.NO_POLICY) {
      f.limit = DraftScanner.first(rateLimitPolicy, policy);
      long w = DraftScanner.second(rateLimitPolicy, policy);
      if (w != DraftScanner.NONE) f.window = secondsToNanos(w);
    }
    return true;
  }

  /** Reads the draft fields with the full RFC 9651 parser (the reference the fast path must agree with). */
  static void readDraftFull(String rateLimit, String rateLimitPolicy, Figures f) {
    String policyName = null;
    if (rateLimit != null) {
      List<Object> services = StructuredFields.parseList(rateLimit);
      StructuredFields.Item chosen = services == null ? null : mostRestrictiveService(services);
      if (chosen != null) {
        policyName = name(chosen.value());
        f.remaining = chosen.integerParam("r");
        Long t = chosen.integerParam("t");
        if (t != null) f.reset = secondsToNanos(t);
      } else if (services == null) {
        if (!readDraft07(StructuredFields.parseDictionary(rateLimit), f)) ignored(RATELIMIT, rateLimit);
      } else if (!services.isEmpty()) {
        ignored(RATELIMIT, rateLimit);
      }
    }
    if (rateLimitPolicy != null) {
      List<Object> policies = StructuredFields.parseList(rateLimitPolicy);
      StructuredFields.Item policy = policies == null ? null : choosePolicy(policies, policyName, f.limit);
      if (policy != null) {
        if (f.limit < 0) f.limit = quota(policy);
        Long w = policy.integerParam("w");
        if (w != null) f.window = secondsToNanos(w);
      } else if (policies == null || !validPolicies(policies)) {
        ignored(RATELIMIT_POLICY, rateLimitPolicy);
      }
    }
  }

  /** Returns the item with the smallest r (ties: largest t), or null if the list is empty or malformed. */
  private static StructuredFields.Item mostRestrictiveService(List<Object> members) {
    StructuredFields.Item best = null;
    for (Object m : members) {
      if (!(m instanceof StructuredFields.Item item) || name(item.value()) == null) {
        return null;
      }
      Long r = item.integerParam("r");
      Object t = item.params().get("t");
      if (r == null || r < 0 || (t != null && !(t instanceof Long lt && lt >= 0))) {
        return null;
      }
      if (best == null || r < best.integerParam("r")
          || (r.equals(best.integerParam("r")) && reset(item) > reset(best))) {
        best = item;
      }
    }
    return best;
  }

  private static long reset(StructuredFields.Item service) {
    Long t = service.integerParam("t");
    return t == null ? -1 : t;
  }

  /**
   * Returns the policy named {@code name} if a name is given; else the one whose quota equals {@code limit};
   * else the one with the lowest rate. Null if none or the list is malformed.
   */
  private static StructuredFields.Item choosePolicy(List<Object> members, String name, long limit) {
    if (!validPolicies(members)) {
      return null;
    }
    if (name != null) {
      for (Object m : members) {
        StructuredFields.Item item = (StructuredFields.Item) m;
        if (name.equals(name(item.value()))) return item;
      }
      return null;
    }
    StructuredFields.Item best = null;
    for (Object m : members) {
      StructuredFields.Item item = (StructuredFields.Item) m;
      if (limit >= 0 && quota(item) == limit) return item;
      if (best == null || lowerRate(item, best)) best = item;
    }
    return best;
  }

  /** Returns true if every member is a policy item with a valid quota and, if given, a positive window. */
  private static boolean validPolicies(List<Object> members) {
    for (Object m : members) {
      if (!(m instanceof StructuredFields.Item item) || quota(item) < 0) {
        return false;
      }
      Object w = item.params().get("w");
      if (w != null && !(w instanceof Long lw && lw > 0)) {
        return false;
      }
    }
    return true;
  }

  /** Returns true if policy a allows less than policy b: q/w smaller; without w it ranks after, by q. */
  private static boolean lowerRate(StructuredFields.Item a, StructuredFields.Item b) {
    Long wa = a.integerParam("w");
    Long wb = b.integerParam("w");
    if (wa == null || wb == null) {
      return wa != null || (wb == null && quota(a) < quota(b));
    }
    // qa/wa < qb/wb  <=>  qa*wb < qb*wa, compared as 128-bit products (all factors < 2^50)
    long qa = quota(a);
    long qb = quota(b);
    int high = Long.compare(Math.multiplyHigh(qa, wb), Math.multiplyHigh(qb, wa));
    return high != 0 ? high < 0 : Long.compareUnsigned(qa * wb, qb * wa) < 0;
  }

  /** Returns the policy quota: {@code q} of a named item, the value of an Integer item; -1 if invalid. */
  private static long quota(StructuredFields.Item policy) {
    if (policy.value() instanceof Long l) {
      return l >= 0 ? l : INVALID;
    }
    Long q = policy.integerParam("q");
    return name(policy.value()) != null && q != null && q >= 0 ? q : INVALID;
  }

  /** Returns a policy name: an sf-string (as the draft requires) or, leniently, an sf-token; else null. */
  private static String name(Object bareItem) {
    if (bareItem instanceof String s) return s;
    if (bareItem instanceof StructuredFields.Token t) return t.value();
    return null;
  }

  /**
   * Reads draft-07 {@code RateLimit: limit=100, remaining=50, reset=5}, all or nothing; returns false if the
   * field is malformed or has none of those members.
   */
  private static boolean readDraft07(Map<String, Object> dictionary, Figures f) {
    if (dictionary == null) {
      return false;
    }
    long limit = draft07Member(dictionary, "limit");
    long remaining = draft07Member(dictionary, "remaining");
    long reset = draft07Member(dictionary, "reset");
    if (limit == -2 || remaining == -2 || reset == -2) {
      return false;
    }
    f.limit = limit;
    f.remaining = remaining;
    f.reset = reset < 0 ? INVALID : secondsToNanos(reset);
    return limit >= 0 || remaining >= 0 || reset >= 0;
  }

  private static void ignored(String field, String value) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("Ignoring malformed {} header: [{}]", field, value.length() > 200 ? value.substring(0, 200) : value);
    }
  }

  /** Returns the member's value, -1 if absent, -2 if present but not a non-negative Integer. */
  private static long draft07Member(Map<String, Object> dictionary, String key) {
    Object member = dictionary.get(key);
    if (member == null) {
      return -1;
    }
    return member instanceof StructuredFields.Item item && item.value() instanceof Long l && l >= 0 ? l : -2;
  }

  // ---- single-number fields ----

  private static long minCount(List<String> values) {
    long min = INVALID;
    for (String v : values) {
      long c = count(v);
      if (c >= 0 && (min < 0 || c < min)) min = c;
    }
    return min;
  }

  /** {@code RateLimit-Limit}: an Integer, or (draft -03) a List whose first item is the Integer limit. */
  private static long minLimit(List<String> values) {
    long min = INVALID;
    for (String v : values) {
      long c = limit(v);
      if (c >= 0 && (min < 0 || c < min)) min = c;
    }
    return min;
  }

  /** One {@code RateLimit-Limit} line: an Integer, or (draft -03) a List whose first item is it; -1 if neither. */
  private static long limit(String value) {
    long c = count(value);
    if (c < 0) {
      List<Object> list = StructuredFields.parseList(value);
      if (list != null && !list.isEmpty() && list.get(0) instanceof StructuredFields.Item item
          && item.value() instanceof Long l && l >= 0) {
        c = l;
      }
    }
    return c;
  }

  /** Returns a count of 1 to 15 digits, or -1. */
  static long count(String value) {
    int start = owsStart(value);
    int end = owsEnd(value, start);
    if (end - start > 15) {
      return INVALID;
    }
    long c = digitsSaturated(value, start, end); // -1 if empty
    return c > MAX_COUNT ? INVALID : c;
  }

  private static long maxReset(List<String> values, long nowEpochMillis) {
    long max = INVALID;
    for (String v : values) {
      max = Math.max(max, legacyResetNanos(v, nowEpochMillis));
    }
    return max;
  }

  /** Parses {@code RateLimit-Reset} / {@code X-RateLimit-Reset}: {@code 1*DIGIT ["." 1*DIGIT]}; -1 if invalid. */
  static long legacyResetNanos(String value, long nowEpochMillis) {
    return legacyResetNanos(value, nowEpochMillis, null);
  }

  /** As {@link #legacyResetNanos(String, long)}, reading "now" from {@code wallClock} if not null, and only then. */
  private static long legacyResetNanos(String value, long nowEpochMillis, Clock wallClock) {
    int start = owsStart(value);
    int length = owsEnd(value, start);
    int dot = value.indexOf('.', start);
    if (dot >= length) dot = -1;
    int end = dot < 0 ? length : dot;
    long seconds = digitsSaturated(value, start, end);
    if (seconds < 0) {
      return INVALID;
    }
    long fraction = 0;
    if (dot >= 0) {
      if (dot == length - 1 || digitsSaturated(value, dot + 1, length) < 0) {
        return INVALID;
      }
      int scale = 100_000_000;
      for (int i = dot + 1; i < length; i++, scale /= 10) {
        int digit = value.charAt(i) - '0';
        if (scale > 0) {
          fraction += digit * (long) scale;
        } else if (digit != 0) {
          fraction++; // below a nanosecond: round up, never early
          break;
        }
      }
    }
    if (wallClock != null && seconds >= EPOCH_THRESHOLD_SECONDS) {
      nowEpochMillis = wallClock.millis();
    }
    return legacyResetNanos(seconds, fraction, nowEpochMillis);
  }

  /**
   * Converts a reset of {@code seconds} plus {@code fractionNanos} to a delay in nanoseconds: epoch seconds if
   * {@code seconds >= EPOCH_THRESHOLD_SECONDS} (in the past: 0), else delay seconds. Never negative; may exceed
   * the 24-hour cap, which {@link RateLimitHeaders.Builder} applies.
   */
  static long legacyResetNanos(long seconds, long fractionNanos, long nowEpochMillis) {
    if (seconds < EPOCH_THRESHOLD_SECONDS) {
      return seconds * NANOS_PER_SECOND + fractionNanos;
    }
    long epochMillis = seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
    long delayMillis = saturatedSubtract(epochMillis, nowEpochMillis);
    if (delayMillis > MAX_DELAY_MILLIS) {
      return RateLimitHeaders.MAX_DELAY_NANOS;
    }
    if (delayMillis <= -1000) {
      return 0;
    }
    return Math.max(0, delayMillis * 1_000_000L + fractionNanos);
  }

  // ---- shared arithmetic (also used by RateLimitHeaderWriter, so both agree to the nanosecond) ----

  /** Returns {@code seconds * 10^9}, saturated at {@link Long#MAX_VALUE}; {@code seconds >= 0}. */
  static long secondsToNanos(long seconds) {
    return seconds > Long.MAX_VALUE / NANOS_PER_SECOND ? Long.MAX_VALUE : seconds * NANOS_PER_SECOND;
  }

  /** Returns ceil(nanos / 10^9) for {@code nanos >= 0}. */
  static long ceilSeconds(long nanos) {
    return nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1);
  }

  private static long millisDelayToNanos(long delayMillis) {
    if (delayMillis <= 0) return 0;
    return delayMillis > MAX_DELAY_MILLIS ? RateLimitHeaders.MAX_DELAY_NANOS : delayMillis * 1_000_000L;
  }

  private static long saturatedSubtract(long a, long b) {
    long r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      return a < b ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }

  /** Returns the value of {@code s[from, to)} if it is 1 or more ASCII digits, saturated; else -1. */
  private static long digitsSaturated(String s, int from, int to) {
    if (from >= to) {
      return INVALID;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return INVALID;
      }
      int d = c - '0';
      value = value > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : value * 10 + d;
    }
    return value;
  }

  private static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != ' ' && s.charAt(i) != '\t') return false;
    }
    return true;
  }

  private static String trimOws(String s) {
    int start = owsStart(s);
    return s.substring(start, owsEnd(s, start));
  }

  /** Returns the index of the first character of {@code s} that is not SP or HTAB (its length if none). */
  private static int owsStart(String s) {
    int start = 0;
    while (start < s.length() && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) start++;
    return start;
  }

  /** Returns the index after the last character of {@code s} that is not SP or HTAB, at least {@code start}. */
  private static int owsEnd(String s, int start) {
    int end = s.length();
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) end--;
    return end;
  }

  private static List<String> values(Function<String, ? extends List<String>> lookup, String name) {
    List<String> values = lookup.apply(name);
    if (values == null || values.isEmpty()) {
      return List.of();
    }
    if (values.size() == 1 && values.get(0) != null && !isBlank(values.get(0))) {
      return values; // the common case: nothing to filter
    }
    List<String> nonBlank = new ArrayList<>(values.size());
    for (String v : values) {
      if (v != null && !isBlank(v)) nonBlank.add(v);
    }
    return nonBlank;
  }

  /** Returns the non-blank lines of a List field joined with ", " (RFC 9651 §4.2), or null if none. */
  private static String joined(Function<String, ? extends List<String>> lookup, String name) {
    List<String> lines = values(lookup, name);
    return lines.isEmpty() ? null : lines.size() == 1 ? lines.get(0) : String.join(", ", lines);
  }
}
