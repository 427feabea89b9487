package org.comity.agent.privacy;

import java.util.Objects;
import org.comity.aggregation.dp.EpsilonAtOrder;
import org.comity.aggregation.dp.PoissonGaussianStep;
import org.comity.aggregation.dp.RdpAccountant;
import org.comity.aggregation.dp.RdpOrders;

/**
 * One bank's sample-level privacy ledger for DP-SGD: an {@link RdpAccountant} over the rounds this bank trained,
 * and the bank's own ceiling (epsilon, delta), set by the bank and never by the coordinator's operator.
 *
 * <p>A round of DP-SGD at one bank is {@code PoissonGaussianStep(q, sigma, stepsInRound)} with
 * {@code q = expectedBatchSize / rows} (see {@code DpSgdSettings.privacyCost(rows, epochs)}). Use:
 * <ol>
 *   <li>before training, {@link #check(PoissonGaussianStep)} (or {@link #allows}); if not allowed, do not train,
 *       and send {@link PrivacyCheck#describe()} to the coordinator;
 *   <li>after training and BEFORE the update leaves the bank, {@link #record(PoissonGaussianStep)}: recording a
 *       round whose update then fails to send over-counts, which is safe; the reverse would under-count;
 *   <li>report {@link #epsilonSpent()}.
 * </ol>
 * {@link #record} never refuses: the round has already touched the data, so its cost is real even if it ends above
 * the ceiling (which only happens if the caller skipped the check).
 *
 * <p><b>In memory only.</b> The ledger does not persist: a restarted agent starts from zero and would under-count.
 * Persisting it (and refusing to start without it) is a separate, later issue; until then the agent must keep one
 * ledger for the life of the process and the bank must treat a restart as a new budget only deliberately.
 *
 * <p><b>Security property.</b> Epsilon comes from {@link RdpAccountant}, whose approximations all err towards a
 * larger epsilon. The neighbouring relation is add-or-remove-one row of the bank's training data, so the ledger
 * is valid only if every round trains on the same data set of at most {@link #bankRows()} rows, without
 * duplicated or resampled rows. Thread-safe.
 */
public final class SampleLevelPrivacyLedger {

  private final double epsilonCeiling;
  private final double delta;
  private final long bankRows;
  private RdpAccountant accountant;
  private long roundsRecorded;

  /**
   * An empty ledger with the accountant's default orders.
   *
   * @param epsilonCeiling the bank's epsilon ceiling, finite and {@code > 0}
   * @param delta the bank's delta, in {@code (0, 1)} and below {@code 1 / bankRows}
   * @param bankRows rows of the bank's training data, {@code >= 1}
   * @throws IllegalArgumentException naming the bad value and what is allowed
   */
  public SampleLevelPrivacyLedger(double epsilonCeiling, double delta, long bankRows) {
    this(epsilonCeiling, delta, bankRows, RdpOrders.defaults());
  }

  /** As {@link #SampleLevelPrivacyLedger(double, double, long)} with the given Renyi orders. */
  public SampleLevelPrivacyLedger(double epsilonCeiling, double delta, long bankRows, RdpOrders orders) {
    if (!(epsilonCeiling > 0.0) || Double.isInfinite(epsilonCeiling)) {
      throw new IllegalArgumentException(
          "epsilon ceiling must be finite and > 0, got %s".formatted(epsilonCeiling));
    }
    if (!(delta > 0.0 && delta < 1.0)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got %s".formatted(delta));
    }
    if (bankRows < 1) {
      throw new IllegalArgumentException("bankRows must be >= 1, got %d".formatted(bankRows));
    }
    if (!(delta * bankRows < 1.0)) {
      throw new IllegalArgumentException(
          ("delta %s is not below 1/records = 1/%d = %s for this bank's %d records: refused (a delta that large "
              + "allows releasing a whole record; choose delta well below 1/%d)")
              .formatted(delta, bankRows, 1.0 / bankRows, bankRows, bankRows));
    }
    this.epsilonCeiling = epsilonCeiling;
    this.delta = delta;
    this.bankRows = bankRows;
    this.accountant = RdpAccountant.withOrders(Objects.requireNonNull(orders, "orders"));
  }

  /** Epsilon (and its optimal order) if {@code nextRound} were recorded now; the ledger is unchanged. */
  public synchronized EpsilonAtOrder epsilonIfNextRound(PoissonGaussianStep nextRound) {
    Objects.requireNonNull(nextRound, "nextRound");
    return epsilonOf(accountant.compose(nextRound));
  }

  /** Whether running {@code nextRound} keeps this bank within its ceiling: epsilon afterwards {@code <=} ceiling. */
  public synchronized boolean allows(PoissonGaussianStep nextRound) {
    return epsilonIfNextRound(nextRound).epsilon() <= epsilonCeiling;
  }

  /** {@link #allows} with the numbers to report; the ledger is unchanged. */
  public synchronized PrivacyCheck check(PoissonGaussianStep nextRound) {
    double ifRun = epsilonIfNextRound(nextRound).epsilon();
    return new PrivacyCheck(ifRun <= epsilonCeiling, epsilonSpent(), ifRun, epsilonCeiling, delta);
  }

  /**
   * Adds a round this bank has trained; never refuses (see the class comment).
   *
   * @return the epsilon spent afterwards
   */
  public synchronized EpsilonAtOrder record(PoissonGaussianStep round) {
    Objects.requireNonNull(round, "round");
    accountant = accountant.compose(round);
    roundsRecorded++;
    return spent();
  }

  /** Epsilon spent so far at this ledger's delta; 0 before any round with privacy loss. */
  public synchronized double epsilonSpent() {
    return spent().epsilon();
  }

  /** Epsilon spent so far with the Renyi order that gave it. */
  public synchronized EpsilonAtOrder spent() {
    return epsilonOf(accountant);
  }

  private EpsilonAtOrder epsilonOf(RdpAccountant candidate) {
    EpsilonAtOrder converted = candidate.epsilon(delta);
    for (double rdp : candidate.rdp()) {
      if (rdp != 0.0) {
        return converted;
      }
    }
    // Nothing composed yet (or only steps without privacy loss): exactly zero, not the conversion's small
    // positive floor for finite orders.
    return new EpsilonAtOrder(0.0, converted.order());
  }

  public double epsilonCeiling() {
    return epsilonCeiling;
  }

  public double delta() {
    return delta;
  }

  public long bankRows() {
    return bankRows;
  }

  /** Rounds recorded, including rounds without privacy loss. */
  public synchronized long roundsRecorded() {
    return roundsRecorded;
  }

  @Override
  public synchronized String toString() {
    return "SampleLevelPrivacyLedger{epsilonSpent=%s, ceiling=%s, delta=%s, bankRows=%d, rounds=%d}"
        .formatted(epsilonSpent(), epsilonCeiling, delta, bankRows, roundsRecorded);
  }
}
