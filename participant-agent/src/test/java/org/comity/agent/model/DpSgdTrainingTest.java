package org.comity.agent.model;

import static org.comity.agent.model.ModelArchitectureTest.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.comity.aggregation.dp.PoissonGaussianStep;
import org.junit.jupiter.api.Test;

/** {@link FraudModel#trainEpochPrivately}: steps, sampling, determinism, equivalence to plain training, checks. */
class DpSgdTrainingTest {

  private static final ModelArchitecture SMALL = new ModelArchitecture(6, List.of(16, 8), 0.3, Activation.RELU);
  private static final ModelArchitecture SMALL_NO_DROPOUT =
      new ModelArchitecture(6, List.of(16, 8), 0.0, Activation.RELU);

  @Test
  void trainEpochPrivately_fixedSeeds_bitIdentical_otherNoiseSeedsDiffer() {
    // given
    SyntheticData data = SyntheticData.xorLike(600, 6, 0.05, 3);
    DpSgdSettings settings = new DpSgdSettings(1.0, 1.1, 32);
    try (FraudModel first = model(SMALL, 42);
        FraudModel second = model(SMALL, 42);
        FraudModel otherNoise = model(SMALL, 42)) {
      // when
      PrivateEpochResult firstResult = null;
      PrivateEpochResult secondResult = null;
      NoiseSeeds firstSeeds = NoiseSeeds.fixedForTesting(7);
      NoiseSeeds secondSeeds = NoiseSeeds.fixedForTesting(7);
      NoiseSeeds otherSeeds = NoiseSeeds.fixedForTesting(8);
      for (long epoch = 0; epoch < 2; epoch++) {
        firstResult = first.trainEpochPrivately(data.features, data.labels, data.rows, 2f, settings, firstSeeds);
        secondResult = second.trainEpochPrivately(data.features, data.labels, data.rows, 2f, settings, secondSeeds);
        otherNoise.trainEpochPrivately(data.features, data.labels, data.rows, 2f, settings, otherSeeds);
      }

      // then
      assertArrayEquals(first.weights(), second.weights());
      assertEquals(firstResult, secondResult);
      assertFalse(Arrays.equals(first.weights(), otherNoise.weights()));
    }
  }

  @Test
  void trainEpochPrivately_dropoutMasksComeFromTheSecretSeeds() {
    // given: every row sampled and no noise, so only the dropout masks can differ between the two seed sources
    SyntheticData data = SyntheticData.xorLike(100, 6, 0.05, 9);
    DpSgdSettings noNoiseAllRows = new DpSgdSettings(1.0, 0.0, 100);
    try (FraudModel first = model(SMALL, 6);
        FraudModel second = model(SMALL, 6)) {
      // when
      first.trainEpochPrivately(data.features, data.labels, 100, 1f, noNoiseAllRows, NoiseSeeds.fixedForTesting(1));
      second.trainEpochPrivately(data.features, data.labels, 100, 1f, noNoiseAllRows, NoiseSeeds.fixedForTesting(2));

      // then
      assertFalse(Arrays.equals(first.weights(), second.weights()));
    }
  }

  @Test
  void trainEpochPrivately_reportsStepsSampledRowsAndTheMechanismForTheLedger() {
    // given: 1000 rows, expected batch 40: q = 0.04, 25 steps
    SyntheticData data = SyntheticData.xorLike(1000, 6, 0.05, 4);
    try (FraudModel model = model(SMALL, 1)) {
      // when
      PrivateEpochResult result = model.trainEpochPrivately(data.features, data.labels, data.rows, 1f,
          new DpSgdSettings(1.0, 0.8, 40), NoiseSeeds.fixedForTesting(1));

      // then: about 1000 rows sampled (binomial, sd ~31)
      assertEquals(25, result.steps());
      assertEquals(new PoissonGaussianStep(0.04, 0.8, 25), result.privacyCost());
      assertTrue(Math.abs(result.rowsSampled() - 1000) < 200, "rows sampled " + result.rowsSampled());
      assertTrue(Double.isFinite(result.meanLoss()) && result.meanLoss() > 0, "loss " + result.meanLoss());
    }
  }

  @Test
  void trainEpochPrivately_mostBatchesEmpty_takesNoiseOnlyStepsWithoutFailing() {
    // given: q = 1/500, so each of the 500 steps samples nothing with probability (1 - 1/500)^500 = 37%
    SyntheticData data = SyntheticData.xorLike(500, 6, 0.05, 5);
    try (FraudModel model = model(SMALL, 2)) {
      float[] before = model.weights();

      // when
      PrivateEpochResult result = model.trainEpochPrivately(data.features, data.labels, data.rows, 1f,
          new DpSgdSettings(1.0, 1.0, 1), NoiseSeeds.fixedForTesting(2));

      // then
      assertEquals(500, result.steps());
      assertTrue(Math.abs(result.rowsSampled() - 500) < 112, "rows sampled " + result.rowsSampled() + " (sd 22)");
      assertFalse(Arrays.equals(before, model.weights()));
      for (float w : model.weights()) {
        assertTrue(Float.isFinite(w));
      }
    }
  }

  @Test
  void trainEpochPrivately_everyRowSampledNoNoiseHugeClip_matchesOnePlainFullBatchStep() {
    // given: q = 1 (expected batch = rows), so the batch is every row and the denominator is the batch size
    SyntheticData data = SyntheticData.xorLike(200, 6, 0.05, 6);
    try (FraudModel plain = FraudModel.create(SMALL_NO_DROPOUT, TrainingHyperparameters.of(1e-2, 200),
            DeviceSelection.cpu(), new SessionThreads(1, 1), 3);
        FraudModel privately = FraudModel.create(SMALL_NO_DROPOUT, TrainingHyperparameters.of(1e-2, 200),
            DeviceSelection.cpu(), new SessionThreads(1, 1), 3)) {
      // when: two steps each, so Adam's second step (which is sensitive to the gradient's scale) is compared too
      for (long epoch = 0; epoch < 2; epoch++) {
        plain.trainEpoch(data.features, data.labels, data.rows, 3f, epoch);
        PrivateEpochResult result = privately.trainEpochPrivately(data.features, data.labels, data.rows, 3f,
            new DpSgdSettings(1e6, 0.0, 200), NoiseSeeds.fixedForTesting(epoch));
        assertEquals(1, result.steps());
        assertEquals(200, result.rowsSampled());
      }

      // then: equal up to float summation order
      float[] expected = plain.weights();
      float[] actual = privately.weights();
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-5, "weight " + i);
      }
    }
  }

  @Test
  void trainEpochPrivately_moderateNoise_stillLearnsTheNonLinearProblem() {
    // given: sigma 0.6, C 1, expected batch 64 on 4000 rows (q = 0.016)
    SyntheticData train = SyntheticData.xorLike(4000, 6, 0.02, 1);
    SyntheticData heldOut = SyntheticData.xorLike(2000, 6, 0.02, 2);
    try (FraudModel model = FraudModel.create(ModelArchitecture.defaults(6), TrainingHyperparameters.of(0.005, 64),
        DeviceSelection.cpu(), new SessionThreads(2, 1), 7)) {
      NoiseSeeds noise = NoiseSeeds.fixedForTesting(3);

      // when
      for (long epoch = 0; epoch < 6; epoch++) {
        model.trainEpochPrivately(train.features, train.labels, train.rows, 1f, new DpSgdSettings(1.0, 0.6, 64),
            noise);
      }
      double auc = SyntheticData.rocAuc(model.predictProbabilities(heldOut.features, heldOut.rows), heldOut.labels);

      // then
      assertTrue(auc > 0.85, "AUC after private training " + auc);
    }
  }

  @Test
  void trainEpochPrivately_invalidArguments_rejectedBeforeAnyStep() {
    SyntheticData data = SyntheticData.xorLike(50, 6, 0.05, 7);
    try (FraudModel model = model(SMALL, 4)) {
      float[] before = model.weights();
      assertMessageContains("expectedBatchSize 51 must be <= rows 50",
          () -> model.trainEpochPrivately(data.features, data.labels, 50, 1f, new DpSgdSettings(1, 1, 51),
              NoiseSeeds.fixedForTesting(0)));
      assertMessageContains("settings must not be null",
          () -> model.trainEpochPrivately(data.features, data.labels, 50, 1f, null, NoiseSeeds.secure()));
      assertMessageContains("noise must not be null",
          () -> model.trainEpochPrivately(data.features, data.labels, 50, 1f, new DpSgdSettings(1, 1, 5), null));
      assertMessageContains("labels has 49 values but rows is 50",
          () -> model.trainEpochPrivately(data.features, Arrays.copyOf(data.labels, 49), 50, 1f,
              new DpSgdSettings(1, 1, 5), NoiseSeeds.secure()));
      assertArrayEquals(before, model.weights());
    }
  }

  @Test
  void trainEpochPrivately_secureSeeds_trainWithoutWarningAndHideTheirState() {
    SyntheticData data = SyntheticData.xorLike(100, 6, 0.05, 8);
    NoiseSeeds secure = NoiseSeeds.secure();
    try (FraudModel model = model(SMALL, 5)) {
      PrivateEpochResult result = model.trainEpochPrivately(data.features, data.labels, data.rows, 1f,
          new DpSgdSettings(1, 1, 10), secure);
      assertEquals(10, result.steps());
    }
    assertTrue(secure.isSecure());
    assertEquals("NoiseSeeds[SecureRandom]", secure.toString());
    assertEquals("NoiseSeeds[fixed for testing: NOT private]", NoiseSeeds.fixedForTesting(123).toString());
  }

  private static FraudModel model(ModelArchitecture architecture, long seed) {
    return FraudModel.create(architecture, TrainingHyperparameters.of(0.01, 32), DeviceSelection.cpu(),
        new SessionThreads(1, 1), seed);
  }
}
