package org.comity.simulation.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.comity.agent.data.BankDataset;
import org.comity.coordinator.export.ExportedModel;
import org.comity.coordinator.export.SavedModelExporter;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.comity.agent.scoring.ExportedModelScorer;
import org.comity.serving.ServingInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of the serving export: a version trained by the agent's model, exported by the coordinator and loaded
 * in a fresh JVM by a plain serving client, gives the agent's own holdout-evaluation scores bit for bit.
 */
class ExportedModelMatchesAgentTest {
  @TempDir
  Path dir;

  @Test
  void exportedModel_inAFreshJvm_scoresMixedFeaturesBitForBitAsTheAgent() throws Exception {
    // given: a version trained on synthetic rows with numeric, categorical and missing values
    FederationPlan plan = TrainedVersions.mixedPlan();
    BankDataset training = TrainedVersions.load(plan,
        TrainedVersions.write(dir, "train.csv", TrainedVersions.mixedCsv(600, 11, true, null)));
    Path holdoutCsv = TrainedVersions.write(dir, "holdout.csv", TrainedVersions.mixedCsv(300, 12, true, null));
    ModelVersion version = TrainedVersions.train(plan, training, 3, 4);
    // then
    assertScoresIdentical(plan, version, holdoutCsv);
  }

  @Test
  void exportedModel_inAFreshJvm_scoresGermanCreditBitForBitAsTheAgent() throws Exception {
    // given: the example plan and the German credit data, trained for a few epochs
    FederationPlan plan = PlanLoader.load(Path.of("../docs/examples/german-credit-plan.yaml"));
    BankDataset training = TrainedVersions.load(plan, Path.of("../docs/data/GermanCredit_train.csv"));
    ModelVersion version = TrainedVersions.train(plan, training, 4, 1);
    // then
    assertScoresIdentical(plan, version, Path.of("../docs/data/GermanCredit_test.csv"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tanh", "elu", "leaky_relu"})
  void exportedModel_everyHiddenActivation_scoresBitForBitAsTheAgent(String activation) throws Exception {
    // given: the mixed plan with another activation; loaded in this JVM (the fresh-JVM tests cover loading
    // elsewhere; this one covers the activation ops and the leaky ReLU slope both sides define)
    FederationPlan plan = PlanLoader.parse(TrainedVersions.MIXED_PLAN.replace("dropout: 0.3}",
        "dropout: 0.3, activation: %s}".formatted(activation)), activation);
    BankDataset training = TrainedVersions.load(plan,
        TrainedVersions.write(dir, "train.csv", TrainedVersions.mixedCsv(400, 13, true, null)));
    Path holdoutCsv = TrainedVersions.write(dir, "holdout.csv", TrainedVersions.mixedCsv(200, 14, true, null));
    ModelVersion version = TrainedVersions.train(plan, training, 2, 1);
    BankDataset holdout = TrainedVersions.load(plan, holdoutCsv);
    // when
    ExportedModel exported = new SavedModelExporter().export(version, plan, dir.resolve("models"), false);
    float[] served;
    try (ExportedModelScorer scorer = ExportedModelScorer.open(exported.versionDirectory(), plan)) {
      served = scorer.score(ServingInput.fromModelInputs(plan, holdout.featuresRowMajor(), holdout.rows()),
          holdout.rows(), done -> { });
    }
    float[] agent = TrainedVersions.agentScores(plan, version, holdout);
    // then
    for (int row = 0; row < agent.length; row++) {
      assertEquals(Float.floatToRawIntBits(agent[row]), Float.floatToRawIntBits(served[row]),
          "%s row %d: agent %s, served %s".formatted(activation, row, agent[row], served[row]));
    }
  }

  private void assertScoresIdentical(FederationPlan plan, ModelVersion version, Path csv) throws Exception {
    // when: the coordinator exports, a fresh JVM serves, and the agent scores the same rows
    ExportedModel exported = new SavedModelExporter().export(version, plan, dir.resolve("models"), false);
    List<String> served = scoreInFreshJvm(exported.versionDirectory(), csv);
    float[] agent = TrainedVersions.agentScores(plan, version, TrainedVersions.load(plan, csv));
    // then
    assertEquals(agent.length, served.size(), "one score per row");
    int differing = 0;
    String first = "";
    for (int row = 0; row < agent.length; row++) {
      String expected = Integer.toHexString(Float.floatToRawIntBits(agent[row]));
      if (!expected.equals(served.get(row))) {
        if (differing++ == 0) {
          first = "row %d: agent %s (%s), served %s (%s)".formatted(row, expected, agent[row], served.get(row),
              Float.intBitsToFloat(Integer.parseUnsignedInt(served.get(row), 16)));
        }
      }
    }
    assertEquals(0, differing, differing + " of " + agent.length + " scores differ; first " + first);
    assertTrue(distinct(agent) > agent.length / 2, "a trained model gives varied scores, not a constant");
  }

  private List<String> scoreInFreshJvm(Path versionDir, Path csv) throws Exception {
    Path out = dir.resolve("served-" + System.nanoTime() + ".txt");
    Path log = dir.resolve("served.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    command.addAll(List.of(ServingScorerMain.class.getName(), versionDir.toString(), csv.toString(), out.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // A hang must not hang the build; this bounds the wait, it asserts nothing about speed.
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the serving JVM did not finish; log:\n" + Files.readString(log));
    }
    assertEquals(0, process.exitValue(), "serving JVM failed; log:\n" + Files.readString(log));
    return Files.readAllLines(out);
  }

  private static long distinct(float[] values) {
    List<Float> boxed = new ArrayList<>();
    for (float value : values) {
      boxed.add(value);
    }
    return boxed.stream().distinct().count();
  }

}
