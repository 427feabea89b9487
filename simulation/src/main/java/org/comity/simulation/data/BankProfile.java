package org.comity.simulation.data;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a synthetic bank's training data is like: its size, its fraud rows and which fraud patterns they come from.
 *
 * @param bankId readable id, {@code bank-01} upwards
 * @param rows training rows
 * @param fraudRows rows labelled fraud, in {@code [1, rows)}
 * @param patterns the fraud patterns this bank sees, in enum order, non-empty
 * @param fraudRowsByPattern how many fraud rows each of {@code patterns} contributed (sums to {@code fraudRows}; the
 *     generator gives every listed pattern at least one row)
 */
public record BankProfile(
    String bankId, int rows, int fraudRows, List<FraudPattern> patterns, Map<FraudPattern, Integer> fraudRowsByPattern) {

  public BankProfile {
    Objects.requireNonNull(bankId, "bankId");
    if (rows < 2) {
      throw new IllegalArgumentException("rows must be >= 2, got " + rows);
    }
    if (fraudRows < 1 || fraudRows >= rows) {
      throw new IllegalArgumentException("fraudRows must be in [1, %d), got %d".formatted(rows, fraudRows));
    }
    patterns = List.copyOf(patterns);
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("a bank must see at least one fraud pattern, got none");
    }
    fraudRowsByPattern = java.util.Collections.unmodifiableMap(new EnumMap<>(fraudRowsByPattern));
    int sum = fraudRowsByPattern.values().stream().mapToInt(Integer::intValue).sum();
    if (sum != fraudRows || !patterns.containsAll(fraudRowsByPattern.keySet())) {
      throw new IllegalArgumentException(
          "fraudRowsByPattern %s must sum to fraudRows %d over patterns %s".formatted(fraudRowsByPattern, fraudRows, patterns));
    }
  }

  /** Fraction of rows labelled fraud. */
  public double fraudRate() {
    return (double) fraudRows / rows;
  }
}
