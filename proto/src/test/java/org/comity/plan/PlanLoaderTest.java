package org.comity.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanLoaderTest {
  static final String MINIMAL = """
      label: is_fraud
      features:
        - {name: amount, type: numeric, min: 0, max: 1000000, missing: mean}
        - {name: channel, type: categorical, categories: [web, app, branch]}
      """;

  @Test
  void minimalPlan_getsTheMissionDefaults() throws PlanException {
    // when
    FederationPlan plan = PlanLoader.parse(MINIMAL, "test");
    // then
    assertEquals(List.of(128, 64, 32), plan.model().hiddenUnits());
    assertEquals(0.3, plan.model().dropout());
    assertEquals(Activation.RELU, plan.model().activation());
    assertEquals(ImbalanceHandling.CLASS_WEIGHT, plan.training().imbalance());
    assertNull(plan.training().classWeight(), "balanced class weight by default");
    assertEquals(4, plan.inputWidth(), "one numeric + three one-hot columns");
    assertEquals(List.of("amount", "channel=web", "channel=app", "channel=branch"), plan.inputColumnNames());
    assertEquals(Duration.ofMinutes(10), plan.rounds().deadline());
    assertEquals(MissingValuePolicy.REJECT, plan.features().get(1).missing());
  }

  @Test
  void fullPlan_readsEveryKey() throws PlanException {
    String yaml = """
        plan_version: 1
        name: nordic-fraud
        label: label
        features:
          - {name: x, type: numeric}
        model: {hidden_units: [16, 8], dropout: 0.1, activation: tanh, init_seed: 9}
        training: {epochs: 3, batch_size: 64, learning_rate: 0.01, imbalance: class_weight, class_weight: 50, max_class_weight: 80}
        rounds: {count: 7, participants_per_round: 3, min_quorum: 2, min_members_to_start: 4, deadline: 90s,
                 evaluation_deadline: 500ms, join_timeout: 1h, server_learning_rate: 0.5, seed: 3}
        evaluation: {holdout_fraction: 0.25, holdout_seed: 11, threshold: 0.7}
        """;
    FederationPlan plan = PlanLoader.parse(yaml, "test");
    assertEquals("nordic-fraud", plan.name());
    assertEquals(List.of(16, 8), plan.model().hiddenUnits());
    assertEquals(Activation.TANH, plan.model().activation());
    assertEquals(50.0, plan.training().classWeight());
    assertEquals(50.0, plan.training().positiveClassWeight(0.001), "a fixed class weight ignores the positive rate");
    assertEquals(3, plan.rounds().participantsPerRound());
    assertEquals(Duration.ofSeconds(90), plan.rounds().deadline());
    assertEquals(Duration.ofMillis(500), plan.rounds().evaluationDeadline());
    assertEquals(0.5, plan.rounds().serverLearningRate());
    assertEquals(0.7, plan.evaluation().threshold());
  }

  @Test
  void balancedClassWeight_isTheGlobalNegativeToPositiveRatioCapped() throws PlanException {
    TrainingSpec training = PlanLoader.parse(MINIMAL, "t").training();
    assertEquals(9.0, training.positiveClassWeight(0.1), 1e-9);
    assertEquals(100.0, training.positiveClassWeight(0.0005), "capped at max_class_weight");
  }

  @Test
  void badValues_areAllReportedWithKeyValueAndRule() {
    String yaml = """
        label: y
        features:
          - {name: a, type: numeric, min: 5, max: 1}
          - {name: a, type: categorical}
          - {name: c, type: text}
        model: {dropout: 1.5, hidden_units: [0]}
        training: {batch_size: 0, imbalance: oversample}
        rounds: {min_quorum: 5, participants_per_round: 3, deadline: soon}
        evaluation: {threshold: 2}
        colour: blue
        """;
    PlanException e = assertThrows(PlanException.class, () -> PlanLoader.parse(yaml, "bad.yaml"));
    String message = e.getMessage();
    assertTrue(message.contains("bad.yaml"), message);
    assertTrue(message.contains("features[0].min: value 5.0 is above max 1.0"), message);
    assertTrue(message.contains("features[1].name: feature 'a' is declared twice"), message);
    assertTrue(message.contains("features[1].categories: a categorical feature needs a non-empty list"), message);
    assertTrue(message.contains("features[2].type: value 'text' is not one of [numeric, categorical]"), message);
    assertTrue(message.contains("model.dropout: value 1.5 is out of range: allowed 0 to 1 (exclusive)"), message);
    assertTrue(message.contains("model.hidden_units[0]: expected an integer from 1 to 8192, got 0"), message);
    assertTrue(message.contains("training.batch_size: value 0 is out of range"), message);
    assertTrue(message.contains("training.imbalance: value 'oversample' is not one of"), message);
    assertTrue(message.contains("rounds.min_quorum: value 5 is above participants_per_round 3"), message);
    assertTrue(message.contains("rounds.deadline: value 'soon' is not a duration"), message);
    assertTrue(message.contains("evaluation.threshold: value 2 is out of range"), message);
    assertTrue(message.contains("colour: unknown key"), message);
  }

  @Test
  void missingLabelAndFeatures_areReported() {
    PlanException e = assertThrows(PlanException.class, () -> PlanLoader.parse("name: x\n", "t"));
    assertTrue(e.problems().contains("label: is required"), e.getMessage());
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("features: is required")), e.getMessage());
  }

  @Test
  void labelDeclaredAsFeature_isRejected() {
    String yaml = "label: x\nfeatures: [{name: x}]\n";
    PlanException e = assertThrows(PlanException.class, () -> PlanLoader.parse(yaml, "t"));
    assertTrue(e.getMessage().contains("label: 'x' is also declared as a feature"), e.getMessage());
  }

  @Test
  void notYaml_emptyFile_andMissingFile_giveClearErrors() {
    PlanException syntax = assertThrows(PlanException.class, () -> PlanLoader.parse("features: [\n  - {name: a", "t"));
    assertTrue(syntax.getMessage().contains("not valid YAML at line"), syntax.getMessage());
    PlanException empty = assertThrows(PlanException.class, () -> PlanLoader.parse("", "t"));
    assertTrue(empty.getMessage().contains("the file is empty"), empty.getMessage());
    PlanException list = assertThrows(PlanException.class, () -> PlanLoader.parse("- a\n- b\n", "t"));
    assertTrue(list.getMessage().contains("top level must be a mapping"), list.getMessage());
    PlanException missing = assertThrows(PlanException.class, () -> PlanLoader.load(Path.of("/nonexistent/plan.yaml")));
    assertTrue(missing.getMessage().contains("file not found"), missing.getMessage());
  }

  @Test
  void consistencyCheck_defaultsOnForSemiMalicious_offForSemiHonest_andCanBeSetExplicitly() throws PlanException {
    String base = "label: y\nfeatures: [{name: a}]\nrounds: {min_quorum: 3}\n";
    assertTrue(PlanLoader.parse(base + "secure_aggregation: {enabled: true, threat_model: semi_malicious}\n", "t")
        .secureAggregation().consistencyCheck());
    assertTrue(!PlanLoader.parse(base + "secure_aggregation: {enabled: true}\n", "t")
        .secureAggregation().consistencyCheck());
    assertTrue(PlanLoader.parse(base + "secure_aggregation: {enabled: true, consistency_check: true}\n", "t")
        .secureAggregation().consistencyCheck());
    assertTrue(!PlanLoader.parse(base + "secure_aggregation: {enabled: true, threat_model: semi_malicious, "
        + "consistency_check: false}\n", "t").secureAggregation().consistencyCheck());
    assertTrue(!PlanLoader.parse(base + "secure_aggregation: {threat_model: semi_malicious}\n", "t")
        .secureAggregation().consistencyCheck(), "no secure aggregation, nothing to check");
  }

  @Test
  void consistencyCheck_badValueOrWithoutSecureAggregation_isReported() {
    String base = "label: y\nfeatures: [{name: a}]\nrounds: {min_quorum: 3}\n";
    PlanException bad = assertThrows(PlanException.class, () -> PlanLoader.parse(base
        + "secure_aggregation: {enabled: true, consistency_check: maybe}\n", "t"));
    assertTrue(bad.getMessage().contains("secure_aggregation.consistency_check: value 'maybe' is not true or false"),
        bad.getMessage());
    PlanException off = assertThrows(PlanException.class, () -> PlanLoader.parse(base
        + "secure_aggregation: {consistency_check: true}\n", "t"));
    assertTrue(off.getMessage().contains("secure_aggregation.consistency_check: the consistency check is part of "
        + "secure aggregation"), off.getMessage());
  }

  private static final String SECURE_DP = MINIMAL + """
      rounds: {min_quorum: 3}
      secure_aggregation: {enabled: %s}
      privacy:
        bank_level: {enabled: true, clip_norm: 0.5, noise_multiplier: 1.1, noise_placement: %s%s}
      """;

  @Test
  void distributedNoisePlacement_withSecureAggregation_isRead() throws PlanException {
    FederationPlan plan = PlanLoader.parse(SECURE_DP.formatted("true", "distributed", ""), "t");
    assertEquals(BankPrivacySpec.NoisePlacement.DISTRIBUTED, plan.bankPrivacy().noisePlacement());
    assertTrue(plan.bankPrivacy().distributedNoise());
    FederationPlan central = PlanLoader.parse(SECURE_DP.formatted("true", "central", ""), "t");
    assertEquals(BankPrivacySpec.NoisePlacement.CENTRAL, central.bankPrivacy().noisePlacement());
    assertFalse(central.bankPrivacy().distributedNoise());
  }

  @Test
  void distributedNoisePlacement_withoutSecureAggregation_isRefusedNamingKeyValueAndRule() {
    PlanException e = assertThrows(PlanException.class,
        () -> PlanLoader.parse(SECURE_DP.formatted("false", "distributed", ""), "t"));
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("privacy.bank_level.noise_placement: value "
        + "'distributed' needs secure aggregation")), e.getMessage());
  }

  @Test
  void distributedNoisePlacement_withAdaptiveClipping_isRefusedNamingKeyValueAndRule() {
    PlanException e = assertThrows(PlanException.class,
        () -> PlanLoader.parse(SECURE_DP.formatted("true", "distributed", ", adaptive_clipping: true"), "t"));
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("privacy.bank_level.noise_placement: value "
        + "'distributed' cannot be combined with adaptive_clipping")), e.getMessage());
  }

  @Test
  void unknownNoisePlacement_isRefusedWithTheAllowedValues() {
    PlanException e = assertThrows(PlanException.class,
        () -> PlanLoader.parse(SECURE_DP.formatted("true", "local", ""), "t"));
    assertTrue(e.problems().contains("privacy.bank_level.noise_placement: value 'local' is not one of [central, "
        + "distributed]"), e.getMessage());
  }
}
