package org.comity.coordinator.cli;

import org.comity.plan.FederationPlan;

/** A few lines that tell the operator what a plan will do. */
final class PlanSummary {
  private PlanSummary() {}

  private static String privacy(FederationPlan plan) {
    var bank = plan.bankPrivacy();
    var sample = plan.samplePrivacy();
    String bankText = bank.enabled()
        ? "bank-level DP-FedAvg (clip %s%s, noise %s, participation %s, budget epsilon %s at delta %s)".formatted(
            bank.clipNorm(), bank.adaptiveClipping() ? " adaptive" : "", bank.noiseMultiplier(),
            bank.participationRate(), bank.targetEpsilon(), bank.delta())
        : "no bank-level DP";
    String sampleText = sample.enabled()
        ? "DP-SGD at every bank (clip %s, noise %s, expected batch %d; each bank sets its own ceiling)".formatted(
            sample.clipNorm(), sample.noiseMultiplier(), sample.expectedBatchSize())
        : "no DP-SGD";
    return bankText + "; " + sampleText;
  }

  static String describe(FederationPlan plan) {
    var rounds = plan.rounds();
    var training = plan.training();
    return String.join("\n",
        "plan '%s': OK".formatted(plan.name()),
        "  features: %d columns -> %d model inputs; label '%s'".formatted(plan.features().size(), plan.inputWidth(), plan.label()),
        "  model: %d-%s-1 %s, dropout %.2f, %d parameters".formatted(plan.inputWidth(),
            String.join("-", plan.model().hiddenUnits().stream().map(String::valueOf).toList()),
            plan.model().activation().name().toLowerCase(), plan.model().dropout(), plan.modelLayout().parameterCount()),
        "  local training: %d epoch(s), batch %d, learning rate %s, %s".formatted(training.epochs(),
            training.batchSize(), training.learningRate(), training.imbalance().name().toLowerCase()
                + (training.classWeight() == null ? " (balanced weight, cap " + training.maxClassWeight() + ")" : " " + training.classWeight())),
        "  rounds: %d, %s per round, quorum %d, start with %d member(s), deadline %ss".formatted(rounds.count(),
            rounds.participantsPerRound() == 0 ? "all members" : rounds.participantsPerRound() + " members",
            rounds.minQuorum(), rounds.minMembersToStart(), rounds.deadline().toMillis() / 1000.0),
        "  evaluation: holdout %.0f%% per bank, threshold %s".formatted(plan.evaluation().holdoutFraction() * 100,
            plan.evaluation().threshold()),
        "  privacy: " + privacy(plan));
  }
}
