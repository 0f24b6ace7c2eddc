package dev.throttle.core.headers;

import dev.throttle.core.headers.StructuredFields.InnerList;
import dev.throttle.core.headers.StructuredFields.Item;
import dev.throttle.core.headers.StructuredFields.Other;
import dev.throttle.core.headers.StructuredFields.Token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9651 parsing, with cases modelled on the httpwg structured-field-tests suite. */
class StructuredFieldsTest {

  @Test
  void parsesItemsWithParameters() {
    List<Object> list = StructuredFields.parseList(
        "\"burst\";q=100;w=60, daily;q=1000;w=86400 ,  7;a;b=?0;c=-3;d=1.5;e=:AQID:;f=@1659578233;g=%\"caf%c3%a9\"");
    assertEquals(3, list.size());
    Item burst = (Item) list.get(0);
    assertEquals("burst", burst.value());
    assertEquals(Map.of("q", 100L, "w", 60L), burst.params());
    assertEquals(new Token("daily"), ((Item) list.get(1)).value());
    Item seven = (Item) list.get(2);
    assertEquals(7L, seven.value());
    assertEquals(Boolean.TRUE, seven.params().get("a"));
    assertEquals(Boolean.FALSE, seven.params().get("b"));
    assertEquals(-3L, seven.params().get("c"));
    assertEquals(new Other("1.5"), seven.params().get("d"));
    assertEquals(new Other(":AQID:"), seven.params().get("e"));
    assertEquals(new Other("@1659578233"), seven.params().get("f"));
    assertEquals(new Other("%\"caf%c3%a9\""), seven.params().get("g"));
    assertEquals(null, seven.integerParam("d"));
  }

  @Test
  void parsesInnerListsAndDictionaries() {
    List<Object> list = StructuredFields.parseList("(\"a\" b);x=1, ()");
    assertEquals(2, list.size());
    InnerList inner = (InnerList) list.get(0);
    assertEquals(2, inner.items().size());
    assertEquals(Map.of("x", 1L), inner.params());
    Map<String, Object> dict = StructuredFields.parseDictionary("limit=100, remaining=50, reset=5, flag;p, limit=7");
    // RFC 9651 4.2.2: a repeated key overwrites the value and keeps its first position
    assertEquals(List.of("limit", "remaining", "reset", "flag"), List.copyOf(dict.keySet()));
    assertEquals(7L, ((Item) dict.get("limit")).value());
    assertEquals(Boolean.TRUE, ((Item) dict.get("flag")).value());
  }

  @Test
  void emptyAndEscapes() {
    assertEquals(List.of(), StructuredFields.parseList(""));
    assertEquals(List.of(), StructuredFields.parseList("   "));
    assertEquals("a\"b\\c", ((Item) StructuredFields.parseList("\"a\\\"b\\\\c\"").get(0)).value());
    assertEquals(999_999_999_999_999L, ((Item) StructuredFields.parseList("999999999999999").get(0)).value());
    assertNotNull(StructuredFields.parseList("a,\tb"));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {
      "a,", ",a", "a,,b", "a b", "\"unterminated", "\"bad \\n escape\"", "\"tab\tinside\"", "\"\u00e9\"",
      "1000000000000000", "-1000000000000000", "1234567890123.1", "1.1234", "1.", "-", "--1", "a;", "a;B=1",
      "a;1=2", "a;=1", "?2", "?", ":AQ!D:", ":AQID", "@1.5", "@", "%\"caf%C3%A9\"", "%\"x", "%x", "(a", "(a)b",
      "(a,b)", "a=1", "\u00e9", "#", " a ,",
  })
  void rejectsInvalidLists(String value) {
    assertNull(StructuredFields.parseList(value));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"a=1,", "A=1", "a=", "a=1 b=2", "1=a", "a=(1", "\"a\"=1"})
  void rejectsInvalidDictionaries(String value) {
    assertNull(StructuredFields.parseDictionary(value));
  }
}
