package org.comity.coordinator.round;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.comity.aggregation.metrics.EvaluationSummary;

/**
 * What happened in one finished round: who was asked, who delivered, who dropped and why, the outcome and the
 * federated validation metrics of the committed version.
 *
 * @param round round number
 * @param attempt attempt of this round number
 * @param outcome COMMITTED or FAILED
 * @param reason why it ended so
 * @param selected members asked to train (or to report statistics)
 * @param contributors members whose result was accepted
 * @param dropouts members that did not deliver, with the reason
 * @param version committed model version, or -1
 * @param meanTrainLoss sample-weighted mean of the banks' training loss, NaN if none
 * @param validation federated validation metrics of the committed version, or {@code null}
 * @param slowestTrainingMillis the longest local training time reported by a contributor
 * @param wallTime from selection to the end of the round
 * @param epsilonSpent bank-level epsilon spent by the run after this round (0 without bank-level DP)
 */
public record RoundReport(int round, int attempt, RoundPhase outcome, String reason, List<String> selected,
    List<String> contributors, Map<String, String> dropouts, long version, double meanTrainLoss,
    EvaluationSummary validation, long slowestTrainingMillis, Duration wallTime, double epsilonSpent) {
  public RoundReport {
    selected = List.copyOf(selected);
    contributors = List.copyOf(contributors);
    dropouts = Map.copyOf(dropouts);
  }
}
