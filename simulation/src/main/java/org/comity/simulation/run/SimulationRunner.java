package org.comity.simulation.run;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.comity.agent.training.LocalModelFactory;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundReport;
import org.comity.plan.PlanException;
import org.comity.plan.PlanHash;

/**
 * Runs a whole simulation: prepares the consortium's files, runs the federation through the real coordinator and
 * agents, trains the local-only and centralized baselines, and measures all three on the same test set with the
 * same model selection (best validation ROC-AUC; the test set is never looked at before that choice).
 */
public final class SimulationRunner {
  private final LocalModelFactory models;
  private final SimulationProgress progress;

  public SimulationRunner(LocalModelFactory models, SimulationProgress progress) {
    this.models = models;
    this.progress = progress;
  }

  public SimulationResults run(SimulationConfig config) throws IOException, PlanException, InterruptedException {
    progress.stage("preparing data", 1);
    PreparedConsortium consortium = ConsortiumPreparer.prepare(config);
    progress.step();
    progress.stageDone();
    return run(config, consortium);
  }

  /** Runs the three regimes on an already prepared consortium. */
  public SimulationResults run(SimulationConfig config, PreparedConsortium consortium)
      throws IOException, InterruptedException {
    int rounds = consortium.plan().rounds().count();
    BaselineRegimes baselines = new BaselineRegimes(consortium, models);

    long start = System.nanoTime();
    progress.stage("federated (%d banks)".formatted(consortium.banks().size()), rounds);
    FederatedRegime federatedRegime = new FederatedRegime(models, progress::round, FederatedRegime.SIMULATION_OPTIONS,
        bank -> config.epsilonCeiling());
    RegimeResult federated;
    List<RoundReport> reports;
    java.util.Map<String, Double> bankEpsilon;
    try (var coordinator = federatedRegime.run(consortium, Duration.ofHours(6)).coordinator()) {
      reports = coordinator.engine().reports().stream().filter(r -> r.round() > 0).toList();
      bankEpsilon = coordinator.engine().sampleEpsilonByBank();
      ModelVersion latest = coordinator.models().latest()
          .orElseThrow(() -> new IllegalStateException("the federated run committed no model version; "
              + "see the round reports: " + coordinator.engine().reports()));
      ModelVersion best = coordinator.models().bestByValidationRocAuc().orElse(latest);
      EvaluationSummary fin = baselines.evaluateOnTest(latest.weights(), latest.normalization());
      EvaluationSummary selected = best == latest ? fin : baselines.evaluateOnTest(best.weights(), best.normalization());
      federated = new RegimeResult(selected, best.round(), fin);
    }
    progress.stageDone();
    double federatedSeconds = (System.nanoTime() - start) / 1e9;

    start = System.nanoTime();
    progress.stage("local-only (each bank alone)", rounds * consortium.banks().size());
    List<BaselineRegimes.BankResult> localOnly = baselines.localOnly(round -> progress.step());
    progress.stageDone();
    double localSeconds = (System.nanoTime() - start) / 1e9;

    start = System.nanoTime();
    progress.stage("centralized (pooled data)", rounds);
    RegimeResult centralized = baselines.centralized(round -> progress.step());
    progress.stageDone();
    double centralSeconds = (System.nanoTime() - start) / 1e9;

    List<PrivacySweep.Point> sweep = List.of();
    if (!config.privacySweep().isEmpty()) {
      sweep = new PrivacySweep(models, progress).run(consortium, baselines, config.privacySweep(),
          baselines.smallestBankTrainingRows());
    }

    return new SimulationResults(consortium.description(), PlanHash.of(consortium.plan()), consortium.banks().size(),
        config.seed(), federated, reports, localOnly,
        SimulationResults.mean(localOnly.stream().map(b -> b.result().selected()).toList()),
        SimulationResults.mean(localOnly.stream().map(b -> b.result().fin()).toList()),
        centralized, new double[] {federatedSeconds, localSeconds, centralSeconds}, bankEpsilon, sweep);
  }
}
