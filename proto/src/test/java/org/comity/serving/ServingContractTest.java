package org.comity.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingContractTest {
  @TempDir
  Path dir;

  private static final String HASH = "ab".repeat(32);

  private static ModelManifest manifest() {
    return new ModelManifest(1, 3, "run-1", HASH, "cd".repeat(32), 7, List.of("bank-01"), 0.5, List.of("a", "c"),
        List.of(new ModelManifest.InputColumn("a", "numeric", List.of(), "mean"),
            new ModelManifest.InputColumn("c", "categorical", List.of("x", "y"), "reject")),
        0.5, 0.9, ModelManifest.SignatureInfo.standard(), "2026-11-27T10:00:00Z");
  }

  @Test
  void servingInput_isOneColumnPerFeature_categoryAsItsPosition_missingAsNaN() throws Exception {
    // given: model inputs as the agent's validator encodes them (one-hot, NaN for an imputed numeric)
    FederationPlan plan = PlanLoader.parse("""
        label: y
        features:
          - {name: amount, missing: mean}
          - {name: channel, type: categorical, categories: [web, app, branch], missing: zero}
          - {name: hour}
        """, "t");
    float nan = Float.NaN;
    float[] modelInputs = {
        12.5f, 0f, 0f, 1f, 3f,
        nan, 0f, 0f, 0f, 4f};
    // when
    float[] raw = ServingInput.fromModelInputs(plan, modelInputs, 2);
    // then
    assertArrayEquals(new float[] {12.5f, 2f, 3f, nan, nan, 4f}, raw);
  }

  @Test
  void servingInput_refusesAOneHotGroupWithTwoOnes() throws Exception {
    FederationPlan plan = PlanLoader.parse(
        "label: y\nfeatures: [{name: c, type: categorical, categories: [p, q]}]\n", "t");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServingInput.fromModelInputs(plan, new float[] {1f, 1f}, 1));
    assertTrue(e.getMessage().contains("row 0, feature 'c'"), e.getMessage());
  }

  @Test
  void manifest_roundTripsThroughItsFile() throws IOException {
    manifest().write(dir);
    assertEquals(manifest(), ModelManifest.read(dir));
    String json = Files.readString(dir.resolve("comity-model.json"));
    assertTrue(json.contains("\"planHash\" : \"" + HASH + "\""), json);
    assertTrue(json.contains("\"featureNames\" : [ \"a\", \"c\" ]"), json);
  }

  @Test
  void manifest_missingOrInvalid_isAnIoErrorNamingTheFile() throws IOException {
    IOException missing = assertThrows(IOException.class, () -> ModelManifest.read(dir));
    assertTrue(missing.getMessage().contains("comity-model.json is missing"), missing.getMessage());
    Files.writeString(dir.resolve("comity-model.json"), manifest().toJson().replace(HASH, "not-a-hash"));
    IOException invalid = assertThrows(IOException.class, () -> ModelManifest.read(dir));
    assertTrue(invalid.getMessage().contains("is not a valid model manifest")
        && invalid.getMessage().contains("planHash must be 64 lowercase hex digits"), invalid.getMessage());
  }

  @Test
  void manifest_ofAnotherFormatVersion_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelManifest(2, 3, "r",
        HASH, "w", 1, List.of(), 0, List.of("a"), manifest().inputs().subList(0, 1), 0.5, 0.9,
        ModelManifest.SignatureInfo.standard(), "t"));
    assertTrue(e.getMessage().contains("formatVersion 2 is not supported"), e.getMessage());
  }
}
