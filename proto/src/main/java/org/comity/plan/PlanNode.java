package org.comity.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML mapping being read key by key. Each read declares the key once, with its type, default and allowed
 * range; problems are collected (not thrown) so a single load reports all of them. Keys that no read asked for
 * are reported as unknown by {@link #rejectUnknownKeys()}.
 */
final class PlanNode {
  private final JsonNode node;
  private final String path;
  private final List<String> problems;
  private final Set<String> known = new LinkedHashSet<>();

  PlanNode(JsonNode node, String path, List<String> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void problem(String key, String message) {
    problems.add(keyPath(key) + ": " + message);
  }

  private JsonNode raw(String key) {
    known.add(key);
    JsonNode value = node == null ? null : node.get(key);
    return value == null || value.isNull() ? null : value;
  }

  boolean has(String key) {
    return raw(key) != null;
  }

  PlanNode child(String key) {
    JsonNode value = raw(key);
    if (value != null && !value.isObject()) {
      problem(key, "expected a mapping of keys, got " + describe(value));
      value = null;
    }
    return new PlanNode(value, keyPath(key), problems);
  }

  List<PlanNode> childList(String key) {
    JsonNode value = raw(key);
    List<PlanNode> children = new ArrayList<>();
    if (value == null) {
      return children;
    }
    if (!value.isArray()) {
      problem(key, "expected a list, got " + describe(value));
      return children;
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String elementPath = keyPath(key) + "[" + i + "]";
      if (!element.isObject()) {
        problems.add(elementPath + ": expected a mapping of keys, got " + describe(element));
        continue;
      }
      children.add(new PlanNode(element, elementPath, problems));
    }
    return children;
  }

  String string(String key, String defaultValue) {
    JsonNode value = raw(key);
    if (value == null) {
      if (defaultValue == null) {
        problem(key, "is required");
      }
      return defaultValue;
    }
    if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
      problem(key, "expected a string, got " + describe(value));
      return defaultValue;
    }
    String text = value.asText().trim();
    if (text.isEmpty()) {
      problem(key, "must not be empty");
      return defaultValue;
    }
    return text;
  }

  int integer(String key, int defaultValue, int min, int max) {
    JsonNode value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      problem(key, "expected an integer, got " + describe(value));
      return defaultValue;
    }
    int parsed = value.intValue();
    if (parsed < min || parsed > max) {
      problem(key, "value %d is out of range: allowed %d to %d".formatted(parsed, min, max));
      return defaultValue;
    }
    return parsed;
  }

  long longValue(String key, long defaultValue) {
    JsonNode value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      problem(key, "expected an integer, got " + describe(value));
      return defaultValue;
    }
    return value.longValue();
  }

  /** Reads a finite number in [min, max] (or [min, max) when {@code maxExclusive}). */
  Double number(String key, Double defaultValue, double min, double max, boolean maxExclusive) {
    JsonNode value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isNumber()) {
      problem(key, "expected a number, got " + describe(value));
      return defaultValue;
    }
    double parsed = value.doubleValue();
    boolean aboveMax = maxExclusive ? parsed >= max : parsed > max;
    if (!Double.isFinite(parsed) || parsed < min || aboveMax) {
      problem(key, "value %s is out of range: allowed %s to %s%s"
          .formatted(value.asText(), fmt(min), fmt(max), maxExclusive ? " (exclusive)" : ""));
      return defaultValue;
    }
    return parsed;
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    String text = string(key, defaultValue == null ? null : defaultValue.name().toLowerCase(Locale.ROOT));
    if (text == null) {
      return defaultValue;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      allowed.add(constant.name().toLowerCase(Locale.ROOT));
    }
    problem(key, "value '%s' is not one of %s".formatted(text, allowed));
    return defaultValue;
  }

  /** Reads a duration such as {@code 90s}, {@code 5m}, {@code 1h} or ISO-8601 {@code PT90S}, within bounds. */
  Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
    JsonNode value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    Duration parsed = DurationText.parse(value.asText()).orElse(null);
    if (parsed == null) {
      problem(key, "value '%s' is not a duration: use e.g. 500ms, 90s, 5m, 1h".formatted(value.asText()));
      return defaultValue;
    }
    if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      problem(key, "value '%s' is out of range: allowed %s to %s".formatted(value.asText(), min, max));
      return defaultValue;
    }
    return parsed;
  }

  <T> List<T> list(String key, List<T> defaultValue, Function<JsonNode, T> element, String elementDescription) {
    JsonNode value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isArray()) {
      problem(key, "expected a list of " + elementDescription + ", got " + describe(value));
      return defaultValue;
    }
    List<T> result = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      T converted = element.apply(value.get(i));
      if (converted == null) {
        problems.add("%s[%d]: expected %s, got %s".formatted(keyPath(key), i, elementDescription, describe(value.get(i))));
        return defaultValue;
      }
      result.add(converted);
    }
    return result;
  }

  void rejectUnknownKeys() {
    if (node == null) {
      return;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        problem(name, "unknown key; allowed keys here: " + known);
      }
    }
  }

  static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "'" + value.asText() + "'";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.toString();
  }

  private static String fmt(double value) {
    if (value == Double.MAX_VALUE) {
      return "any";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
