package org.comity.plan;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates a federation plan from YAML. Every key is declared here once, with its default and its
 * allowed values; unknown keys are errors. All problems of a file are reported together in one
 * {@link PlanException}, each naming the key, the value and what is wrong.
 *
 * <p>Defaults are the mission's model: 128-64-32-1 ReLU, dropout 0.3, sigmoid output, balanced class weights.
 */
public final class PlanLoader {
  /** Largest number of input columns a plan may declare (guards memory at every bank). */
  public static final int MAX_INPUT_COLUMNS = 4096;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private PlanLoader() {}

  /** Loads and validates the plan in {@code file}. */
  public static FederationPlan load(Path file) throws PlanException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new PlanException(file.toString(), List.of("file not found"));
    } catch (IOException e) {
      throw new PlanException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
    }
    return parse(text, file.toString());
  }

  /** Parses and validates plan YAML; {@code source} names it in error messages. */
  public static FederationPlan parse(String yaml, String source) throws PlanException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      String location = e.getLocation() == null ? "" : " at line %d, column %d"
          .formatted(e.getLocation().getLineNr(), e.getLocation().getColumnNr());
      throw new PlanException(source, List.of("not valid YAML" + location + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new PlanException(source, List.of("cannot parse: " + e.getMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new PlanException(source, List.of("the file is empty"));
    }
    if (!root.isObject()) {
      throw new PlanException(source, List.of("the top level must be a mapping of keys, got " + PlanNode.describe(root)));
    }
    List<String> problems = new ArrayList<>();
    FederationPlan plan = read(new PlanNode(root, "", problems), problems);
    if (!problems.isEmpty()) {
      throw new PlanException(source, problems);
    }
    return plan;
  }

  private static FederationPlan read(PlanNode root, List<String> problems) {
    int version = root.integer("plan_version", 1, 1, 1);
    assert version == 1;
    String name = root.string("name", "comity-federation");
    List<FeatureSpec> features = readFeatures(root);
    String label = root.string("label", null);
    if (label != null) {
      for (FeatureSpec feature : features) {
        if (feature.name().equals(label)) {
          root.problem("label", "'%s' is also declared as a feature; the label cannot be a model input".formatted(label));
        }
      }
    }
    ModelSpec model = readModel(root.child("model"));
    TrainingSpec training = readTraining(root.child("training"));
    RoundsSpec rounds = readRounds(root.child("rounds"));
    EvaluationSpec evaluation = readEvaluation(root.child("evaluation"));
    SecureAggregationSpec secureAggregation = readSecureAggregation(root.child("secure_aggregation"), rounds);
    ScoringSpec scoring = readScoring(root.child("scoring"), problems);
    PlanNode privacy = root.child("privacy");
    BankPrivacySpec bankPrivacy = readPrivacy(privacy.child("bank_level"), rounds, secureAggregation);
    SampleLevelPrivacySpec samplePrivacy = readSamplePrivacy(privacy.child("sample_level"), training);
    privacy.rejectUnknownKeys();
    root.rejectUnknownKeys();
    FederationPlan plan = new FederationPlan(name, features, label, model, training, rounds, evaluation,
        secureAggregation, bankPrivacy, samplePrivacy, scoring);
    if (problems.isEmpty() && plan.inputWidth() > MAX_INPUT_COLUMNS) {
      root.problem("features", "the schema expands to %d model inputs; at most %d are allowed"
          .formatted(plan.inputWidth(), MAX_INPUT_COLUMNS));
    }
    return plan;
  }

  private static List<FeatureSpec> readFeatures(PlanNode root) {
    if (!root.has("features")) {
      root.problem("features", "is required: list each feature column with its name and type");
      return List.of();
    }
    List<PlanNode> nodes = root.childList("features");
    if (nodes.isEmpty()) {
      root.problem("features", "must list at least one feature");
    }
    List<FeatureSpec> features = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (PlanNode node : nodes) {
      String name = node.string("name", null);
      FeatureType type = node.enumValue("type", FeatureType.class, FeatureType.NUMERIC);
      Double min = node.number("min", null, -Double.MAX_VALUE, Double.MAX_VALUE, false);
      Double max = node.number("max", null, -Double.MAX_VALUE, Double.MAX_VALUE, false);
      List<String> categories = node.list("categories", List.of(),
          v -> v.isTextual() || v.isNumber() ? v.asText() : null, "a string");
      MissingValuePolicy missing = node.enumValue("missing", MissingValuePolicy.class, MissingValuePolicy.REJECT);
      node.rejectUnknownKeys();
      if (name != null && !names.add(name)) {
        node.problem("name", "feature '%s' is declared twice".formatted(name));
      }
      if (min != null && max != null && min > max) {
        node.problem("min", "value %s is above max %s".formatted(min, max));
      }
      if (type == FeatureType.CATEGORICAL) {
        if (categories.isEmpty()) {
          node.problem("categories", "a categorical feature needs a non-empty list of categories");
        }
        if (new HashSet<>(categories).size() != categories.size()) {
          node.problem("categories", "lists a category twice: " + categories);
        }
        if (min != null || max != null) {
          node.problem("min", "min and max apply to numeric features only");
        }
      } else if (!categories.isEmpty()) {
        node.problem("categories", "categories apply to categorical features only");
      }
      features.add(new FeatureSpec(name == null ? "?" : name, type, min, max, categories, missing));
    }
    return features;
  }

  private static ModelSpec readModel(PlanNode node) {
    List<Integer> hidden = node.list("hidden_units", List.of(128, 64, 32),
        v -> v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 1 && v.intValue() <= 8192
            ? v.intValue() : null,
        "an integer from 1 to 8192");
    if (hidden.size() > 16) {
      node.problem("hidden_units", "at most 16 hidden layers are supported, got " + hidden.size());
    }
    double dropout = node.number("dropout", 0.3, 0.0, 1.0, true);
    Activation activation = node.enumValue("activation", Activation.class, Activation.RELU);
    long initSeed = node.longValue("init_seed", 1L);
    node.rejectUnknownKeys();
    return new ModelSpec(hidden, dropout, activation, initSeed);
  }

  private static TrainingSpec readTraining(PlanNode node) {
    int epochs = node.integer("epochs", 1, 1, 1000);
    int batchSize = node.integer("batch_size", 256, 1, 1 << 20);
    double learningRate = node.number("learning_rate", 0.001, 1e-9, 10.0, false);
    ImbalanceHandling imbalance = node.enumValue("imbalance", ImbalanceHandling.class, ImbalanceHandling.CLASS_WEIGHT);
    Double classWeight = null;
    if (node.has("class_weight")) {
      String text = node.string("class_weight", "balanced");
      if (!"balanced".equalsIgnoreCase(text)) {
        classWeight = node.number("class_weight", null, 1.0, 1e6, false);
        if (classWeight == null && !text.matches("[-+0-9.eE]+")) {
          node.problem("class_weight", "value '%s' is neither 'balanced' nor a number from 1 to 1000000".formatted(text));
        }
      }
    }
    double maxClassWeight = node.number("max_class_weight", 100.0, 1.0, 1e6, false);
    TrainingSpec.OptimizerStatePolicy optimizerState = node.enumValue("optimizer_state",
        TrainingSpec.OptimizerStatePolicy.class, TrainingSpec.OptimizerStatePolicy.KEEP_PER_BANK);
    node.rejectUnknownKeys();
    if (imbalance == ImbalanceHandling.BALANCED_SAMPLING && classWeight != null) {
      node.problem("class_weight", "is not used with imbalance: balanced_sampling; remove it or use class_weight");
    }
    return new TrainingSpec(epochs, batchSize, learningRate, imbalance, classWeight, maxClassWeight, optimizerState);
  }

  private static RoundsSpec readRounds(PlanNode node) {
    int count = node.integer("count", 40, 1, 100_000);
    int perRound = 0;
    if (node.has("participants_per_round")) {
      String text = node.string("participants_per_round", "all");
      if (!"all".equalsIgnoreCase(text)) {
        perRound = node.integer("participants_per_round", 0, 1, 100_000);
      }
    }
    int quorum = node.integer("min_quorum", 2, 1, 100_000);
    int minMembers = node.integer("min_members_to_start", quorum, 1, 100_000);
    Duration deadline = node.duration("deadline", Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofDays(7));
    Duration evaluationDeadline = node.duration("evaluation_deadline", Duration.ofMinutes(5),
        Duration.ofMillis(100), Duration.ofDays(7));
    Duration joinTimeout = node.duration("join_timeout", Duration.ofMinutes(30), Duration.ofMillis(100), Duration.ofDays(7));
    double serverLearningRate = node.number("server_learning_rate", 1.0, 1e-6, 100.0, false);
    long seed = node.longValue("seed", 42L);
    node.rejectUnknownKeys();
    if (perRound > 0 && quorum > perRound) {
      node.problem("min_quorum", "value %d is above participants_per_round %d: no round could ever commit"
          .formatted(quorum, perRound));
    }
    if (minMembers < quorum) {
      node.problem("min_members_to_start", "value %d is below min_quorum %d".formatted(minMembers, quorum));
    }
    return new RoundsSpec(count, perRound, quorum, minMembers, deadline, evaluationDeadline, joinTimeout,
        serverLearningRate, seed);
  }

  private static SecureAggregationSpec readSecureAggregation(PlanNode node, RoundsSpec rounds) {
    SecureAggregationSpec defaults = SecureAggregationSpec.disabled();
    boolean enabled = false;
    if (node.has("enabled")) {
      String text = node.string("enabled", "false");
      if ("true".equalsIgnoreCase(text)) {
        enabled = true;
      } else if (!"false".equalsIgnoreCase(text)) {
        node.problem("enabled", "value '%s' is not true or false".formatted(text));
      }
    }
    double corrupt = node.number("corrupt_fraction", defaults.corruptFraction(), 0.0, 1.0, true);
    double dropout = node.number("dropout_rate", defaults.dropoutRate(), 0.0, 1.0, true);
    SecureAggregationSpec.ThreatModelName threat = node.enumValue("threat_model",
        SecureAggregationSpec.ThreatModelName.class, defaults.threatModel());
    Integer neighbours = node.has("neighbours") ? node.integer("neighbours", 0, 2, 100_000) : null;
    Integer threshold = node.has("threshold") ? node.integer("threshold", 0, 2, 100_000) : null;
    double clip = node.number("clip_bound", defaults.clipBound(), 1e-6, 1e6, false);
    long maxSamples = node.longValue("max_sample_count", defaults.maxSampleCount());
    Duration stageDeadline = node.duration("stage_deadline", defaults.stageDeadline(), Duration.ofMillis(100),
        Duration.ofDays(1));
    boolean consistencyCheck = SecureAggregationSpec.defaultConsistencyCheck(threat);
    if (node.has("consistency_check")) {
      String text = node.string("consistency_check", String.valueOf(consistencyCheck));
      if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
        consistencyCheck = Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
        if (consistencyCheck && !enabled) {
          node.problem("consistency_check", "the consistency check is part of secure aggregation: set "
              + "secure_aggregation.enabled: true, or drop consistency_check");
        }
      } else {
        node.problem("consistency_check", "value '%s' is not true or false".formatted(text));
      }
    }
    node.rejectUnknownKeys();
    if (maxSamples < 1 || maxSamples > 0xFFFF_FFFFL) {
      node.problem("max_sample_count", "value %d is out of range: allowed 1 to 4294967295".formatted(maxSamples));
      maxSamples = defaults.maxSampleCount();
    }
    if ((neighbours == null) != (threshold == null)) {
      node.problem(neighbours == null ? "threshold" : "neighbours",
          "override neighbours and threshold together, or neither (both are then derived from the threat model)");
    }
    if (enabled && (rounds.minQuorum() < 3 || (rounds.participantsPerRound() > 0 && rounds.participantsPerRound() < 3))) {
      node.problem("enabled", "secure aggregation needs at least 3 banks per round: raise rounds.min_quorum to 3 or more");
    }
    // Without secure aggregation there is no round to check: the effective value is false, so that a plan with
    // secure aggregation off hashes the same whatever its threat model says.
    return new SecureAggregationSpec(enabled, corrupt, dropout, threat, neighbours, threshold, clip, maxSamples,
        stageDeadline, enabled && consistencyCheck);
  }

  private static SampleLevelPrivacySpec readSamplePrivacy(PlanNode node, TrainingSpec training) {
    SampleLevelPrivacySpec defaults = SampleLevelPrivacySpec.disabled();
    boolean enabled = false;
    if (node.has("enabled")) {
      String text = node.string("enabled", "false");
      enabled = "true".equalsIgnoreCase(text);
      if (!enabled && !"false".equalsIgnoreCase(text)) {
        node.problem("enabled", "value '%s' is not true or false".formatted(text));
      }
    }
    if (enabled && !node.has("clip_norm")) {
      node.problem("clip_norm", "is required with sample-level privacy: the L2 bound of each example's gradient");
    }
    if (enabled && !node.has("noise_multiplier")) {
      node.problem("noise_multiplier", "is required with sample-level privacy (noise standard deviation / clip norm)");
    }
    double clip = node.number("clip_norm", defaults.clipNorm(), 1e-9, 1e9, false);
    double noise = node.number("noise_multiplier", defaults.noiseMultiplier(), 0.0, 1e6, false);
    int batch = node.integer("expected_batch_size", training.batchSize(), 1, 1 << 20);
    node.rejectUnknownKeys();
    if (enabled && noise == 0) {
      node.problem("noise_multiplier", "value 0 gives no privacy; use a positive noise multiplier");
    }
    if (enabled && training.imbalance() == ImbalanceHandling.BALANCED_SAMPLING) {
      node.problem("enabled", "DP-SGD needs Poisson-sampled batches; use training.imbalance: class_weight");
    }
    return new SampleLevelPrivacySpec(enabled, clip, noise, batch);
  }

  private static BankPrivacySpec readPrivacy(PlanNode node, RoundsSpec rounds, SecureAggregationSpec secure) {
    BankPrivacySpec defaults = BankPrivacySpec.disabled();
    boolean enabled = false;
    if (node.has("enabled")) {
      String text = node.string("enabled", "false");
      enabled = "true".equalsIgnoreCase(text);
      if (!enabled && !"false".equalsIgnoreCase(text)) {
        node.problem("enabled", "value '%s' is not true or false".formatted(text));
      }
    }
    if (enabled && !node.has("clip_norm")) {
      node.problem("clip_norm", "is required with bank-level privacy: the L2 bound of each bank's update");
    }
    if (enabled && !node.has("noise_multiplier")) {
      node.problem("noise_multiplier", "is required with bank-level privacy (noise standard deviation / clip norm)");
    }
    double clip = node.number("clip_norm", defaults.clipNorm(), 1e-9, 1e9, false);
    double noise = node.number("noise_multiplier", defaults.noiseMultiplier(), 0.0, 1e6, false);
    double rate = node.number("participation_rate", defaults.participationRate(), 1e-9, 1.0, false);
    double epsilon = node.number("target_epsilon", defaults.targetEpsilon(), 1e-6, 1e6, false);
    double delta = node.number("delta", defaults.delta(), 1e-300, 1.0, true);
    boolean adaptive = false;
    if (node.has("adaptive_clipping")) {
      String text = node.string("adaptive_clipping", "false");
      adaptive = "true".equalsIgnoreCase(text);
      if (!adaptive && !"false".equalsIgnoreCase(text)) {
        node.problem("adaptive_clipping", "value '%s' is not true or false".formatted(text));
      }
    }
    double quantile = node.number("target_unclipped_quantile", defaults.targetUnclippedQuantile(), 0.0, 1.0, false);
    double clipRate = node.number("clip_learning_rate", defaults.clipLearningRate(), 1e-9, 100.0, false);
    double expected = Math.max(1.0, rate * rounds.minMembersToStart());
    double countStddev = node.number("clipped_count_stddev", expected / 20.0, 0.0, 1e9, false);
    BankPrivacySpec.NoisePlacement placement = node.enumValue("noise_placement", BankPrivacySpec.NoisePlacement.class,
        BankPrivacySpec.NoisePlacement.CENTRAL);
    node.rejectUnknownKeys();
    if (enabled && placement == BankPrivacySpec.NoisePlacement.DISTRIBUTED) {
      if (!secure.enabled()) {
        node.problem("noise_placement", "value 'distributed' needs secure aggregation: each bank's noise share is "
            + "only meaningful inside a masked sum; set secure_aggregation.enabled: true, or use noise_placement: "
            + "central");
      }
      if (adaptive) {
        node.problem("noise_placement", "value 'distributed' cannot be combined with adaptive_clipping: true: the "
            + "adaptive rule's count of unclipped updates needs central noise; use a fixed clip_norm, or "
            + "noise_placement: central");
      }
    }
    if (enabled && adaptive && !(2 * countStddev > noise)) {
      node.problem("clipped_count_stddev", ("value %s leaves no privacy budget for the sum: adaptive clipping needs "
          + "2 x clipped_count_stddev > noise_multiplier %s").formatted(countStddev, noise));
    }
    if (enabled && noise == 0) {
      node.problem("noise_multiplier", "value 0 gives no privacy; use a positive noise multiplier");
    }
    if (enabled && delta >= 1.0 / rounds.minMembersToStart()) {
      node.problem("delta", ("value %s is not below 1 / banks = 1/%d: with so large a delta one bank's data could "
          + "be released outright").formatted(delta, rounds.minMembersToStart()));
    }
    // Without bank-level DP there is no noise to place: the effective value is central, so such a plan hashes the same
    // whatever it says here.
    return new BankPrivacySpec(enabled, clip, noise, rate, epsilon, delta, adaptive, quantile, clipRate, countStddev,
        enabled ? placement : BankPrivacySpec.NoisePlacement.CENTRAL);
  }

  private static ScoringSpec readScoring(PlanNode node, List<String> problems) {
    int problemsBefore = problems.size();
    double review = node.number("review_threshold", ScoringSpec.DEFAULT_REVIEW_THRESHOLD, 0.0, 1.0, true);
    double block = node.number("block_threshold", ScoringSpec.DEFAULT_BLOCK_THRESHOLD, 0.0, 1.0, true);
    node.rejectUnknownKeys();
    if (review <= 0) {
      node.problem("review_threshold", "value %s must be above 0 (rule: 0 < review_threshold < block_threshold < 1)"
          .formatted(review));
    }
    if (block <= 0) {
      node.problem("block_threshold", "value %s must be above 0 (rule: 0 < review_threshold < block_threshold < 1)"
          .formatted(block));
    }
    // Compare only two values that were read as written: an out-of-range one was replaced by its default.
    if (problems.size() == problemsBefore && review >= block) {
      node.problem("block_threshold", ("value %s is not above review_threshold %s (rule: 0 < review_threshold < "
          + "block_threshold < 1)").formatted(block, review));
    }
    return problems.size() == problemsBefore ? new ScoringSpec(review, block) : ScoringSpec.defaults();
  }

  private static EvaluationSpec readEvaluation(PlanNode node) {
    double holdout = node.number("holdout_fraction", 0.2, 0.01, 0.9, false);
    long seed = node.longValue("holdout_seed", 7L);
    double threshold = node.number("threshold", 0.5, 0.0, 1.0, true);
    node.rejectUnknownKeys();
    if (threshold <= 0) {
      node.problem("threshold", "value %s must be above 0".formatted(threshold));
    }
    return new EvaluationSpec(holdout, seed, threshold);
  }
}
