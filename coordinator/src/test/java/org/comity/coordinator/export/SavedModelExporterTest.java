package org.comity.coordinator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;
import org.comity.serving.ModelManifest;
import org.comity.serving.ServingContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;

class SavedModelExporterTest {
  /** amount (numeric, missing: mean), age (numeric, missing: zero), channel (categorical), score (reject). */
  static final String PLAN = """
      label: y
      features:
        - {name: amount, missing: mean}
        - {name: age, missing: zero}
        - {name: channel, type: categorical, categories: [web, app, branch], missing: mean}
        - {name: score, missing: reject}
      model: {hidden_units: [8, 4], dropout: 0.3, activation: relu}
      scoring: {review_threshold: 0.4, block_threshold: 0.8}
      """;
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  static FederationPlan plan;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadPlan() throws Exception {
    plan = PlanLoader.parse(PLAN, "test");
  }

  static ModelVersion version(FederationPlan plan, long number, float[] weights) {
    int width = plan.inputWidth();
    double[] mean = new double[width];
    double[] std = new double[width];
    for (int i = 0; i < width; i++) {
      mean[i] = 0.25 * i + 0.1;
      std[i] = 1.5 + 0.3 * i;
    }
    return new ModelVersion(number, "run-1", PlanHash.of(plan), 7, weights, new Normalization(mean, std, 0.1),
        null, List.of("bank-01", "bank-02"), NOW, 1.25);
  }

  static float[] randomWeights(FederationPlan plan, long seed) {
    float[] weights = new float[plan.modelLayout().parameterCount()];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return weights;
  }

  private ExportedModel export(ModelVersion version, boolean overwrite) throws ModelExportException {
    return new SavedModelExporter(Clock.fixed(NOW, ZoneOffset.UTC)).export(version, plan, dir.resolve("models"),
        overwrite);
  }

  private static float[] score(SavedModelBundle bundle, float[] rawRowMajor, int rows) {
    int width = plan.features().size();
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(rows, width), DataBuffers.of(rawRowMajor, true, false));
        Result result = bundle.call(Map.of(ServingContract.INPUT_NAME, x))) {
      TFloat32 out = (TFloat32) result.get(ServingContract.OUTPUT_NAME).orElseThrow();
      assertEquals(Shape.of(rows, 1), out.shape());
      float[] scores = new float[rows];
      out.copyTo(DataBuffers.of(scores, false, false));
      return scores;
    }
  }

  @Test
  void export_writesServingLayout_tagSignatureAndManifest() throws Exception {
    // when
    ExportedModel exported = export(version(plan, 3, randomWeights(plan, 1)), false);
    // then: TensorFlow Serving's layout under a numbered directory
    Path versionDir = dir.resolve("models").resolve("3");
    assertEquals(versionDir, exported.versionDirectory());
    assertTrue(Files.isRegularFile(versionDir.resolve("saved_model.pb")));
    assertTrue(Files.isDirectory(versionDir.resolve("variables")));
    try (var listing = Files.list(dir.resolve("models"))) {
      assertEquals(List.of(versionDir), listing.toList(), "no staging directory is left behind");
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(versionDir.toString(), "serve")) {
      SignatureDef signature = bundle.metaGraphDef().getSignatureDefOrThrow("serving_default");
      assertEquals("tensorflow/serving/predict", signature.getMethodName());
      assertEquals(Set.of("features"), signature.getInputsMap().keySet());
      assertEquals(Set.of("fraud_probability"), signature.getOutputsMap().keySet());
      assertEquals(org.tensorflow.proto.DataType.DT_FLOAT, signature.getInputsOrThrow("features").getDtype());
      assertEquals(List.of(-1L, 4L), signature.getInputsOrThrow("features").getTensorShape().getDimList().stream()
          .map(d -> d.getSize()).toList());
      assertEquals(List.of(-1L, 1L), signature.getOutputsOrThrow("fraud_probability").getTensorShape().getDimList()
          .stream().map(d -> d.getSize()).toList());
      assertEquals(List.of("serve"), bundle.metaGraphDef().getMetaInfoDef().getTagsList());
    }
    // and the manifest
    ModelManifest manifest = ModelManifest.read(versionDir);
    assertEquals(exported.manifest(), manifest);
    assertEquals(3, manifest.modelVersion());
    assertEquals("run-1", manifest.runId());
    assertEquals(PlanHash.of(plan), manifest.planHash());
    assertEquals(version(plan, 3, randomWeights(plan, 1)).weightsHash(), manifest.weightsSha256());
    assertEquals(7, manifest.round());
    assertEquals(List.of("bank-01", "bank-02"), manifest.participants());
    assertEquals(1.25, manifest.epsilonSpent());
    assertEquals(List.of("amount", "age", "channel", "score"), manifest.featureNames());
    assertEquals(List.of("web", "app", "branch"), manifest.inputs().get(2).categories());
    assertEquals("categorical", manifest.inputs().get(2).type());
    assertEquals("zero", manifest.inputs().get(1).missing());
    assertEquals(0.4, manifest.reviewThreshold());
    assertEquals(0.8, manifest.blockThreshold());
    assertEquals(ModelManifest.SignatureInfo.standard(), manifest.signature());
    assertEquals("2026-11-27T10:00:00Z", manifest.createdAt());
  }

  @Test
  void exportedGraph_isInferenceOnly_noDropoutNoOptimizerNoLabels() throws Exception {
    // when
    ExportedModel exported = export(version(plan, 1, randomWeights(plan, 2)), false);
    // then
    Set<String> types = new HashSet<>();
    List<String> names = new ArrayList<>();
    try (SavedModelBundle bundle = SavedModelBundle.load(exported.versionDirectory().toString(), "serve")) {
      bundle.graph().operations().forEachRemaining(op -> {
        types.add(op.type());
        names.add(op.name());
      });
    }
    for (String type : types) {
      assertFalse(type.startsWith("Apply") || type.startsWith("ResourceApply") || type.contains("Random")
          || type.contains("Dropout") || type.contains("Gradient") || type.endsWith("Grad"), "training op " + type);
    }
    assertTrue(types.containsAll(Set.of("MatMul", "BiasAdd", "Relu", "Sigmoid", "VariableV2")), types.toString());
    assertFalse(names.stream().anyMatch(n -> n.contains("adam") || n.contains("label") || n.contains("dropout")),
        names.toString());
  }

  @Test
  void exportedModel_normalisesRawFeatures_appliesMissingPolicies_andRunsTheNetwork() throws Exception {
    // given
    float[] weights = randomWeights(plan, 3);
    ModelVersion version = version(plan, 1, weights);
    ExportedModel exported = export(version, false);
    float nan = Float.NaN;
    float[] raw = {
        120.5f, 33f, 1f, 0.7f,
        nan, nan, nan, -2f,
        0f, 0f, 2f, 5f};
    // when
    float[] scores;
    try (SavedModelBundle bundle = SavedModelBundle.load(exported.versionDirectory().toString(), "serve")) {
      scores = score(bundle, raw, 3);
    }
    // then: the same network computed in Java on the agent's encoding (one-hot, NaN = mean, zero = 0)
    float[][] encoded = {
        {120.5f, 33f, 0f, 1f, 0f, 0.7f},
        {nan, 0f, 0f, 0f, 0f, -2f},
        {0f, 0f, 0f, 0f, 1f, 5f}};
    for (int row = 0; row < 3; row++) {
      double expected = ReferenceNetwork.probability(plan, weights, version.normalization(), encoded[row]);
      assertEquals(expected, scores[row], 1e-5, "row " + row);
    }
  }

  @Test
  void missingValueInRejectFeature_failsTheRequestNamingTheFeature() throws Exception {
    ExportedModel exported = export(version(plan, 1, randomWeights(plan, 4)), false);
    try (SavedModelBundle bundle = SavedModelBundle.load(exported.versionDirectory().toString(), "serve")) {
      TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class,
          () -> score(bundle, new float[] {1f, 2f, 0f, Float.NaN}, 1));
      assertTrue(e.getMessage().contains("missing value (NaN) in feature score, and the plan says missing: reject"),
          e.getMessage());
      TFInvalidArgumentException badCategory = assertThrows(TFInvalidArgumentException.class,
          () -> score(bundle, new float[] {1f, 2f, 3f, 0f}, 1));
      assertTrue(badCategory.getMessage().contains("feature channel must be a category index 0 to 2"),
          badCategory.getMessage());
      assertThrows(TFInvalidArgumentException.class, () -> score(bundle, new float[] {1f, 2f, 0.5f, 0f}, 1));
    }
  }

  @Test
  void versionOfAnotherPlan_isRefusedWithBothHashes() throws Exception {
    FederationPlan other = PlanLoader.parse(PLAN.replace("block_threshold: 0.8", "block_threshold: 0.85"), "other");
    ModelVersion version = version(other, 1, randomWeights(plan, 5));
    ModelExportException e = assertThrows(ModelExportException.class, () -> export(version, false));
    assertTrue(e.badInput());
    assertTrue(e.getMessage().contains(PlanHash.of(other)) && e.getMessage().contains(PlanHash.of(plan)),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("models").resolve("1")));
  }

  @Test
  void weightsOfAnotherLayout_areRefusedWithBothCounts() {
    int expected = plan.modelLayout().parameterCount();
    ModelExportException e = assertThrows(ModelExportException.class,
        () -> export(version(plan, 1, new float[expected - 1]), false));
    assertTrue(e.badInput());
    assertTrue(e.getMessage().contains("has %d weights".formatted(expected - 1))
        && e.getMessage().contains("needs " + expected), e.getMessage());
  }

  @Test
  void nonFiniteWeight_isRefusedNamingItsIndex() {
    float[] weights = randomWeights(plan, 6);
    weights[17] = Float.POSITIVE_INFINITY;
    ModelExportException e = assertThrows(ModelExportException.class, () -> export(version(plan, 1, weights), false));
    assertTrue(e.badInput());
    assertTrue(e.getMessage().contains("weight 17 is Infinity"), e.getMessage());
  }

  @Test
  void existingVersionDirectory_isRefusedUnlessOverwrite() throws Exception {
    // given
    export(version(plan, 2, randomWeights(plan, 7)), false);
    ModelVersion replacement = version(plan, 2, randomWeights(plan, 8));
    // when
    ModelExportException e = assertThrows(ModelExportException.class, () -> export(replacement, false));
    // then
    assertTrue(e.badInput());
    assertTrue(e.getMessage().contains("already exists and is not empty; pass --overwrite"), e.getMessage());
    assertEquals(version(plan, 2, randomWeights(plan, 7)).weightsHash(),
        ModelManifest.read(dir.resolve("models/2")).weightsSha256(), "the old export is untouched");
    // and with overwrite the new version replaces it
    ExportedModel replaced = export(replacement, true);
    assertEquals(replacement.weightsHash(), ModelManifest.read(replaced.versionDirectory()).weightsSha256());
  }
}
