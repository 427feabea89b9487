package org.comity.plan;

import java.util.List;

/**
 * One feature column of the plan's schema.
 *
 * @param name column name in the bank's data (CSV header or query column)
 * @param type numeric or categorical
 * @param min smallest allowed value, or {@code null} for no lower bound (numeric only)
 * @param max largest allowed value, or {@code null} for no upper bound (numeric only)
 * @param categories allowed values in one-hot order (categorical only; empty for numeric)
 * @param missing how an empty cell is treated
 */
public record FeatureSpec(
    String name, FeatureType type, Double min, Double max, List<String> categories, MissingValuePolicy missing) {
  public FeatureSpec {
    categories = List.copyOf(categories);
  }

  /** Number of model input columns this feature becomes. */
  public int inputWidth() {
    return type == FeatureType.NUMERIC ? 1 : categories.size();
  }

  /** Shorthand for an unbounded numeric feature whose missing cells take the global mean. */
  public static FeatureSpec numeric(String name) {
    return new FeatureSpec(name, FeatureType.NUMERIC, null, null, List.of(), MissingValuePolicy.MEAN);
  }
}
