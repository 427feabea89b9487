package org.comity.agent.runtime;

/**
 * The bank's sample-level (DP-SGD) privacy spent against its own ceiling.
 *
 * @param epsilon epsilon spent so far at {@code delta}
 * @param delta the bank's delta
 * @param ceiling the bank's epsilon ceiling
 */
public record PrivacySpent(double epsilon, double delta, double ceiling) {
  public PrivacySpent {
    if (!(epsilon >= 0) || !(delta > 0 && delta < 1) || !(ceiling > 0)) {
      throw new IllegalArgumentException("need epsilon >= 0, 0 < delta < 1, ceiling > 0; got %s, %s, %s"
          .formatted(epsilon, delta, ceiling));
    }
  }
}
