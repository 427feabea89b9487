package org.comity.agent.privacy;

/**
 * The ledger's answer to "may this bank run the next round?", with the numbers the agent reports to the
 * coordinator when it refuses. Contains no data-dependent value: only settings-derived epsilons.
 *
 * @param allowed whether {@code epsilonIfRun <= epsilonCeiling}
 * @param epsilonSpent epsilon of the rounds recorded so far, at {@code delta}
 * @param epsilonIfRun epsilon if the next round is also run
 * @param epsilonCeiling the bank's ceiling
 * @param delta the bank's delta
 */
public record PrivacyCheck(
    boolean allowed, double epsilonSpent, double epsilonIfRun, double epsilonCeiling, double delta) {

  /** One line for logs and for the refusal sent to the coordinator. */
  public String describe() {
    if (allowed) {
      return "sample-level privacy: epsilon %.4f spent at delta %s; after the next round %.4f, within the bank's "
          .formatted(epsilonSpent, delta, epsilonIfRun) + "ceiling " + epsilonCeiling;
    }
    return ("sample-level privacy ceiling reached: epsilon %.4f spent at delta %s; the next round would reach %.4f, "
        + "above the bank's ceiling %s; the bank refuses to train").formatted(epsilonSpent, delta, epsilonIfRun,
        epsilonCeiling);
  }
}
