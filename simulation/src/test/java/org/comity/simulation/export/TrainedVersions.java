package org.comity.simulation.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.comity.agent.data.BankDataset;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.DataCheckReport;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.LocalStatistics;
import org.comity.agent.training.Normalize;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanException;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;

/** Model versions with really trained weights (the agent's TensorFlow model), and the agent's scores of rows. */
final class TrainedVersions {
  /** Every encoding the serving graph has: numeric with each missing policy, and a categorical feature. */
  static final String MIXED_PLAN = """
      label: is_fraud
      features:
        - {name: amount, missing: mean}
        - {name: hour, missing: zero}
        - {name: channel, type: categorical, categories: [web, app, branch], missing: mean}
        - {name: balance, missing: mean}
        - {name: risk, missing: reject}
      model: {hidden_units: [16, 8], dropout: 0.3}
      training: {batch_size: 32, learning_rate: 0.01}
      scoring: {review_threshold: 0.3, block_threshold: 0.7}
      """;

  private static final SessionThreads ONE_THREAD = new SessionThreads(1, 1);

  private TrainedVersions() {}

  static FederationPlan mixedPlan() throws PlanException {
    return PlanLoader.parse(MIXED_PLAN, "mixed-plan");
  }

  /**
   * {@code rows} synthetic transactions for {@link #MIXED_PLAN}: amounts over five orders of magnitude with
   * decimals (so normalisation rounding is exercised), empty cells in the imputed columns, both classes.
   */
  static String mixedCsv(int rows, long seed, boolean withLabel, String idColumn) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder csv = new StringBuilder(idColumn == null ? "" : idColumn + ",");
    csv.append("amount,hour,channel,balance,risk").append(withLabel ? ",is_fraud" : "").append('\n');
    String[] channels = {"web", "app", "branch"};
    for (int i = 0; i < rows; i++) {
      double amount = Math.exp(random.nextDouble() * 11) - 0.5;
      int hour = random.nextInt(24);
      int channel = random.nextInt(3);
      double balance = (random.nextDouble() - 0.3) * 20_000;
      double risk = random.nextGaussian();
      double logit = -2.0 + 0.35 * Math.log1p(Math.max(amount, 0)) - 0.08 * hour + (channel == 0 ? 0.9 : 0)
          + 1.3 * risk;
      int label = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      if (i < 2) {
        label = i; // both classes, whatever the draw
      }
      if (idColumn != null) {
        csv.append("tx-").append(1000 + i).append(',');
      }
      csv.append(random.nextDouble() < 0.07 ? "" : String.format(java.util.Locale.ROOT, "%.4f", amount)).append(',')
          .append(random.nextDouble() < 0.1 ? "" : Integer.toString(hour)).append(',')
          .append(random.nextDouble() < 0.05 ? "" : channels[channel]).append(',')
          .append(random.nextDouble() < 0.08 ? "" : Double.toString(balance)).append(',')
          .append(String.format(java.util.Locale.ROOT, "%.6f", risk));
      if (withLabel) {
        csv.append(',').append(label);
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  static BankDataset load(FederationPlan plan, Path csv) {
    DataCheckReport report = new CsvDataLoader(plan).load(csv);
    if (!report.ok()) {
      throw new IllegalStateException(report.describe());
    }
    return report.dataset();
  }

  static Path write(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  /** Trains the plan's model for {@code epochs} epochs on {@code training}, as a bank would, into a version. */
  static ModelVersion train(FederationPlan plan, BankDataset training, int epochs, long version) {
    Normalization normalization = LocalStatistics.of(training).normalization();
    BankDataset normalized = Normalize.apply(training, normalization);
    try (LocalModel model = TensorFlowLocalModel.factory(DeviceSelection.cpu(), ONE_THREAD)
        .create(plan, plan.model().initSeed())) {
      float classWeight = (float) plan.training().positiveClassWeight(normalization.positiveRate());
      for (int epoch = 0; epoch < epochs; epoch++) {
        model.trainEpoch(normalized.featuresRowMajor(), normalized.labels(), normalized.rows(), classWeight,
            1000 + epoch);
      }
      return new ModelVersion(version, "proof-run", PlanHash.of(plan), epochs, model.weights(), normalization, null,
          List.of("bank-01"), Instant.parse("2026-11-27T00:00:00Z"), 0.0);
    }
  }

  /** The agent's holdout-evaluation path: a fresh model takes the version's weights and scores normalised rows. */
  static float[] agentScores(FederationPlan plan, ModelVersion version, BankDataset rows) {
    try (LocalModel model = TensorFlowLocalModel.factory(DeviceSelection.cpu(), ONE_THREAD)
        .create(plan, plan.model().initSeed())) {
      model.setWeights(version.weights());
      BankDataset normalized = Normalize.apply(rows, version.normalization());
      return model.predictProbabilities(normalized.featuresRowMajor(), normalized.rows());
    }
  }
}
