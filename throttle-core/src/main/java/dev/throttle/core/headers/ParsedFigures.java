package dev.throttle.core.headers;

/**
 * The figures one parse of a response reads (each -1 while absent; counts in the server's units, durations in
 * nanoseconds), and the allocation-free fast path for the common shapes of the IETF draft fields.
 *
 * <p>{@link #readDraftFast(String, String)} reads {@code RateLimit} and {@code RateLimit-Policy} straight from
 * the field strings, without building RFC 9651 list, item, parameter or string objects, when both are Lists of
 * Items whose bare items are sf-strings without escapes, tokens or (for a policy) Integers, whose parameters have
 * Integer or Boolean values, and whose members are all valid ({@code r >= 0}, {@code t >= 0}, {@code q >= 0},
 * {@code w > 0}). Anything else (inner lists, decimals, byte sequences such as {@code pk}, escapes, syntax errors,
 * invalid members, the draft-07 dictionary) makes it give up without changing anything, and
 * {@link RateLimitHeaderParser} then runs the full parser on both fields: the result is the same either way
 * (checked by {@code DraftFastPathProperties}).
 *
 * <p>Not thread-safe: one instance per parse.
 */
final class ParsedFigures {

  /** A figure not (yet) read. */
  static final long ABSENT = -1;

  /** An Integer parameter that was not sent (sf-integers are within ±999,999,999,999,999). */
  private static final long NO_PARAM = Long.MIN_VALUE;

  long remaining = ABSENT;
  long limit = ABSENT;
  long reset = ABSENT;
  long window = ABSENT;

  // ---- the fast scanner's state: the field being read, and what its current member holds ----
  private String s;
  private int pos;
  /** The member's name as {@code s[nameStart, nameEnd)}; nameStart < 0 for an Integer item. */
  private int nameStart;
  private int nameEnd;
  /** The member's value if it is an Integer item. */
  private long itemValue;
  /** The member's two wanted Integer parameters ({@code r, t} or {@code q, w}); NO_PARAM if not sent. */
  private long param1;
  private long param2;

  /**
   * Reads the draft fields of the common shapes into this object's figures, as
   * {@code RateLimitHeaderParser.readDraftFull} would; returns false, having changed no figure, for anything
   * else (see the class documentation).
   *
   * @param rateLimit the {@code RateLimit} field (non-blank lines joined), or null if absent
   * @param rateLimitPolicy the {@code RateLimit-Policy} field, or null if absent
   */
  boolean readDraftFast(String rateLimit, String rateLimitPolicy) {
    if (limit >= 0) {
      return false; // a limit known beforehand changes how a policy is chosen: not a case for the fast path
    }
    // the most restrictive service: the smallest r, ties the largest t (absent t ranks as -1), first one wins
    long r = NO_PARAM;
    long t = NO_PARAM;
    int serviceStart = -1;
    int serviceEnd = -1;
    if (rateLimit != null) {
      if (!startList(rateLimit)) {
        return false;
      }
      do {
        if (!member('r', 't') || nameStart < 0 || param1 < 0 || (param2 != NO_PARAM && param2 < 0)) {
          return false; // unusual, or an invalid service (the full parser logs it)
        }
        if (serviceStart < 0 || param1 < r || (param1 == r && resetOf(param2) > resetOf(t))) {
          r = param1;
          t = param2;
          serviceStart = nameStart;
          serviceEnd = nameEnd;
        }
      } while (nextMember());
      if (pos < 0) {
        return false;
      }
    }
    // the policy: the one named like the service if there is one (none if no name matches), else the lowest rate
    long q = NO_PARAM;
    long w = NO_PARAM;
    boolean policyFound = false;
    if (rateLimitPolicy != null) {
      if (!startList(rateLimitPolicy)) {
        return false;
      }
      do {
        if (!member('q', 'w')) {
          return false;
        }
        long quota = nameStart < 0 ? itemValue : param1;
        if (quota < 0 || (param2 != NO_PARAM && param2 <= 0)) {
          return false; // an invalid policy (or a named one without q): the full parser decides and logs
        }
        if (serviceStart >= 0) {
          if (!policyFound && nameStart >= 0 && nameEnd - nameStart == serviceEnd - serviceStart
              && rateLimitPolicy.regionMatches(nameStart, rateLimit, serviceStart, serviceEnd - serviceStart)) {
            policyFound = true;
            q = quota;
            w = param2;
          }
        } else if (!policyFound || lowerRate(quota, param2, q, w)) {
          policyFound = true;
          q = quota;
          w = param2;
        }
      } while (nextMember());
      if (pos < 0) {
        return false;
      }
    }
    if (serviceStart >= 0) {
      remaining = r;
      if (t != NO_PARAM) reset = RateLimitHeaderParser.secondsToNanos(t);
    }
    if (policyFound) {
      if (limit < 0) limit = q;
      if (w != NO_PARAM) window = RateLimitHeaderParser.secondsToNanos(w);
    }
    s = null;
    return true;
  }

  private static long resetOf(long t) {
    return t == NO_PARAM ? -1 : t;
  }

  /**
   * Returns true if policy a ({@code qa} per {@code wa} seconds) allows less than b, as the full parser ranks
   * them: q/w smaller; without w a policy ranks after those with one, by q.
   */
  private static boolean lowerRate(long qa, long wa, long qb, long wb) {
    if (wa == NO_PARAM || wb == NO_PARAM) {
      return wa != NO_PARAM || (wb == NO_PARAM && qa < qb);
    }
    int high = Long.compare(Math.multiplyHigh(qa, wb), Math.multiplyHigh(qb, wa));
    return high != 0 ? high < 0 : Long.compareUnsigned(qa * wb, qb * wa) < 0;
  }

  // ---- the scanner: a subset of RFC 9651 §4.2 as StructuredFields implements it; false = not handled ----

  /** Starts reading an sf-list; false if it is empty or starts with an inner list. */
  private boolean startList(String field) {
    s = field;
    pos = 0;
    skipSp();
    return pos < s.length() && s.charAt(pos) != '(';
  }

  /**
   * After a member: returns true if another follows (consumed {@code OWS "," OWS}), false at the end of the field
   * (pos stays) or if what follows is not a separator (pos becomes -1).
   */
  private boolean nextMember() {
    skipOws();
    if (pos >= s.length()) {
      return false;
    }
    if (s.charAt(pos) != ',') {
      pos = -1;
      return false;
    }
    pos++;
    skipOws();
    if (pos >= s.length() || s.charAt(pos) == '(') {
      pos = -1; // a trailing comma (invalid) or an inner list (not handled)
      return false;
    }
    return true;
  }

  /**
   * Reads one Item: an sf-string without escapes, a token or an Integer, then its parameters, keeping the
   * Integer values of keys {@code k1} and {@code k2}; false if it is anything else.
   */
  private boolean member(char k1, char k2) {
    char c = s.charAt(pos);
    if (c == '"') {
      int start = ++pos;
      while (true) {
        if (pos >= s.length()) {
          return false;
        }
        c = s.charAt(pos);
        if (c == '"') {
          break;
        }
        if (c == '\\' || c < 0x20 || c > 0x7e) {
          return false; // an escape (the full parser unescapes into a new string) or invalid
        }
        pos++;
      }
      nameStart = start;
      nameEnd = pos++;
    } else if (c == '*' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      nameStart = pos++;
      while (pos < s.length() && isTokenChar(s.charAt(pos))) {
        pos++;
      }
      nameEnd = pos;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      long value = integer();
      if (value == NO_PARAM) {
        return false;
      }
      nameStart = -1;
      itemValue = value;
    } else {
      return false;
    }
    param1 = NO_PARAM;
    param2 = NO_PARAM;
    while (pos < s.length() && s.charAt(pos) == ';') {
      pos++;
      skipSp();
      if (pos >= s.length()) {
        return false;
      }
      int keyStart = pos;
      c = s.charAt(pos);
      if (!(c >= 'a' && c <= 'z') && c != '*') {
        return false;
      }
      pos++;
      while (pos < s.length() && isKeyChar(s.charAt(pos))) {
        pos++;
      }
      int wanted = pos - keyStart != 1 ? 0 : c == k1 ? 1 : c == k2 ? 2 : 0;
      if (pos < s.length() && s.charAt(pos) == '=') {
        pos++;
        if (pos >= s.length()) {
          return false;
        }
        c = s.charAt(pos);
        if (c != '-' && (c < '0' || c > '9')) {
          return false; // a String, Token, Boolean, Decimal, Byte Sequence... value: the full parser reads it
        }
        long value = integer();
        if (value == NO_PARAM) {
          return false;
        }
        if (wanted == 1) {
          param1 = value; // a repeated key keeps its last value
        } else if (wanted == 2) {
          param2 = value;
        }
      } else if (wanted != 0) {
        return false; // a wanted key that is Boolean true: invalid as a figure
      }
    }
    return true;
  }

  /** Reads an sf-integer at pos (known to start with '-' or a digit); NO_PARAM if invalid or a Decimal. */
  private long integer() {
    boolean negative = s.charAt(pos) == '-';
    if (negative) {
      pos++;
    }
    long value = 0;
    int digits = 0;
    char c;
    while (pos < s.length() && (c = s.charAt(pos)) >= '0' && c <= '9') {
      if (++digits > 15) {
        return NO_PARAM;
      }
      value = value * 10 + (c - '0');
      pos++;
    }
    if (digits == 0 || (pos < s.length() && s.charAt(pos) == '.')) {
      return NO_PARAM;
    }
    return negative ? -value : value;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*';
  }

  private static boolean isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~', ':', '/':
        return true;
      default:
        return false;
    }
  }

  private void skipSp() {
    while (pos < s.length() && s.charAt(pos) == ' ') pos++;
  }

  private void skipOws() {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
  }
}
