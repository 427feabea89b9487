package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RdpOrdersTest {

  @Test
  void defaults_areDpAccountingDefaultRdpOrders() {
    // given dp_accounting: [1 + x / 10. for x in range(1, 100)] + list(range(11, 64)) + [128, 256, 512, 1024]
    double[] expected = new double[156];
    int next = 0;
    for (int x = 1; x < 100; x++) {
      expected[next++] = 1 + x / 10.;
    }
    for (int order = 11; order < 64; order++) {
      expected[next++] = order;
    }
    expected[next++] = 128;
    expected[next++] = 256;
    expected[next++] = 512;
    expected[next] = 1024;
    // when
    double[] actual = RdpOrders.defaults().values();
    // then
    assertArrayEquals(expected, actual, 0.0);
    assertEquals(1.1, actual[0]);
    assertEquals(10.9, actual[98]);
    assertEquals(11.0, actual[99]);
    assertEquals(1024.0, actual[155]);
  }

  @Test
  void values_returnsACopy() {
    RdpOrders orders = RdpOrders.of(2, 3);
    orders.values()[0] = 99;
    assertEquals(2.0, orders.get(0));
  }

  @Test
  void parse_integerRange_givesEveryIntegerInclusive() {
    RdpOrders orders = RdpOrders.parse("2-256");
    assertArrayEquals(IntStream.rangeClosed(2, 256).asDoubleStream().toArray(), orders.values(), 0.0);
  }

  @Test
  void parse_commaList_keepsSequenceAndAcceptsInfinity() {
    assertArrayEquals(
        new double[] {1.5, 2, 3.5, Double.POSITIVE_INFINITY}, RdpOrders.parse("1.5,2,3.5,inf").values(), 0.0);
  }

  @Test
  void parse_mixedItemsWithSpacesAndExponents_areAccepted() {
    assertArrayEquals(
        new double[] {1.25, 2, 3, 4, 1e3, Double.POSITIVE_INFINITY},
        RdpOrders.parse(" 1.25 , 2-4, 1e3 ,+Infinity").values(),
        0.0);
  }

  @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "' ' | RDP order list is empty; expected e.g. \"2-256\" or \"1.5,2,3.5,inf\"",
        "2,,3 | empty item in RDP order list \"2,,3\" (stray comma?)",
        "2, | empty item in RDP order list \"2,\" (stray comma?)",
        "abc | RDP order \"abc\" is not a number, a range like \"2-256\", or \"inf\"",
        "NaN | RDP order \"NaN\" is not a number",
        "2d | RDP order \"2d\" is not a number",
        "256-2 | RDP order range \"256-2\" is reversed: 256 > 2",
        "2.5-8 | RDP order range \"2.5-8\" must be two integers like \"2-256\", bad bound \"2.5\"",
        "2-x | RDP order range \"2-x\" must be two integers like \"2-256\", bad bound \"x\"",
        "1-10 | RDP order must be > 1 (or +Infinity), got 1.0",
        "0.5 | RDP order must be > 1 (or +Infinity), got 0.5",
        "-3 | RDP order must be > 1 (or +Infinity), got -3.0",
        "-inf | RDP order must be > 1 (or +Infinity), got -Infinity",
        "2,3,2 | RDP order 2.0 appears more than once",
        "2-3000000 | RDP order range \"2-3000000\" has more than 100000 orders",
      })
  void parse_badInput_throwsNamingTheItem(String text, String message) {
    var error = assertThrows(IllegalArgumentException.class, () -> RdpOrders.parse(text));
    assertEquals(message, error.getMessage());
  }

  @Test
  void parse_null_throws() {
    assertThrows(IllegalArgumentException.class, () -> RdpOrders.parse(null));
  }

  @Test
  void equalOrderLists_areEqual() {
    assertEquals(RdpOrders.parse("2-4"), RdpOrders.of(2, 3, 4));
    assertEquals(RdpOrders.parse("2-4").hashCode(), RdpOrders.of(2, 3, 4).hashCode());
  }
}
