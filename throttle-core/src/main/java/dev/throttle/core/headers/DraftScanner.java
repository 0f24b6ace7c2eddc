package dev.throttle.core.headers;

/**
 * The allocation-free fast path for the common shapes of the IETF draft fields {@code RateLimit} and
 * {@code RateLimit-Policy}: reads them straight from the field strings, without building RFC 9651 list, item,
 * parameter or string objects, when they are Lists of Items whose bare items are sf-strings without escapes,
 * tokens or (for a policy) Integers, whose parameters have Integer or Boolean values, and whose members are all
 * valid ({@code r >= 0}, {@code t >= 0}, {@code q >= 0}, {@code w > 0}). Anything else (inner lists, decimals,
 * byte sequences such as {@code pk}, escapes, syntax errors, invalid members, the draft-07 dictionary, fields
 * longer than 32,767 characters) makes it give up, and {@link RateLimitHeaderParser} then runs the full parser
 * on both fields: the result is the same either way (checked by {@code DraftFastPathProperties}).
 *
 * <p>Static and allocation-free: a member is described by a {@code long} holding positions in its field (where
 * it ends, where its name starts, where the values of the two wanted parameters start, whether the name is
 * quoted or the item an Integer), and the figures are read from those positions when needed. Thread-safe.
 */
final class DraftScanner {

  /** An Integer parameter (or policy) that was not sent (sf-integers are within ±999,999,999,999,999). */
  static final long NONE = Long.MIN_VALUE;

  /** The scan is not handled: the full parser must read the fields. */
  static final long GIVE_UP = -1;

  /** No policy was chosen (none named like the service). */
  static final long NO_POLICY = 0;

  private static final int BITS = 15;
  private static final int MASK = (1 << BITS) - 1;
  private static final int MAX_LENGTH = MASK;
  private static final int END = 0;
  private static final int NAME = BITS;
  private static final int VALUE1 = 2 * BITS;
  private static final int VALUE2 = 3 * BITS;
  private static final long QUOTED = 1L << (4 * BITS);
  private static final long INTEGER_ITEM = 1L << (4 * BITS + 1);

  private DraftScanner() {}

  /**
   * Reads a {@code RateLimit} field and chooses its most restrictive service, as the full parser does: the
   * smallest {@code r}, ties the largest {@code t} (an absent one ranks as -1), the first of equals.
   *
   * @param rateLimit the field, not blank
   * @return the chosen service (read it with {@link #first}, {@link #second}, {@link #nameStart},
   *     {@link #nameEnd}), or {@link #GIVE_UP}
   */
  static long services(String rateLimit) {
    long best = GIVE_UP;
    long bestR = NONE;
    long bestT = NONE;
    int p = listStart(rateLimit);
    if (p < 0) {
      return GIVE_UP;
    }
    while (true) {
      long d = member(rateLimit, p, 'r', 't');
      if (d == GIVE_UP || (d & INTEGER_ITEM) != 0) {
        return GIVE_UP;
      }
      int rAt = (int) (d >>> VALUE1) & MASK;
      int tAt = (int) (d >>> VALUE2) & MASK;
      if (rAt == 0 || !nonNegative(rateLimit, rAt) || (tAt != 0 && !nonNegative(rateLimit, tAt))) {
        return GIVE_UP; // r absent or negative, t negative: an invalid service (the full parser logs it)
      }
      if (best == GIVE_UP) {
        best = d; // the values are read only if another service competes (the usual field has one)
      } else {
        if (bestR == NONE) {
          bestR = first(rateLimit, best);
          bestT = second(rateLimit, best);
        }
        long r = first(rateLimit, d);
        long t = second(rateLimit, d);
        if (r < bestR || (r == bestR && resetOf(t) > resetOf(bestT))) {
          best = d;
          bestR = r;
          bestT = t;
        }
      }
      p = nextMember(rateLimit, (int) (d >>> END) & MASK);
      if (p == rateLimit.length()) {
        return best;
      }
      if (p < 0) {
        return GIVE_UP;
      }
    }
  }

  /**
   * Reads a {@code RateLimit-Policy} field and chooses a policy as the full parser does: the one named like the
   * service if a service was chosen (none if no name matches), else the lowest rate (q/w; those without w after,
   * by q).
   *
   * @param policy the field, not blank
   * @param rateLimit the {@code RateLimit} field holding the service's name, or null if none was chosen
   * @param serviceStart where the service's name starts in {@code rateLimit} (-1 if none was chosen)
   * @param serviceEnd where it ends
   * @return the chosen policy (its quota by {@link #first}, its window by {@link #second}), {@link #NO_POLICY},
   *     or {@link #GIVE_UP}
   */
  static long policies(String policy, String rateLimit, int serviceStart, int serviceEnd) {
    long chosen = NO_POLICY;
    long bestQ = NONE;
    long bestW = NONE;
    int p = listStart(policy);
    if (p < 0) {
      return GIVE_UP;
    }
    while (true) {
      long d = member(policy, p, 'q', 'w');
      if (d == GIVE_UP) {
        return GIVE_UP;
      }
      // the quota: q of a named policy, or the value of an Integer one
      int qAt = (d & INTEGER_ITEM) != 0 ? nameStart(d) : (int) (d >>> VALUE1) & MASK;
      int wAt = (int) (d >>> VALUE2) & MASK;
      if ((qAt == 0 && (d & INTEGER_ITEM) == 0) || !nonNegative(policy, qAt)
          || (wAt != 0 && !positive(policy, wAt))) {
        return GIVE_UP; // an invalid policy (or a named one without q): the full parser decides and logs
      }
      if (serviceStart >= 0) {
        if (chosen == NO_POLICY && (d & INTEGER_ITEM) == 0) {
          int start = nameStart(d);
          int length = nameEnd(policy, d) - start;
          if (length == serviceEnd - serviceStart
              && policy.regionMatches(start, rateLimit, serviceStart, length)) {
            chosen = d;
          }
        }
      } else if (chosen == NO_POLICY) {
        chosen = d; // the values are read only if another policy competes
      } else {
        if (bestQ == NONE) {
          bestQ = first(policy, chosen);
          bestW = second(policy, chosen);
        }
        long quota = first(policy, d);
        long w = second(policy, d);
        if (lowerRate(quota, w, bestQ, bestW)) {
          chosen = d;
          bestQ = quota;
          bestW = w;
        }
      }
      p = nextMember(policy, (int) (d >>> END) & MASK);
      if (p == policy.length()) {
        return chosen;
      }
      if (p < 0) {
        return GIVE_UP;
      }
    }
  }

  /**
   * Returns a member's first wanted value: {@code r} of a service, the quota of a policy ({@code q}, or the value
   * of an Integer item); {@link #NONE} if not sent.
   */
  static long first(String field, long member) {
    int at = (member & INTEGER_ITEM) != 0 ? nameStart(member) : (int) (member >>> VALUE1) & MASK;
    return at == 0 && (member & INTEGER_ITEM) == 0 ? NONE : integerAt(field, at);
  }

  /** Returns a member's second wanted value: {@code t} of a service, {@code w} of a policy; NONE if not sent. */
  static long second(String field, long member) {
    int at = (int) (member >>> VALUE2) & MASK;
    return at == 0 ? NONE : integerAt(field, at);
  }

  /** Returns where a member's name (or Integer value) starts in its field. */
  static int nameStart(long member) {
    return (int) (member >>> NAME) & MASK;
  }

  /** Returns where a member's name ends in its field (exclusive). */
  static int nameEnd(String field, long member) {
    int p = nameStart(member);
    if ((member & QUOTED) != 0) {
      return field.indexOf('"', p); // no escapes in a name the scanner accepted
    }
    while (p < field.length() && isTokenChar(field.charAt(p))) {
      p++;
    }
    return p;
  }

  private static long resetOf(long t) {
    return t == NONE ? -1 : t;
  }

  /**
   * Returns true if policy a ({@code qa} per {@code wa} seconds) allows less than b, as the full parser ranks
   * them: q/w smaller; without w a policy ranks after those with one, by q.
   */
  private static boolean lowerRate(long qa, long wa, long qb, long wb) {
    if (wa == NONE || wb == NONE) {
      return wa != NONE || (wb == NONE && qa < qb);
    }
    int high = Long.compare(Math.multiplyHigh(qa, wb), Math.multiplyHigh(qb, wa));
    return high != 0 ? high < 0 : Long.compareUnsigned(qa * wb, qb * wa) < 0;
  }

  // ---- the scanner: a subset of RFC 9651 §4.2 as StructuredFields implements it ----

  /** Returns where an sf-list's first member starts, or -1 if it is empty, too long or starts an inner list. */
  private static int listStart(String s) {
    int n = s.length();
    if (n > MAX_LENGTH) {
      return -1;
    }
    int p = 0;
    while (p < n && s.charAt(p) == ' ') p++;
    return p < n && s.charAt(p) != '(' ? p : -1;
  }

  /**
   * After a member ending at {@code p}: returns the field's length at its end, where the next member starts
   * after {@code OWS "," OWS}, or -1 if what follows is not a separator, is a trailing comma (invalid) or an
   * inner list (not handled).
   */
  private static int nextMember(String s, int p) {
    int n = s.length();
    while (p < n && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) p++;
    if (p == n) {
      return n;
    }
    if (s.charAt(p) != ',') {
      return -1;
    }
    p++;
    while (p < n && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) p++;
    return p < n && s.charAt(p) != '(' ? p : -1;
  }

  /**
   * Reads one Item at {@code p}: an sf-string without escapes, a token or an Integer, then its parameters.
   * Returns its description (where it ends, where its name or Integer value starts, where the last values of
   * keys {@code k1} and {@code k2} start, 0 if not sent; an Integer item's {@code k1} is not read), or
   * {@link #GIVE_UP} if it is anything else.
   */
  private static long member(String s, int p, char k1, char k2) {
    final int n = s.length();
    long flags = 0;
    int name;
    char c = s.charAt(p);
    if (c == '"') {
      name = ++p;
      while (true) {
        if (p >= n) {
          return GIVE_UP;
        }
        c = s.charAt(p);
        if (c == '"') {
          break;
        }
        if (c == '\\' || c < 0x20 || c > 0x7e) {
          return GIVE_UP; // an escape (the full parser unescapes into a new string) or invalid
        }
        p++;
      }
      p++;
      flags = QUOTED;
    } else if (c == '*' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      name = p++;
      while (p < n && isTokenChar(s.charAt(p))) {
        p++;
      }
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      name = p;
      p = integerEnd(s, p);
      if (p < 0) {
        return GIVE_UP;
      }
      flags = INTEGER_ITEM;
    } else {
      return GIVE_UP;
    }
    int value1 = 0;
    int value2 = 0;
    while (p < n && s.charAt(p) == ';') {
      p++;
      while (p < n && s.charAt(p) == ' ') p++;
      if (p >= n) {
        return GIVE_UP;
      }
      int keyStart = p;
      c = s.charAt(p);
      if (!(c >= 'a' && c <= 'z') && c != '*') {
        return GIVE_UP;
      }
      p++;
      while (p < n && isKeyChar(s.charAt(p))) {
        p++;
      }
      // k1 of an Integer item is not read (its quota is its value), so it may be anything
      int wanted = p - keyStart != 1 ? 0 : c == k1 ? (flags == INTEGER_ITEM ? -1 : 1) : c == k2 ? 2 : 0;
      if (p < n && s.charAt(p) == '=') {
        p++;
        int valueStart = p;
        p = p < n ? integerEnd(s, p) : -1;
        if (p < 0) {
          return GIVE_UP; // a String, Token, Boolean, Decimal, Byte Sequence... value: the full parser reads it
        }
        if (wanted == 1) {
          value1 = valueStart; // a repeated key keeps its last value
        } else if (wanted == 2) {
          value2 = valueStart;
        }
      } else if (wanted > 0) {
        return GIVE_UP; // a wanted key that is Boolean true: invalid as a figure
      }
    }
    return flags | (long) value2 << VALUE2 | (long) value1 << VALUE1 | (long) name << NAME | p;
  }

  /**
   * Returns where the sf-integer at {@code p} ends, or -1 if there is none (or a Decimal, or more than 15
   * digits).
   */
  private static int integerEnd(String s, int p) {
    int n = s.length();
    char c = s.charAt(p);
    if (c == '-') {
      p++;
    } else if (c < '0' || c > '9') {
      return -1;
    }
    int start = p;
    while (p < n && (c = s.charAt(p)) >= '0' && c <= '9') {
      p++;
    }
    int digits = p - start;
    return digits == 0 || digits > 15 || (p < n && s.charAt(p) == '.') ? -1 : p;
  }

  /** Returns whether the sf-integer at {@code p} is at least 0 ({@code -0} is). */
  private static boolean nonNegative(String s, int p) {
    return s.charAt(p) != '-' || integerAt(s, p) == 0;
  }

  /** Returns whether the sf-integer at {@code p} is above 0. */
  private static boolean positive(String s, int p) {
    if (s.charAt(p) == '-') {
      return false;
    }
    for (char c; p < s.length() && (c = s.charAt(p)) >= '0' && c <= '9'; p++) {
      if (c != '0') {
        return true;
      }
    }
    return false;
  }

  /** Returns the value of the sf-integer at {@code p}, which {@link #integerEnd} accepted. */
  private static long integerAt(String s, int p) {
    boolean negative = s.charAt(p) == '-';
    if (negative) {
      p++;
    }
    long value = 0;
    char c;
    while (p < s.length() && (c = s.charAt(p)) >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      p++;
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
}
