package org.comity.agent.model;

import static org.comity.agent.model.ModelArchitectureTest.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FraudModelTrainingTest {

  private static final ModelArchitecture SMALL = new ModelArchitecture(6, List.of(16, 8), 0.3, Activation.RELU);

  @Test
  void trainEpoch_sameSeedsSameData_giveBitIdenticalWeights_differentSeedsDiffer() {
    // given
    SyntheticData data = SyntheticData.xorLike(600, 6, 0.05, 3);
    try (FraudModel first = model(SMALL, 42);
        FraudModel second = model(SMALL, 42);
        FraudModel other = model(SMALL, 43)) {
      // when
      for (long epoch = 0; epoch < 2; epoch++) {
        first.trainEpoch(data.features, data.labels, data.rows, 2f, epoch);
        second.trainEpoch(data.features, data.labels, data.rows, 2f, epoch);
        other.trainEpoch(data.features, data.labels, data.rows, 2f, epoch);
      }

      // then
      assertArrayEquals(first.weights(), second.weights());
      assertFalse(Arrays.equals(first.weights(), other.weights()));
    }
  }

  @Test
  void trainEpoch_nonLinearProblem_learnsToHighAucFromChance() {
    // given: label = x0 * x1 > 0 with 2% flipped labels; evaluated on held-out rows
    SyntheticData train = SyntheticData.xorLike(4000, 6, 0.02, 1);
    SyntheticData heldOut = SyntheticData.xorLike(2000, 6, 0.02, 2);
    try (FraudModel model =
        FraudModel.create(ModelArchitecture.defaults(6), TrainingHyperparameters.of(0.005, 64),
            DeviceSelection.cpu(), new SessionThreads(2, 1), 7)) {
      double initialAuc = SyntheticData.rocAuc(model.predictProbabilities(heldOut.features, heldOut.rows),
          heldOut.labels);

      // when
      EpochResult firstEpoch = null;
      EpochResult lastEpoch = null;
      for (long epoch = 0; epoch < 6; epoch++) {
        lastEpoch = model.trainEpoch(train.features, train.labels, train.rows, 1f, 100 + epoch);
        if (firstEpoch == null) {
          firstEpoch = lastEpoch;
        }
      }
      double trainedAuc = SyntheticData.rocAuc(model.predictProbabilities(heldOut.features, heldOut.rows),
          heldOut.labels);

      // then
      assertTrue(Math.abs(initialAuc - 0.5) < 0.15, "initial AUC " + initialAuc);
      assertTrue(trainedAuc > 0.93, "trained AUC " + trainedAuc);
      assertTrue(lastEpoch.meanLoss() < firstEpoch.meanLoss(), firstEpoch + " -> " + lastEpoch);
      assertEquals(new EpochResult(lastEpoch.meanLoss(), 4000, 63), lastEpoch, "63 batches of 64, last has 32");
    }
  }

  @Test
  void trainEpoch_higherPositiveClassWeight_raisesPredictedProbabilityOfPositivesMore() {
    // given: about 10% positives
    SyntheticData data = imbalanced(1000, 6, 5);
    try (FraudModel unweighted = model(SMALL, 9);
        FraudModel weighted = model(SMALL, 9)) {
      // when
      unweighted.trainEpoch(data.features, data.labels, data.rows, 1f, 1);
      weighted.trainEpoch(data.features, data.labels, data.rows, 10f, 1);

      // then
      double unweightedMean = meanOverPositives(unweighted.predictProbabilities(data.features, data.rows), data);
      double weightedMean = meanOverPositives(weighted.predictProbabilities(data.features, data.rows), data);
      assertTrue(weightedMean > unweightedMean + 0.05,
          "positives' mean probability: weighted " + weightedMean + " vs unweighted " + unweightedMean);
    }
  }

  @Test
  void predictProbabilities_usesNoDropout_soRepeatedCallsAgreeExactly() {
    // given: dropout 0.3 in training
    SyntheticData data = SyntheticData.xorLike(300, 6, 0.0, 4);
    try (FraudModel model = model(SMALL, 3)) {
      model.trainEpoch(data.features, data.labels, data.rows, 1f, 1);

      // when
      float[] first = model.predictProbabilities(data.features, data.rows);
      float[] second = model.predictProbabilities(data.features, data.rows);

      // then
      assertArrayEquals(first, second);
    }
  }

  @Test
  void predictProbabilities_moreRowsThanOneChunk_equalsRowByRowPrediction() {
    // given
    int rows = FraudModel.PREDICTION_CHUNK_ROWS + 5;
    SyntheticData data = SyntheticData.xorLike(rows, 6, 0.0, 8);
    try (FraudModel model = model(SMALL, 3)) {
      // when
      float[] all = model.predictProbabilities(data.features, rows);

      // then: the rows after the chunk boundary land in the right place
      for (int row : new int[] {0, FraudModel.PREDICTION_CHUNK_ROWS - 1, FraudModel.PREDICTION_CHUNK_ROWS, rows - 1}) {
        float[] single = Arrays.copyOfRange(data.features, row * 6, row * 6 + 6);
        assertEquals(model.predictProbabilities(single, 1)[0], all[row], 1e-6, "row " + row);
      }
    }
  }

  @Test
  void resetOptimizerState_thenTrain_equalsFreshModelSetToSameWeights() {
    // given: a model whose Adam moments are warm
    SyntheticData data = SyntheticData.xorLike(500, 6, 0.05, 6);
    try (FraudModel warm = model(SMALL, 1);
        FraudModel notReset = model(SMALL, 1);
        FraudModel fresh = model(SMALL, 2)) {
      warm.trainEpoch(data.features, data.labels, data.rows, 1f, 10);
      notReset.trainEpoch(data.features, data.labels, data.rows, 1f, 10);
      float[] roundStart = warm.weights();
      fresh.setWeights(roundStart);

      // when
      warm.resetOptimizerState();
      warm.trainEpoch(data.features, data.labels, data.rows, 1f, 20);
      notReset.trainEpoch(data.features, data.labels, data.rows, 1f, 20);
      fresh.trainEpoch(data.features, data.labels, data.rows, 1f, 20);

      // then
      assertArrayEquals(fresh.weights(), warm.weights());
      assertFalse(Arrays.equals(fresh.weights(), notReset.weights()), "the reset must matter");
    }
  }

  @Test
  void trainEpoch_badArguments_areRejectedBeforeAnyStep() {
    try (FraudModel model = model(SMALL, 1)) {
      // given
      float[] before = model.weights();
      float[] features = new float[4 * 6];
      float[] labels = new float[4];
      float[] nanFeatures = features.clone();
      nanFeatures[2 * 6 + 3] = Float.NaN;
      float[] badLabels = {0f, 1f, 2f, 0f};

      // when / then
      assertMessageContains("features has 24 values; 5 rows x 6 inputs needs exactly 30",
          () -> model.trainEpoch(features, new float[5], 5, 1f, 0));
      assertMessageContains("labels has 3 values but rows is 4",
          () -> model.trainEpoch(features, new float[3], 4, 1f, 0));
      assertMessageContains("rows must be >= 1, got 0", () -> model.trainEpoch(new float[0], new float[0], 0, 1f, 0));
      assertMessageContains("feature at row 2, column 3 is NaN or infinite",
          () -> model.trainEpoch(nanFeatures, labels, 4, 1f, 0));
      assertMessageContains("label at row 2 is not in [0, 1]", () -> model.trainEpoch(features, badLabels, 4, 1f, 0));
      assertMessageContains("positiveClassWeight must be finite and > 0, got 0.0",
          () -> model.trainEpoch(features, labels, 4, 0f, 0));
      assertMessageContains("positiveClassWeight must be finite and > 0, got NaN",
          () -> model.trainEpoch(features, labels, 4, Float.NaN, 0));
      assertMessageContains("features must not be null", () -> model.trainEpoch(null, labels, 4, 1f, 0));
      assertMessageContains("features has 23 values; 4 rows x 6 inputs needs exactly 24",
          () -> model.predictProbabilities(new float[23], 4));
      assertArrayEquals(before, model.weights());
    }
  }

  @Test
  void anyMethod_afterClose_throwsIllegalState_andCloseIsIdempotent() {
    // given
    FraudModel model = model(SMALL, 1);

    // when
    model.close();

    // then
    assertDoesNotThrow(model::close);
    List<Runnable> calls = List.of(
        model::weights,
        () -> model.setWeights(new float[SMALL.parameterCount()]),
        model::resetOptimizerState,
        () -> model.trainEpoch(new float[6], new float[1], 1, 1f, 0),
        () -> model.predictProbabilities(new float[6], 1),
        model::deviceDescription);
    for (Runnable call : calls) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
      assertEquals("the fraud model is closed; create a new one", e.getMessage());
    }
  }

  @Test
  void trainEpoch_batchLargerThanData_takesOneStepOverAllRows() {
    // given
    SyntheticData data = SyntheticData.xorLike(10, 6, 0.0, 1);
    try (FraudModel model = FraudModel.create(SMALL, TrainingHyperparameters.of(0.01, 1024), DeviceSelection.cpu(),
        new SessionThreads(1, 1), 1)) {
      // when
      EpochResult result = model.trainEpoch(data.features, data.labels, data.rows, 1f, 0);

      // then
      assertEquals(10, result.rowsSeen());
      assertEquals(1, result.steps());
      assertTrue(Double.isFinite(result.meanLoss()) && result.meanLoss() > 0);
    }
  }

  @Test
  void create_everyActivation_trainsToFiniteWeights() {
    SyntheticData data = SyntheticData.xorLike(200, 6, 0.0, 1);
    for (Activation activation : Activation.values()) {
      try (FraudModel model = model(new ModelArchitecture(6, List.of(8), 0.2, activation), 1)) {
        model.trainEpoch(data.features, data.labels, data.rows, 3f, 0);
        for (float weight : model.weights()) {
          assertTrue(Float.isFinite(weight), activation + " produced a non-finite weight");
        }
      }
    }
  }

  private static FraudModel model(ModelArchitecture architecture, long seed) {
    return FraudModel.create(
        architecture, TrainingHyperparameters.of(0.01, 32), DeviceSelection.cpu(), new SessionThreads(1, 1), seed);
  }

  private static SyntheticData imbalanced(int rows, int width, long seed) {
    SyntheticData base = SyntheticData.xorLike(rows, width, 0.0, seed);
    for (int r = 0; r < rows; r++) {
      base.labels[r] = base.features[r * width + 2] > 0.8f ? 1f : 0f;
    }
    return base;
  }

  private static double meanOverPositives(float[] probabilities, SyntheticData data) {
    double sum = 0;
    int count = 0;
    for (int r = 0; r < data.rows; r++) {
      if (data.labels[r] > 0.5f) {
        sum += probabilities[r];
        count++;
      }
    }
    return sum / count;
  }
}
