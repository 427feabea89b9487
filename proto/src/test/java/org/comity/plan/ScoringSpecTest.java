package org.comity.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringSpecTest {
  private static final String BASE = "label: y\nfeatures: [{name: a}]\n";

  @Test
  void planWithoutScoringSection_getsReviewAtHalfAndBlockAtNinety() throws PlanException {
    // when
    FederationPlan plan = PlanLoader.parse(BASE, "test");
    // then
    assertEquals(new ScoringSpec(0.5, 0.9), plan.scoring());
  }

  @Test
  void scoringSection_isRead() throws PlanException {
    // when
    FederationPlan plan = PlanLoader.parse(BASE + "scoring: {review_threshold: 0.3, block_threshold: 0.75}\n", "t");
    // then
    assertEquals(new ScoringSpec(0.3, 0.75), plan.scoring());
  }

  @Test
  void bands_allowBelowReview_reviewFromReview_blockFromBlock() {
    // given
    ScoringSpec scoring = new ScoringSpec(0.3, 0.75);
    // then
    assertEquals(ScoringSpec.Band.ALLOW, scoring.band(0.0));
    assertEquals(ScoringSpec.Band.ALLOW, scoring.band(Math.nextDown(0.3)));
    assertEquals(ScoringSpec.Band.REVIEW, scoring.band(0.3));
    assertEquals(ScoringSpec.Band.REVIEW, scoring.band(Math.nextDown(0.75)));
    assertEquals(ScoringSpec.Band.BLOCK, scoring.band(0.75));
    assertEquals(ScoringSpec.Band.BLOCK, scoring.band(1.0));
    assertEquals("review", ScoringSpec.Band.REVIEW.label());
    assertThrows(IllegalArgumentException.class, () -> scoring.band(Double.NaN));
  }

  @Test
  void reviewNotBelowBlock_isRefusedNamingKeyValueAndRule() {
    // when
    PlanException e = assertThrows(PlanException.class,
        () -> PlanLoader.parse(BASE + "scoring: {review_threshold: 0.8, block_threshold: 0.8}\n", "t"));
    // then
    assertTrue(e.getMessage().contains(
        "scoring.block_threshold: value 0.8 is not above review_threshold 0.8 (rule: 0 < review_threshold < "
            + "block_threshold < 1)"), e.getMessage());
  }

  @Test
  void thresholdsOutsideZeroToOne_areRefusedEachByName() {
    // when
    PlanException e = assertThrows(PlanException.class,
        () -> PlanLoader.parse(BASE + "scoring: {review_threshold: 0, block_threshold: 1}\n", "t"));
    // then
    assertTrue(e.getMessage().contains("scoring.review_threshold: value 0.0 must be above 0"), e.getMessage());
    assertTrue(e.getMessage().contains("scoring.block_threshold: value 1 is out of range: allowed 0 to 1 (exclusive)"),
        e.getMessage());
    assertFalse(e.getMessage().contains("is not above"), "no follow-on ordering complaint: " + e.getMessage());
  }

  @Test
  void unknownScoringKey_isRefused() {
    PlanException e = assertThrows(PlanException.class,
        () -> PlanLoader.parse(BASE + "scoring: {reveiw_threshold: 0.4}\n", "t"));
    assertTrue(e.getMessage().contains("scoring.reveiw_threshold: unknown key"), e.getMessage());
  }

  @Test
  void recordConstructor_refusesInvertedThresholds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ScoringSpec(0.9, 0.5));
    assertTrue(e.getMessage().contains("0 < review_threshold < block_threshold < 1"), e.getMessage());
  }

  @Test
  void defaultScoring_keepsThePlanHashOfPlansWrittenBeforeScoringExisted() throws PlanException {
    // given: the canonical form of a plan without the scoring section
    FederationPlan plan = PlanLoader.parse(BASE, "t");
    // then: the canonical JSON has no scoring key, so hashes recorded before it existed still match
    assertFalse(PlanHash.canonicalJson(plan).contains("scoring"), PlanHash.canonicalJson(plan));
    assertEquals(PlanHash.of(plan),
        PlanHash.of(PlanLoader.parse(BASE + "scoring: {review_threshold: 0.5, block_threshold: 0.9}\n", "t")));
  }

  @Test
  void nonDefaultScoring_changesThePlanHash() throws PlanException {
    String hash = PlanHash.of(PlanLoader.parse(BASE, "t"));
    assertNotEquals(hash, PlanHash.of(PlanLoader.parse(BASE + "scoring: {review_threshold: 0.4}\n", "t")));
    assertNotEquals(hash, PlanHash.of(PlanLoader.parse(BASE + "scoring: {block_threshold: 0.95}\n", "t")));
    assertTrue(PlanHash.canonicalJson(PlanLoader.parse(BASE + "scoring: {block_threshold: 0.95}\n", "t"))
        .contains("\"scoring\":{\"blockThreshold\":0.95,\"reviewThreshold\":0.5}"));
    assertEquals(List.of("a"), PlanLoader.parse(BASE, "t").featureNames());
  }
}
