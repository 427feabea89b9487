package org.comity.simulation.run;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.comity.agent.model.DpSgdSettings;
import org.comity.agent.training.LocalModelFactory;
import org.comity.aggregation.dp.NoiseCalibrator;
import org.comity.aggregation.dp.RdpOrders;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.SampleLevelPrivacySpec;

/**
 * The privacy/utility curve a researcher picks a budget from: for each target epsilon, the federated run repeated
 * with DP-SGD at every bank, the noise calibrated so that the bank with the largest sampling rate (the smallest bank)
 * spends exactly the target over the run, and every bank's own ceiling set to it.
 */
public final class PrivacySweep {
  /** The clip norm of each example's gradient in the sweep. */
  public static final double CLIP_NORM = 1.0;

  /** One point of the curve. */
  public record Point(double targetEpsilon, double noiseMultiplier, double delta, EvaluationSummary federated,
      int selectedRound, double largestEpsilonSpent) {}

  private final LocalModelFactory models;
  private final SimulationProgress progress;

  public PrivacySweep(LocalModelFactory models, SimulationProgress progress) {
    this.models = models;
    this.progress = progress;
  }

  /**
   * Runs the sweep.
   *
   * @param smallestBankRows training rows of the smallest bank (it has the largest sampling rate)
   */
  public List<Point> run(PreparedConsortium consortium, BaselineRegimes evaluation, List<Double> epsilons,
      int smallestBankRows) throws IOException, InterruptedException {
    FederationPlan base = consortium.plan();
    int batch = Math.min(base.training().batchSize(), smallestBankRows);
    DpSgdSettings shape = new DpSgdSettings(CLIP_NORM, 1.0, batch);
    long steps = (long) base.rounds().count() * base.training().epochs() * shape.stepsPerEpoch(smallestBankRows);
    double rate = shape.samplingRate(smallestBankRows);
    double delta = 1.0 / (10.0 * smallestBankRows);
    List<Point> points = new ArrayList<>();
    for (double epsilon : epsilons) {
      double noise = NoiseCalibrator.noiseMultiplierFor(epsilon, rate, steps, delta, RdpOrders.defaults());
      FederationPlan plan = new FederationPlan(base.name(), base.features(), base.label(), base.model(),
          base.training(), base.rounds(), base.evaluation(), base.secureAggregation(), base.bankPrivacy(),
          new SampleLevelPrivacySpec(true, CLIP_NORM, noise, batch), base.scoring());
      PreparedConsortium privateRun = new PreparedConsortium(plan, consortium.banks(), consortium.testCsv(),
          consortium.description());
      progress.stage("DP-SGD at epsilon %s (noise %.3f)".formatted(epsilon, noise), plan.rounds().count());
      FederatedRegime regime = new FederatedRegime(models, progress::round, FederatedRegime.SIMULATION_OPTIONS,
          bank -> epsilon);
      try (var coordinator = regime.run(privateRun, Duration.ofHours(6)).coordinator()) {
        ModelVersion latest = coordinator.models().latest()
            .orElseThrow(() -> new IllegalStateException("the private run at epsilon " + epsilon + " committed nothing"));
        ModelVersion best = coordinator.models().bestByValidationRocAuc().orElse(latest);
        Map<String, Double> spent = coordinator.engine().sampleEpsilonByBank();
        points.add(new Point(epsilon, noise, delta, evaluation.evaluateOnTest(best.weights(), best.normalization()),
            best.round(), spent.values().stream().mapToDouble(Double::doubleValue).max().orElse(0)));
      }
      progress.stageDone();
    }
    return points;
  }
}
