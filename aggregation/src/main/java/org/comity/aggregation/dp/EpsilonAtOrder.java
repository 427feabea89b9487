package org.comity.aggregation.dp;

/**
 * An (epsilon, delta)-DP guarantee derived from RDP, with the Renyi order that gave the smallest epsilon.
 *
 * <p>The order is reported so operators can see when the optimum sits at the edge of the configured orders (then a
 * wider list could give a smaller epsilon).
 *
 * @param epsilon >= 0, possibly {@code +Infinity} (no finite guarantee at any configured order)
 * @param order the optimal order: > 1 or {@code +Infinity}
 */
public record EpsilonAtOrder(double epsilon, double order) {

  public EpsilonAtOrder {
    if (!(epsilon >= 0.0)) {
      throw new IllegalArgumentException("epsilon must be >= 0, got %s".formatted(epsilon));
    }
    if (!(order > 1.0)) {
      throw new IllegalArgumentException("order must be > 1, got %s".formatted(order));
    }
  }
}
