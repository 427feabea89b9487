package org.comity.coordinator.store;

import java.util.List;
import java.util.Map;

/**
 * How two committed versions differ.
 *
 * @param base the version compared from ({@code --version})
 * @param other the version compared to ({@code --against})
 * @param samePlan whether both runs used the same plan (same hash)
 * @param l2Distance Euclidean distance between the weight vectors, NaN when their layouts differ
 * @param metricDeltas other minus base for each validation metric (NaN where either is missing)
 * @param participantsAdded banks in {@code other} but not in {@code base}
 * @param participantsRemoved banks in {@code base} but not in {@code other}
 */
public record ModelComparison(CatalogEntry base, CatalogEntry other, boolean samePlan, double l2Distance,
    Map<String, Double> metricDeltas, List<String> participantsAdded, List<String> participantsRemoved) {
  public ModelComparison {
    // Kept in the caller's order (the order metrics are shown in).
    metricDeltas = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metricDeltas));
    participantsAdded = List.copyOf(participantsAdded);
    participantsRemoved = List.copyOf(participantsRemoved);
  }
}
