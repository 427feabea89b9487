package org.comity.agent.training;

import java.util.SplittableRandom;
import org.comity.agent.data.BankDataset;
import org.comity.agent.model.DpSgdSettings;
import org.comity.aggregation.dp.PoissonGaussianStep;
import org.comity.aggregation.metrics.ExampleEvaluator;
import org.comity.plan.EvaluationSpec;
import org.comity.plan.ImbalanceHandling;
import org.comity.plan.SampleLevelPrivacySpec;
import org.comity.plan.TrainingSpec;

/**
 * One round of local training and the evaluation of a model on local rows: the steps every regime shares
 * (the agent in a federated run, each bank alone, and pooled centralized training in simulations), so the three
 * are compared on identical code.
 */
public final class LocalTrainer {
  private final TrainingSpec training;
  private final EvaluationSpec evaluation;
  private final SampleLevelPrivacySpec privacy;

  public LocalTrainer(TrainingSpec training, EvaluationSpec evaluation) {
    this(training, evaluation, SampleLevelPrivacySpec.disabled());
  }

  /** A trainer that uses DP-SGD when {@code privacy} is enabled. */
  public LocalTrainer(TrainingSpec training, EvaluationSpec evaluation, SampleLevelPrivacySpec privacy) {
    this.training = training;
    this.evaluation = evaluation;
    this.privacy = privacy;
  }

  /**
   * Outcome of a round of local training.
   *
   * @param privacyCost the round's DP-SGD mechanism for the bank's ledger, or {@code null} without DP-SGD
   */
  public record RoundResult(float[] weights, double meanLoss, long samples, long millis,
      PoissonGaussianStep privacyCost) {}

  /** The DP-SGD settings of a round, or {@code null} when sample-level privacy is off. */
  public DpSgdSettings dpSgdSettings(int rows) {
    if (!privacy.enabled()) {
      return null;
    }
    return new DpSgdSettings(privacy.clipNorm(), privacy.noiseMultiplier(), Math.min(privacy.expectedBatchSize(), rows));
  }

  /** The privacy cost one round of local training on {@code rows} rows will have, or {@code null} without DP-SGD. */
  public PoissonGaussianStep roundPrivacyCost(int rows) {
    DpSgdSettings settings = dpSgdSettings(rows);
    return settings == null ? null : settings.privacyCost(rows, training.epochs());
  }

  /**
   * Starts from {@code startWeights} (the optimizer state kept or reset as the plan says) and trains the plan's
   * number of epochs on {@code normalizedTrain}.
   *
   * @param globalPositiveRate the consortium's positive rate, which sets the balanced class weight
   */
  public RoundResult trainRound(LocalModel model, float[] startWeights, BankDataset normalizedTrain,
      double globalPositiveRate, long seed) {
    model.setWeights(startWeights);
    if (training.optimizerState() == TrainingSpec.OptimizerStatePolicy.RESET_EACH_ROUND) {
      model.resetOptimizerState();
    }
    return continueTraining(model, normalizedTrain, globalPositiveRate, seed);
  }

  /**
   * Trains the plan's number of epochs from the model's current weights and optimizer state (baselines that
   * train one model continuously, as a bank alone or a pooled data set would).
   */
  public RoundResult continueTraining(LocalModel model, BankDataset normalizedTrain, double globalPositiveRate,
      long seed) {
    long start = System.nanoTime();
    float weight = (float) training.positiveClassWeight(globalPositiveRate);
    double loss = Double.NaN;
    SplittableRandom random = new SplittableRandom(seed);
    DpSgdSettings settings = dpSgdSettings(normalizedTrain.rows());
    if (settings != null) {
      for (int epoch = 0; epoch < training.epochs(); epoch++) {
        loss = model.trainEpochPrivately(normalizedTrain.featuresRowMajor(), normalizedTrain.labels(),
            normalizedTrain.rows(), weight, settings).meanLoss();
      }
      return new RoundResult(model.weights(), loss, normalizedTrain.rows(), (System.nanoTime() - start) / 1_000_000,
          settings.privacyCost(normalizedTrain.rows(), training.epochs()));
    }
    for (int epoch = 0; epoch < training.epochs(); epoch++) {
      long epochSeed = random.nextLong();
      BankDataset epochRows = training.imbalance() == ImbalanceHandling.BALANCED_SAMPLING
          ? balancedSample(normalizedTrain, new SplittableRandom(epochSeed)) : normalizedTrain;
      loss = model.trainEpoch(epochRows.featuresRowMajor(), epochRows.labels(), epochRows.rows(), weight, epochSeed);
    }
    return new RoundResult(model.weights(), loss, normalizedTrain.rows(), (System.nanoTime() - start) / 1_000_000,
        null);
  }

  /**
   * Scores {@code normalizedRows} with the model's current weights and returns the summable evaluation counts.
   */
  public ExampleEvaluator evaluate(LocalModel model, BankDataset normalizedRows) {
    float[] probabilities = model.predictProbabilities(normalizedRows.featuresRowMajor(), normalizedRows.rows());
    return new ExampleEvaluator(evaluation.threshold()).addAll(probabilities, normalizedRows.labels());
  }

  /**
   * An epoch's rows drawn with replacement so that each class makes half of them in expectation; as many rows
   * as the data has.
   */
  static BankDataset balancedSample(BankDataset data, SplittableRandom random) {
    int positives = (int) data.positives();
    int negatives = data.rows() - positives;
    if (positives == 0 || negatives == 0) {
      return data;
    }
    int[] positiveRows = new int[positives];
    int[] negativeRows = new int[negatives];
    for (int i = 0, p = 0, n = 0; i < data.rows(); i++) {
      if (data.labels()[i] >= 0.5f) {
        positiveRows[p++] = i;
      } else {
        negativeRows[n++] = i;
      }
    }
    int[] picks = new int[data.rows()];
    for (int i = 0; i < picks.length; i++) {
      picks[i] = random.nextBoolean() ? positiveRows[random.nextInt(positives)] : negativeRows[random.nextInt(negatives)];
    }
    return data.select(picks);
  }
}
