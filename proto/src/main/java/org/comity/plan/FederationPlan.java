package org.comity.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The federation plan: the contract between the consortium operator and the member banks. It fixes the
 * feature schema, the model, local training, the round schedule and evaluation. Rounds are bound to the plan's
 * canonical hash ({@link PlanHash}), so a bank can only take part in a run of the plan it agreed to.
 *
 * <p>Load it with {@link PlanLoader}, which validates every key; records built by hand are not validated.
 *
 * @param name human-readable name of the federation
 * @param features feature columns in model order
 * @param label name of the 0/1 label column
 * @param secureAggregation secure aggregation settings
 * @param bankPrivacy bank-level differential privacy (DP-FedAvg) settings
 * @param samplePrivacy sample-level differential privacy (DP-SGD at each bank) settings
 * @param scoring thresholds that band a served fraud probability into allow, review and block
 */
public record FederationPlan(
    String name, List<FeatureSpec> features, String label, ModelSpec model, TrainingSpec training,
    RoundsSpec rounds, EvaluationSpec evaluation, SecureAggregationSpec secureAggregation,
    BankPrivacySpec bankPrivacy, SampleLevelPrivacySpec samplePrivacy, ScoringSpec scoring) {
  public FederationPlan {
    features = List.copyOf(features);
    if (scoring == null) {
      throw new IllegalArgumentException("scoring must not be null (use ScoringSpec.defaults())");
    }
  }

  /** A plan with the default scoring thresholds ({@link ScoringSpec#defaults()}). */
  public FederationPlan(String name, List<FeatureSpec> features, String label, ModelSpec model, TrainingSpec training,
      RoundsSpec rounds, EvaluationSpec evaluation, SecureAggregationSpec secureAggregation,
      BankPrivacySpec bankPrivacy, SampleLevelPrivacySpec samplePrivacy) {
    this(name, features, label, model, training, rounds, evaluation, secureAggregation, bankPrivacy, samplePrivacy,
        ScoringSpec.defaults());
  }

  /** A plan with secure aggregation and differential privacy off. */
  public FederationPlan(String name, List<FeatureSpec> features, String label, ModelSpec model, TrainingSpec training,
      RoundsSpec rounds, EvaluationSpec evaluation) {
    this(name, features, label, model, training, rounds, evaluation, SecureAggregationSpec.disabled(),
        BankPrivacySpec.disabled(), SampleLevelPrivacySpec.disabled());
  }

  /** Names of the plan's feature columns in model order: the columns of the serving input. */
  public List<String> featureNames() {
    return features.stream().map(FeatureSpec::name).toList();
  }

  /** The layout of the model's parameters for this plan's schema and architecture. */
  public ModelLayout modelLayout() {
    return new ModelLayout(inputWidth(), model.hiddenUnits());
  }

  /** Number of model input columns after one-hot encoding. */
  public int inputWidth() {
    return features.stream().mapToInt(FeatureSpec::inputWidth).sum();
  }

  /** Names of the model input columns: the feature name, or {@code name=category} for one-hot columns. */
  public List<String> inputColumnNames() {
    List<String> names = new ArrayList<>();
    for (FeatureSpec feature : features) {
      if (feature.type() == FeatureType.NUMERIC) {
        names.add(feature.name());
      } else {
        for (String category : feature.categories()) {
          names.add(feature.name() + "=" + category);
        }
      }
    }
    return names;
  }
}
