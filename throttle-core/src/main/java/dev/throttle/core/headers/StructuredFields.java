package dev.throttle.core.headers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for RFC 9651 Structured Field Values: Lists and Dictionaries of Items with parameters, as
 * the RateLimit header fields use them. Follows the parsing algorithms of RFC 9651 §4.2: any syntax error makes
 * the whole field invalid ({@code null}), integers are limited to 15 digits, strings to printable ASCII with
 * {@code \"} and {@code \\} escapes; a parameter or dictionary key given twice keeps its last value.
 *
 * <p>Bare items are represented as: Integer → {@link Long}, String → {@link String}, Token → {@link Token},
 * Boolean → {@link Boolean}, and Decimal, Byte Sequence, Date, Display String → {@link Other} (validated, value
 * not needed here). Inner lists are {@link InnerList}. Stateless API, thread-safe.
 */
final class StructuredFields {

  /** An sf-token. */
  record Token(String value) {}

  /** A bare item whose value this library does not use (decimal, byte sequence, date, display string). */
  record Other(String text) {}

  /** An item: a bare item and its parameters (key → bare item, in order). */
  record Item(Object value, Map<String, Object> params) {

    /** Returns the parameter if it is an Integer, else null. */
    Long integerParam(String key) {
      return params.get(key) instanceof Long l ? l : null;
    }
  }

  /** An inner list with its parameters. */
  record InnerList(List<Item> items, Map<String, Object> params) {}

  private static final class Invalid extends RuntimeException {
    Invalid() {
      super(null, null, false, false);
    }
  }

  private static final Invalid INVALID = new Invalid();

  private final String s;
  private int pos;

  private StructuredFields(String s) {
    this.s = s;
  }

  /** Parses an sf-list; returns its members ({@link Item} or {@link InnerList}), or null if invalid. */
  static List<Object> parseList(String value) {
    StructuredFields p = new StructuredFields(value);
    try {
      return p.list();
    } catch (Invalid e) {
      return null;
    }
  }

  /** Parses an sf-dictionary; returns key → {@link Item} or {@link InnerList}, or null if invalid. */
  static Map<String, Object> parseDictionary(String value) {
    StructuredFields p = new StructuredFields(value);
    try {
      return p.dictionary();
    } catch (Invalid e) {
      return null;
    }
  }

  /** Parses an sf-item (leading and trailing SP allowed, no other whitespace); returns it, or null if invalid. */
  static Item parseItem(String value) {
    StructuredFields p = new StructuredFields(value);
    try {
      p.skipSp();
      Item item = p.item();
      p.skipSp();
      return p.atEnd() ? item : null;
    } catch (Invalid e) {
      return null;
    }
  }

  private List<Object> list() {
    List<Object> members = new ArrayList<>(2);
    skipSp();
    if (atEnd()) {
      return members;
    }
    while (true) {
      members.add(peek() == '(' ? innerList() : item());
      if (separatorThenEnd()) {
        return members;
      }
    }
  }

  private Map<String, Object> dictionary() {
    Map<String, Object> members = new LinkedHashMap<>();
    skipSp();
    if (atEnd()) {
      return members;
    }
    while (true) {
      String key = key();
      Object member;
      if (!atEnd() && peek() == '=') {
        pos++;
        member = peek() == '(' ? innerList() : item();
      } else {
        member = new Item(Boolean.TRUE, parameters());
      }
      members.put(key, member); // a repeated key keeps its last value, in its first position (RFC 9651 4.2.2)
      if (separatorThenEnd()) {
        return members;
      }
    }
  }

  /** After a member: returns true at the end of input, else consumes {@code OWS "," OWS} (not at the end). */
  private boolean separatorThenEnd() {
    skipOws();
    if (atEnd()) {
      return true;
    }
    if (s.charAt(pos++) != ',') {
      throw INVALID;
    }
    skipOws();
    if (atEnd()) {
      throw INVALID; // trailing comma
    }
    return false;
  }

  private InnerList innerList() {
    pos++; // '('
    List<Item> items = new ArrayList<>();
    while (true) {
      skipSp();
      if (peek() == ')') {
        pos++;
        return new InnerList(items, parameters());
      }
      items.add(item());
      char c = peek();
      if (c != ' ' && c != ')') {
        throw INVALID;
      }
    }
  }

  private Item item() {
    Object value = bareItem();
    return new Item(value, parameters());
  }

  private Map<String, Object> parameters() {
    Map<String, Object> params = Map.of();
    while (!atEnd() && s.charAt(pos) == ';') {
      pos++;
      skipSp();
      String key = key();
      Object value = Boolean.TRUE;
      if (!atEnd() && s.charAt(pos) == '=') {
        pos++;
        value = bareItem();
      }
      if (params.isEmpty()) {
        params = new LinkedHashMap<>(4);
      }
      params.put(key, value);
    }
    return params;
  }

  private String key() {
    int start = pos;
    char c = peek();
    if (!(c >= 'a' && c <= 'z') && c != '*') {
      throw INVALID;
    }
    pos++;
    while (!atEnd()) {
      c = s.charAt(pos);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*') {
        pos++;
      } else {
        break;
      }
    }
    return s.substring(start, pos);
  }

  private Object bareItem() {
    char c = peek();
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    }
    if (c == '"') {
      return string();
    }
    if (c == '*' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return token();
    }
    int start = pos;
    switch (c) {
      case ':' -> byteSequence();
      case '?' -> {
        pos++;
        char b = peek();
        if (b != '0' && b != '1') {
          throw INVALID;
        }
        pos++;
        return b == '1';
      }
      case '@' -> {
        pos++;
        if (!(number() instanceof Long)) {
          throw INVALID;
        }
      }
      case '%' -> displayString();
      default -> throw INVALID;
    }
    return new Other(s.substring(start, pos));
  }

  /** sf-integer ({@link Long}) or sf-decimal ({@link Other}). */
  private Object number() {
    int start = pos;
    boolean negative = false;
    if (peek() == '-') {
      negative = true;
      pos++;
    }
    char c = peek();
    if (c < '0' || c > '9') {
      throw INVALID;
    }
    long value = 0;
    int digits = 0;
    while (!atEnd() && (c = s.charAt(pos)) >= '0' && c <= '9') {
      if (++digits > 15) {
        throw INVALID;
      }
      value = value * 10 + (c - '0');
      pos++;
    }
    if (atEnd() || s.charAt(pos) != '.') {
      return negative ? -value : value;
    }
    if (digits > 12) {
      throw INVALID;
    }
    pos++;
    int fraction = 0;
    while (!atEnd() && (c = s.charAt(pos)) >= '0' && c <= '9') {
      if (++fraction > 3) {
        throw INVALID;
      }
      pos++;
    }
    if (fraction == 0) {
      throw INVALID;
    }
    return new Other(s.substring(start, pos));
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = peek();
      pos++;
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        char escaped = peek();
        if (escaped != '"' && escaped != '\\') {
          throw INVALID;
        }
        pos++;
        sb.append(escaped);
      } else if (c < 0x20 || c > 0x7e) {
        throw INVALID;
      } else {
        sb.append(c);
      }
    }
  }

  private Token token() {
    int start = pos++;
    while (!atEnd() && isTokenChar(s.charAt(pos))) {
      pos++;
    }
    return new Token(s.substring(start, pos));
  }

  /** Base64 content; "=" only as trailing padding (at most two), and never a lone sixth bit group. */
  private void byteSequence() {
    pos++; // ':'
    int data = 0;
    int padding = 0;
    while (true) {
      char c = peek();
      pos++;
      if (c == ':') {
        if (data % 4 == 1 || padding > 2) {
          throw INVALID; // not the encoding of any byte sequence
        }
        return;
      }
      if (c == '=') {
        padding++;
      } else if (padding == 0 && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/')) {
        data++;
      } else {
        throw INVALID;
      }
    }
  }

  /** Percent-encoded UTF-8 between quotes; the decoded bytes must be valid UTF-8 (RFC 9651 4.2.10). */
  private void displayString() {
    pos++; // '%'
    if (peek() != '"') {
      throw INVALID;
    }
    pos++;
    ByteArrayOutputStream bytes = null;
    while (true) {
      char c = peek();
      pos++;
      if (c == '"') {
        if (bytes != null) {
          try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
          } catch (CharacterCodingException e) {
            throw INVALID;
          }
        }
        return;
      }
      if (bytes == null) {
        bytes = new ByteArrayOutputStream();
      }
      if (c == '%') {
        int octet = 0;
        for (int i = 0; i < 2; i++) {
          char h = peek();
          if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f'))) {
            throw INVALID;
          }
          octet = octet * 16 + (h <= '9' ? h - '0' : h - 'a' + 10);
          pos++;
        }
        bytes.write(octet);
      } else if (c < 0x20 || c > 0x7e) {
        throw INVALID;
      } else {
        bytes.write(c);
      }
    }
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
  }

  /** Returns the current character; at the end of input the parse is invalid. */
  private char peek() {
    if (pos >= s.length()) {
      throw INVALID;
    }
    return s.charAt(pos);
  }

  private boolean atEnd() {
    return pos >= s.length();
  }

  private void skipSp() {
    while (!atEnd() && s.charAt(pos) == ' ') pos++;
  }

  private void skipOws() {
    while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
  }
}
