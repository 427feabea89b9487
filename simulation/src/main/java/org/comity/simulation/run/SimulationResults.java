package org.comity.simulation.run;

import java.util.List;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.coordinator.round.RoundReport;

/**
 * Everything a simulation measured: the three regimes on the same test set, the federated run's rounds, and what
 * it ran on.
 *
 * @param description the data
 * @param planHash hash of the plan
 * @param banks number of banks
 * @param seed the seed
 * @param federated the federated regime
 * @param rounds the federated rounds, in order
 * @param localOnly each bank alone
 * @param localOnlyMean mean over banks of the local-only selected models' test metrics
 * @param localOnlyFinalMean mean over banks of the local-only final models' test metrics
 * @param centralized pooled training
 * @param seconds wall time per regime: federated, local-only, centralized
 * @param bankSampleEpsilon each bank's DP-SGD epsilon spent in the federated run, as it reported it (empty without)
 * @param privacySweep the DP-SGD privacy/utility curve, when asked for
 */
public record SimulationResults(String description, String planHash, int banks, long seed, RegimeResult federated,
    List<RoundReport> rounds, List<BaselineRegimes.BankResult> localOnly, EvaluationSummary localOnlyMean,
    EvaluationSummary localOnlyFinalMean, RegimeResult centralized, double[] seconds,
    java.util.Map<String, Double> bankSampleEpsilon, List<PrivacySweep.Point> privacySweep) {
  public SimulationResults {
    rounds = List.copyOf(rounds);
    localOnly = List.copyOf(localOnly);
    seconds = seconds.clone();
    bankSampleEpsilon = java.util.Map.copyOf(bankSampleEpsilon);
    privacySweep = List.copyOf(privacySweep);
  }

  @Override
  public double[] seconds() {
    return seconds.clone();
  }

  /** Mean of each metric over {@code summaries} (NaN entries skipped). */
  public static EvaluationSummary mean(List<EvaluationSummary> summaries) {
    return new EvaluationSummary(
        Math.round(summaries.stream().mapToLong(EvaluationSummary::examples).average().orElse(0)),
        Math.round(summaries.stream().mapToLong(EvaluationSummary::positives).average().orElse(0)),
        meanOf(summaries.stream().mapToDouble(EvaluationSummary::rocAuc).toArray()),
        meanOf(summaries.stream().mapToDouble(EvaluationSummary::prAuc).toArray()),
        meanOf(summaries.stream().mapToDouble(EvaluationSummary::precision).toArray()),
        meanOf(summaries.stream().mapToDouble(EvaluationSummary::recall).toArray()),
        meanOf(summaries.stream().mapToDouble(EvaluationSummary::f1).toArray()),
        meanOf(summaries.stream().mapToDouble(EvaluationSummary::logLoss).toArray()),
        summaries.isEmpty() ? Double.NaN : summaries.get(0).threshold());
  }

  private static double meanOf(double[] values) {
    return java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }
}
