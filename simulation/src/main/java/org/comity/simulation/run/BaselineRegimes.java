package org.comity.simulation.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.comity.agent.data.BankDataset;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.DataCheckReport;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.LocalModelFactory;
import org.comity.agent.training.LocalStatistics;
import org.comity.agent.training.LocalTrainer;
import org.comity.agent.training.Normalize;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.aggregation.normalization.Normalization;
import org.comity.plan.FederationPlan;

/**
 * The two baselines a federated run is judged against, trained with the same model, optimizer, budget and model
 * selection as the federated run:
 *
 * <ul>
 *   <li>local-only: each bank alone, for as many rounds of the same local training (one model trained
 *       continuously: no federated averaging, so no optimizer reset), normalised with its own statistics,
 *       selecting its best round on its own holdout;
 *   <li>centralized: the banks' training rows pooled, selecting on the pooled holdouts.
 * </ul>
 *
 * Both use the banks' same holdout splits as the federated run, so validation data is identical across regimes
 * and the test set is never used for selection.
 */
public final class BaselineRegimes {
  private final FederationPlan plan;
  private final LocalModelFactory models;
  private final LocalTrainer trainer;
  private final List<String> bankIds = new ArrayList<>();
  private final List<HoldoutSplit> splits = new ArrayList<>();
  private final BankDataset rawTest;

  /** Per-bank outcome of the local-only regime. */
  public record BankResult(String bankId, RegimeResult result) {}

  public BaselineRegimes(PreparedConsortium consortium, LocalModelFactory models) {
    this.plan = consortium.plan();
    this.models = models;
    this.trainer = new LocalTrainer(plan.training(), plan.evaluation());
    for (PreparedConsortium.BankFile bank : consortium.banks()) {
      bankIds.add(bank.memberId());
      splits.add(HoldoutSplit.of(load(bank.csv()), plan.evaluation().holdoutFraction(), plan.evaluation().holdoutSeed()));
    }
    this.rawTest = load(consortium.testCsv());
  }

  private BankDataset load(java.nio.file.Path csv) {
    DataCheckReport report = new CsvDataLoader(plan).load(csv);
    if (!report.ok()) {
      throw new IllegalArgumentException(report.describe());
    }
    return report.dataset();
  }

  /** Training rows of the smallest bank (after its holdout split). */
  public int smallestBankTrainingRows() {
    return splits.stream().mapToInt(split -> split.training().rows()).min().orElseThrow();
  }

  /** The test rows, raw (each regime normalises them with its own model's normalisation). */
  public BankDataset rawTest() {
    return rawTest;
  }

  /** Each bank alone; {@code onRound} is told each finished bank-round (for progress). */
  public List<BankResult> localOnly(IntConsumer onRound) {
    List<BankResult> results = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      HoldoutSplit split = splits.get(i);
      results.add(new BankResult(bankIds.get(i), train(split.training(), split.holdout(), onRound, i + 1)));
    }
    return results;
  }

  /** All banks' training rows pooled. */
  public RegimeResult centralized(IntConsumer onRound) {
    BankDataset training = BankDataset.concat(splits.stream().map(HoldoutSplit::training).toList());
    BankDataset validation = BankDataset.concat(splits.stream().map(HoldoutSplit::holdout).toList());
    return train(training, validation, onRound, 0);
  }

  private RegimeResult train(BankDataset rawTraining, BankDataset rawValidation, IntConsumer onRound, int stream) {
    LocalStatistics statistics = LocalStatistics.of(rawTraining);
    Normalization normalization = statistics.normalization();
    BankDataset training = Normalize.apply(rawTraining, normalization);
    BankDataset validation = Normalize.apply(rawValidation, normalization);
    BankDataset test = Normalize.apply(rawTest, normalization);
    float[] weights = plan.modelLayout().initialWeights(plan.model().initSeed());
    float[] best = null;
    double bestAuc = Double.NEGATIVE_INFINITY;
    int bestRound = 0;
    try (LocalModel model = models.create(plan, plan.model().initSeed())) {
      model.setWeights(weights);
      model.resetOptimizerState();
      for (int round = 1; round <= plan.rounds().count(); round++) {
        long seed = plan.rounds().seed() * 1_000_003L + stream * 10_007L + round;
        // One model trained continuously (its optimizer state kept), as a bank alone or a pooled data set would.
        weights = trainer.continueTraining(model, training, normalization.positiveRate(), seed).weights();
        double auc = trainer.evaluate(model, validation).summary().rocAuc();
        if (!Double.isNaN(auc) && auc > bestAuc) {
          bestAuc = auc;
          best = weights.clone();
          bestRound = round;
        }
        onRound.accept(round);
      }
      EvaluationSummary fin = testMetrics(model, weights, test);
      EvaluationSummary selected = best == null ? fin : testMetrics(model, best, test);
      return new RegimeResult(selected, best == null ? plan.rounds().count() : bestRound, fin);
    }
  }

  private EvaluationSummary testMetrics(LocalModel model, float[] weights, BankDataset normalizedTest) {
    model.setWeights(weights);
    return trainer.evaluate(model, normalizedTest).summary();
  }

  /** Test metrics of a federated model version, normalised with the version's own normalisation. */
  public EvaluationSummary evaluateOnTest(float[] weights, Normalization normalization) {
    try (LocalModel model = models.create(plan, plan.model().initSeed())) {
      return testMetrics(model, weights, Normalize.apply(rawTest, normalization));
    }
  }
}
