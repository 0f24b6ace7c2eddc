package dev.throttle.core.headers;

/**
 * The allocation-free fast path for the common shapes of the IETF draft fields {@code RateLimit} and
 * {@code RateLimit-Policy}: reads them straight from the field strings, without building RFC 9651 list, item,
 * parameter or string objects, when they are Lists of Items whose bare items are sf-strings without escapes,
 * tokens or (for a policy) Integers, whose parameters have Integer or Boolean values, and whose members are all
 * valid ({@code r >= 0}, {@code t >= 0}, {@code q >= 0}, {@code w > 0}). Anything else (inner lists, decimals,
 * byte sequences such as {@code pk}, escapes, syntax errors, invalid members, the draft-07 dictionary) makes it
 * return false, and {@link RateLimitHeaderParser} then runs the full parser on both fields: the result is the
 * same either way (checked by {@code DraftFastPathProperties}).
 *
 * <p>One small object (its state: the field, a position, the current member's name and two parameters) so that
 * a parse allocates nothing else. Not thread-safe: one instance per parse.
 */
final class DraftScanner {

  /** An Integer parameter (or policy) that was not sent (sf-integers are within ±999,999,999,999,999). */
  static final long NONE = Long.MIN_VALUE;

  private String s;
  private int pos;
  /** After {@link #services}: the chosen service's name as {@code field[nameStart, nameEnd)}. */
  int nameStart;
  int nameEnd;
  /**
   * After {@link #services}: the chosen service's {@code r}; after {@link #policies}: the chosen policy's quota,
   * {@link #NONE} if no policy was chosen. During a scan: the member's first wanted parameter (or Integer value).
   */
  long param1;
  /** After {@link #services}: its {@code t}; after {@link #policies}: its {@code w}; {@link #NONE} if absent. */
  long param2;

  /**
   * Reads a {@code RateLimit} field and chooses its most restrictive service, as the full parser does: the
   * smallest {@code r}, ties the largest {@code t} (an absent one ranks as -1), the first of equals.
   *
   * @param rateLimit the field, not blank
   * @return true if handled: the chosen service is in {@link #nameStart}, {@link #nameEnd}, {@link #param1} and
   *     {@link #param2}; false if the full parser must read it (then the fields mean nothing)
   */
  boolean services(String rateLimit) {
    long r = NONE;
    long t = NONE;
    int serviceStart = -1;
    int serviceEnd = -1;
    if (!startList(rateLimit)) {
      return false;
    }
    do {
      if (!member('r', 't') || nameStart < 0 || param1 < 0 || (param2 != NONE && param2 < 0)) {
        return false; // unusual, or an invalid service (the full parser logs it)
      }
      if (serviceStart < 0 || param1 < r || (param1 == r && resetOf(param2) > resetOf(t))) {
        r = param1;
        t = param2;
        serviceStart = nameStart;
        serviceEnd = nameEnd;
      }
    } while (nextMember());
    s = null;
    if (pos < 0) {
      return false;
    }
    nameStart = serviceStart;
    nameEnd = serviceEnd;
    param1 = r;
    param2 = t;
    return true;
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
   * @return true if handled: the chosen policy's quota in {@link #param1} ({@link #NONE} if no policy was
   *     chosen) and its window in {@link #param2}; false if the full parser must read it
   */
  boolean policies(String policy, String rateLimit, int serviceStart, int serviceEnd) {
    long q = NONE;
    long w = NONE;
    if (!startList(policy)) {
      return false;
    }
    do {
      if (!member('q', 'w')) {
        return false;
      }
      long quota = param1; // q of a named policy, or the value of an Integer one
      if (quota < 0 || (param2 != NONE && param2 <= 0)) {
        return false; // an invalid policy (or a named one without q): the full parser decides and logs
      }
      if (serviceStart >= 0) {
        if (q == NONE && nameStart >= 0 && nameEnd - nameStart == serviceEnd - serviceStart
            && policy.regionMatches(nameStart, rateLimit, serviceStart, serviceEnd - serviceStart)) {
          q = quota;
          w = param2;
        }
      } else if (q == NONE || lowerRate(quota, param2, q, w)) {
        q = quota;
        w = param2;
      }
    } while (nextMember());
    s = null;
    if (pos < 0) {
      return false;
    }
    param1 = q;
    param2 = w;
    return true;
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
   * Integer values of keys {@code k1} and {@code k2} in param1 and param2 (an Integer item's own value in place
   * of k1's, with nameStart -1); false if it is anything else.
   */
  private boolean member(char k1, char k2) {
    final String s = this.s; // locals: the JIT keeps them in registers across the loops
    final int n = s.length();
    int p = pos;
    boolean integerItem = false;
    long itemValue = NONE;
    char c = s.charAt(p);
    if (c == '"') {
      int start = ++p;
      while (true) {
        if (p >= n) {
          return false;
        }
        c = s.charAt(p);
        if (c == '"') {
          break;
        }
        if (c == '\\' || c < 0x20 || c > 0x7e) {
          return false; // an escape (the full parser unescapes into a new string) or invalid
        }
        p++;
      }
      nameStart = start;
      nameEnd = p++;
    } else if (c == '*' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      int start = p++;
      while (p < n && isTokenChar(s.charAt(p))) {
        p++;
      }
      nameStart = start;
      nameEnd = p;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      pos = p;
      long value = integer();
      if (value == NONE) {
        return false;
      }
      p = pos;
      nameStart = -1;
      integerItem = true;
      itemValue = value;
    } else {
      return false;
    }
    long v1 = integerItem ? itemValue : NONE;
    long v2 = NONE;
    while (p < n && s.charAt(p) == ';') {
      p++;
      while (p < n && s.charAt(p) == ' ') p++;
      if (p >= n) {
        return false;
      }
      int keyStart = p;
      c = s.charAt(p);
      if (!(c >= 'a' && c <= 'z') && c != '*') {
        return false;
      }
      p++;
      while (p < n && isKeyChar(s.charAt(p))) {
        p++;
      }
      // k1 of an Integer item is not read (its quota is its value), so it may be anything
      int wanted = p - keyStart != 1 ? 0 : c == k1 ? (integerItem ? -1 : 1) : c == k2 ? 2 : 0;
      if (p < n && s.charAt(p) == '=') {
        p++;
        if (p >= n) {
          return false;
        }
        c = s.charAt(p);
        if (c != '-' && (c < '0' || c > '9')) {
          return false; // a String, Token, Boolean, Decimal, Byte Sequence... value: the full parser reads it
        }
        pos = p;
        long value = integer();
        if (value == NONE) {
          return false;
        }
        p = pos;
        if (wanted == 1) {
          v1 = value; // a repeated key keeps its last value
        } else if (wanted == 2) {
          v2 = value;
        }
      } else if (wanted > 0) {
        return false; // a wanted key that is Boolean true: invalid as a figure
      }
    }
    pos = p;
    param1 = v1;
    param2 = v2;
    return true;
  }

  /** Reads an sf-integer at pos (known to start with '-' or a digit); NONE if invalid or a Decimal. */
  private long integer() {
    final String s = this.s;
    final int n = s.length();
    int p = pos;
    boolean negative = s.charAt(p) == '-';
    if (negative) {
      p++;
    }
    long value = 0;
    int start = p;
    char c;
    while (p < n && (c = s.charAt(p)) >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      p++;
    }
    pos = p;
    int digits = p - start;
    if (digits == 0 || digits > 15 || (p < n && s.charAt(p) == '.')) {
      return NONE;
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
