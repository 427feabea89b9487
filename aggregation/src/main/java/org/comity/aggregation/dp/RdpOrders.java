package org.comity.aggregation.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Renyi orders (alphas) at which an {@link RdpAccountant} tracks privacy loss.
 *
 * <p>The final epsilon is a minimum over these orders, so a sparse or badly placed list only ever over-states epsilon
 * (never under-states it); the defaults are those of Google's {@code dp_accounting} so results compare one to one.
 * Every order is either a finite number in (1, 1,000,000] or {@code +Infinity}; duplicates are
 * rejected because they always indicate a typo. Instances are immutable.
 */
public final class RdpOrders {

  private static final String MAX_FINITE_ORDER_TEXT = "1000000";
  /** Upper bound on the list length, so that a typo such as "2-20000000" fails fast instead of exhausting memory. */
  public static final int MAX_ORDER_COUNT = 100_000;

  private static final RdpOrders DEFAULTS = new RdpOrders(defaultOrderValues());

  private final double[] orders;

  private RdpOrders(double[] orders) {
    this.orders = orders;
  }

  /**
   * {@code dp_accounting}'s {@code DEFAULT_RDP_ORDERS}: 1.1, 1.2, ..., 10.9 (computed as {@code 1 + x / 10.0} for x =
   * 1..99, bit-identical to the Python list), then the integers 11..63, then 128, 256, 512, 1024.
   */
  public static RdpOrders defaults() {
    return DEFAULTS;
  }

  /**
   * Orders from explicit values, kept in the given sequence (the first of equally good orders wins in {@link
   * RdpAccountant#epsilon(double)}).
   *
   * @throws IllegalArgumentException if the list is empty, too long, has a duplicate, or an order is NaN, not above
   *     1, or finite and above 1,000,000
   */
  public static RdpOrders of(double... orders) {
    if (orders == null || orders.length == 0) {
      throw new IllegalArgumentException("need at least one RDP order, got none");
    }
    if (orders.length > MAX_ORDER_COUNT) {
      throw new IllegalArgumentException(
          "need at most %d RDP orders, got %d".formatted(MAX_ORDER_COUNT, orders.length));
    }
    Set<Double> seen = new HashSet<>();
    for (double order : orders) {
      requireValidOrder(order);
      if (!seen.add(order)) {
        throw new IllegalArgumentException("RDP order %s appears more than once".formatted(order));
      }
    }
    return new RdpOrders(orders.clone());
  }

  /**
   * Parses the command-line syntax: a comma-separated list whose items are either an integer range {@code "2-256"}
   * (all integers from 2 to 256 inclusive) or a single order ({@code "1.5"}, {@code "32"}, {@code "inf"}). Examples:
   * {@code "2-256"}, {@code "1.5,2,3.5,inf"}, {@code "1.25,1.5,2-64,128,inf"}. Whitespace around items is ignored;
   * {@code inf}, {@code +inf} and {@code infinity} are accepted in any case.
   *
   * @throws IllegalArgumentException naming the offending item if the text is empty, an item is malformed, a range is
   *     reversed, or the resulting list breaks a rule of {@link #of(double...)}
   */
  public static RdpOrders parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "RDP order list is empty; expected e.g. \"2-256\" or \"1.5,2,3.5,inf\"");
    }
    List<Double> values = new ArrayList<>();
    for (String rawItem : text.split(",", -1)) {
      String item = rawItem.strip();
      if (item.isEmpty()) {
        throw new IllegalArgumentException(
            "empty item in RDP order list \"%s\" (stray comma?)".formatted(text));
      }
      int dash = item.indexOf('-', 1);
      if (dash > 0 && !isExponentSign(item, dash)) {
        addRange(item, dash, values);
      } else {
        values.add(parseSingleOrder(item));
      }
      if (values.size() > MAX_ORDER_COUNT) {
        throw new IllegalArgumentException(
            "RDP order list \"%s\" has more than %d orders".formatted(text, MAX_ORDER_COUNT));
      }
    }
    double[] orders = new double[values.size()];
    for (int i = 0; i < orders.length; i++) {
      orders[i] = values.get(i);
    }
    return of(orders);
  }

  /** A copy of the orders, in their configured sequence. */
  public double[] values() {
    return orders.clone();
  }

  public int size() {
    return orders.length;
  }

  public double get(int index) {
    return orders[index];
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RdpOrders that && Arrays.equals(orders, that.orders);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(orders);
  }

  @Override
  public String toString() {
    return "RdpOrders" + Arrays.toString(orders);
  }

  private static void requireValidOrder(double order) {
    if (Double.isNaN(order) || order <= 1.0) {
      throw new IllegalArgumentException(
          "RDP order must be > 1 (or +Infinity), got %s".formatted(order));
    }
    if (order != Double.POSITIVE_INFINITY && order > SubsampledGaussianRdp.MAX_FINITE_ORDER) {
      throw new IllegalArgumentException(
          "finite RDP order must be <= %s, got %s".formatted(MAX_FINITE_ORDER_TEXT, order));
    }
  }

  private static boolean isExponentSign(String item, int dash) {
    char before = item.charAt(dash - 1);
    return before == 'e' || before == 'E';
  }

  private static void addRange(String item, int dash, List<Double> values) {
    long from = parseRangeBound(item, item.substring(0, dash));
    long to = parseRangeBound(item, item.substring(dash + 1));
    if (from > to) {
      throw new IllegalArgumentException(
          "RDP order range \"%s\" is reversed: %d > %d".formatted(item, from, to));
    }
    if (to - from >= MAX_ORDER_COUNT) {
      throw new IllegalArgumentException(
          "RDP order range \"%s\" has more than %d orders".formatted(item, MAX_ORDER_COUNT));
    }
    for (long order = from; order <= to; order++) {
      values.add((double) order);
    }
  }

  private static long parseRangeBound(String item, String bound) {
    try {
      return Long.parseLong(bound.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "RDP order range \"%s\" must be two integers like \"2-256\", bad bound \"%s\""
              .formatted(item, bound.strip()),
          e);
    }
  }

  private static double parseSingleOrder(String item) {
    String lower = item.toLowerCase(Locale.ROOT);
    if (lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity")
        || lower.equals("+infinity")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("-inf") || lower.equals("-infinity")) {
      return Double.NEGATIVE_INFINITY; // rejected by the range check with the usual message
    }
    if (lower.contains("nan") || lower.contains("infinity") || lower.endsWith("d")
        || lower.endsWith("f") || lower.startsWith("0x")) {
      // Double.parseDouble also accepts "NaN", "1d", "1f", hex floats: not part of the syntax.
      throw new IllegalArgumentException("RDP order \"%s\" is not a number".formatted(item));
    }
    try {
      return Double.parseDouble(item);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "RDP order \"%s\" is not a number, a range like \"2-256\", or \"inf\"".formatted(item), e);
    }
  }

  private static double[] defaultOrderValues() {
    double[] orders = new double[99 + 53 + 4];
    int next = 0;
    for (int x = 1; x < 100; x++) {
      orders[next++] = 1 + x / 10.0;
    }
    for (int order = 11; order < 64; order++) {
      orders[next++] = order;
    }
    for (int order : new int[] {128, 256, 512, 1024}) {
      orders[next++] = order;
    }
    return orders;
  }
}
