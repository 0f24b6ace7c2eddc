package dev.throttle.sim.engine;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;

import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.server.HeaderDialects;
import dev.throttle.sim.server.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The header strings of one response as name/value pairs ({@code [name0, value0, name1, value1, …]}), written by
 * {@link HeaderDialects} and read back by the real {@link RateLimitHeaderParser} with case-insensitive names, as
 * an HTTP client would.
 *
 * <p>Parsing is memoised per run: a response whose header text is byte for byte one already parsed (and, for
 * dialects with epoch or date values, received at the same millisecond) gets the parser's earlier answer, since
 * the parser is a pure function of the text and the receive time. At most {@value #CACHE_SIZE} texts are kept;
 * the cache is emptied when full. Every distinct text still goes through the parser. Not thread-safe.
 */
final class HeaderBlock {

  static final int CACHE_SIZE = 4096;

  private final List<String> pairs = new ArrayList<>(14);
  private final Map<String, RateLimitHeaders> cache = new HashMap<>();

  /** Writes the response in the dialect; returns the pairs (null when there are none). */
  String[] write(Dialect dialect, Response response, long nowNanos) {
    if (dialect == Dialect.NONE) {
      return null;
    }
    pairs.clear();
    HeaderDialects.write(dialect, response, nowNanos, (name, value) -> {
      pairs.add(name);
      pairs.add(value);
    });
    return pairs.isEmpty() ? null : pairs.toArray(new String[0]);
  }

  /**
   * Parses the pairs as a client receiving them at {@code nowEpochMillis}, through the memo.
   *
   * @param timeDependent true if the dialect carries epoch seconds or dates (the receive time is then part of
   *     the key)
   */
  RateLimitHeaders parseCached(String[] pairs, long nowEpochMillis, boolean timeDependent) {
    if (pairs == null) {
      return RateLimitHeaders.EMPTY;
    }
    StringBuilder key = new StringBuilder(128);
    if (timeDependent) {
      key.append(nowEpochMillis).append('\n');
    }
    for (String p : pairs) {
      key.append(p).append('\n');
    }
    String k = key.toString();
    RateLimitHeaders info = cache.get(k);
    if (info == null) {
      info = parse(pairs, nowEpochMillis);
      if (cache.size() >= CACHE_SIZE) {
        cache.clear();
      }
      cache.put(k, info);
    }
    return info;
  }

  /** Parses the pairs as a client receiving them at {@code nowEpochMillis}. */
  static RateLimitHeaders parse(String[] pairs, long nowEpochMillis) {
    if (pairs == null) {
      return RateLimitHeaders.EMPTY;
    }
    return RateLimitHeaderParser.parseAll(name -> {
      List<String> values = null;
      for (int i = 0; i < pairs.length; i += 2) {
        if (pairs[i].equalsIgnoreCase(name)) {
          if (values == null) {
            values = new ArrayList<>(1);
          }
          values.add(pairs[i + 1]);
        }
      }
      return values;
    }, nowEpochMillis);
  }
}
