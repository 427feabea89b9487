package org.comity.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlanHashTest {
  @Test
  void layoutCommentsKeyOrderAndSpelledOutDefaults_doNotChangeTheHash() throws PlanException {
    // given
    String compact = "label: y\nfeatures: [{name: a, type: numeric}]\n";
    String verbose = """
        # the same plan, written out
        features:
          - type: numeric
            name: a
            missing: reject
        label: y
        model:
          dropout: 0.3
          hidden_units: [128, 64, 32]
        rounds:
          deadline: 600s
        """;
    // then
    assertEquals(PlanHash.of(PlanLoader.parse(compact, "a")), PlanHash.of(PlanLoader.parse(verbose, "b")));
  }

  @Test
  void anyChangeOfMeaning_changesTheHash() throws PlanException {
    String base = "label: y\nfeatures: [{name: a}]\n";
    String hash = PlanHash.of(PlanLoader.parse(base, "a"));
    assertNotEquals(hash, PlanHash.of(PlanLoader.parse(base + "rounds: {count: 41}\n", "b")));
    assertNotEquals(hash, PlanHash.of(PlanLoader.parse(base + "training: {learning_rate: 0.002}\n", "b")));
    assertNotEquals(hash, PlanHash.of(PlanLoader.parse(base + "rounds: {deadline: 601s}\n", "b")));
    assertNotEquals(hash, PlanHash.of(PlanLoader.parse("label: y\nfeatures: [{name: b}]\n", "b")));
  }

  @Test
  void consistencyCheck_isInTheCanonicalForm_soTogglingItChangesTheHash() throws PlanException {
    String secure = "label: y\nfeatures: [{name: a}]\nrounds: {min_quorum: 3}\nsecure_aggregation: {enabled: true, ";
    FederationPlan implicit = PlanLoader.parse(secure + "threat_model: semi_malicious}\n", "a");
    FederationPlan explicit = PlanLoader.parse(secure + "threat_model: semi_malicious, consistency_check: true}\n", "b");
    FederationPlan without = PlanLoader.parse(secure + "threat_model: semi_malicious, consistency_check: false}\n", "c");
    assertTrue(PlanHash.canonicalJson(implicit).contains("\"consistencyCheck\":true"), PlanHash.canonicalJson(implicit));
    assertEquals(PlanHash.of(implicit), PlanHash.of(explicit), "the spelled-out default hashes the same");
    assertNotEquals(PlanHash.of(implicit), PlanHash.of(without));
  }

  @Test
  void centralNoisePlacement_isLeftOutOfTheCanonicalForm_soExistingHashesStay() throws PlanException {
    String base = "label: y\nfeatures: [{name: a}]\nrounds: {min_quorum: 3}\nsecure_aggregation: {enabled: true}\n"
        + "privacy:\n  bank_level: {enabled: true, clip_norm: 1.0, noise_multiplier: 1.0";
    FederationPlan implicit = PlanLoader.parse(base + "}\n", "a");
    FederationPlan central = PlanLoader.parse(base + ", noise_placement: central}\n", "b");
    FederationPlan distributed = PlanLoader.parse(base + ", noise_placement: distributed}\n", "c");
    assertTrue(!PlanHash.canonicalJson(implicit).contains("noisePlacement"), PlanHash.canonicalJson(implicit));
    assertEquals(PlanHash.of(implicit), PlanHash.of(central));
    assertTrue(PlanHash.canonicalJson(distributed).contains("\"noisePlacement\":\"DISTRIBUTED\""),
        PlanHash.canonicalJson(distributed));
    assertNotEquals(PlanHash.of(implicit), PlanHash.of(distributed));
  }

  @Test
  void hash_isLowercaseHexSha256() throws PlanException {
    String hash = PlanHash.of(PlanLoader.parse("label: y\nfeatures: [{name: a}]\n", "a"));
    assertTrue(hash.matches("[0-9a-f]{64}"), hash);
  }
}
