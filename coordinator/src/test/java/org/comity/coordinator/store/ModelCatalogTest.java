package org.comity.coordinator.store;

import static org.comity.coordinator.store.JournalFixtures.T0;
import static org.comity.coordinator.store.JournalFixtures.checkpoint;
import static org.comity.coordinator.store.JournalFixtures.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.coordinator.audit.AuditActions;
import org.comity.coordinator.audit.AuditEntry;
import org.comity.coordinator.audit.AuditSigner;
import org.comity.coordinator.audit.AuditTrail;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundPhase;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The model registry on SQLite and PostgreSQL. */
class ModelCatalogTest {
  @TempDir
  Path directory;

  private final FederationPlan plan = JournalFixtures.plan("catalog-test");
  private final String planHash = PlanHash.of(plan);

  /** Run "run-1" commits versions 1 and 2; run "run-2" (another plan) commits version 1. */
  private void journalTwoRuns(Database database) {
    JdbcRunJournal journal = new JdbcRunJournal(database);
    journal.runStarted("run-1", plan, planHash, T0);
    journal.roundFinished("run-1", report(1, 1, RoundPhase.COMMITTED, 1),
        version("run-1", planHash, 1, List.of("bank-a", "bank-b"), 0.80), checkpoint(2, 1));
    journal.roundFinished("run-1", report(2, 1, RoundPhase.COMMITTED, 2),
        version("run-1", planHash, 2, List.of("bank-b", "bank-c"), 0.85), checkpoint(3, 2));
    FederationPlan other = JournalFixtures.plan("other-plan");
    journal.runStarted("run-2", other, PlanHash.of(other), T0.plusSeconds(3600));
    journal.roundFinished("run-2", report(1, 1, RoundPhase.COMMITTED, 1),
        version("run-2", PlanHash.of(other), 1, List.of("bank-a"), 0.70), checkpoint(2, 1));
  }

  private static ModelVersion version(String runId, String planHash, long number, List<String> banks, double rocAuc) {
    ModelVersion base = JournalFixtures.version(runId, planHash, number, (int) number, banks);
    return new ModelVersion(number, runId, planHash, (int) number, base.weights(), base.normalization(),
        new EvaluationSummary(500, 9, rocAuc, rocAuc / 2, 0.5, 0.25, 0.3, 0.2, 0.5), banks, base.committedAt(),
        base.epsilonSpent());
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void list_showsEveryVersionInRunOrder_andFiltersByRun(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      journalTwoRuns(database);
      ModelCatalog catalog = new ModelCatalog(database, null);

      List<CatalogEntry> all = catalog.list(null);
      assertEquals(List.of("run-1:1", "run-1:2", "run-2:1"), all.stream().map(e -> e.ref().toString()).toList());
      assertEquals(0.85, all.get(1).rocAuc());
      assertEquals(2, all.get(1).participants());
      assertEquals(List.of("run-2:1"), catalog.list("run-2").stream().map(e -> e.ref().toString()).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void find_returnsTheFullVersion_andAnAmbiguousNumberAsksForTheRun(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      journalTwoRuns(database);
      ModelCatalog catalog = new ModelCatalog(database, null);

      ModelVersion two = catalog.find(2).orElseThrow();
      JournalFixtures.assertSameVersion(version("run-1", planHash, 2, List.of("bank-b", "bank-c"), 0.85), two);
      CatalogException ambiguous = assertThrows(CatalogException.class, () -> catalog.find(1));
      assertTrue(ambiguous.getMessage().contains("exists in 2 runs (run-1, run-2): name one as RUN:1"),
          ambiguous.getMessage());
      assertEquals("run-2", catalog.find(ModelRef.parse("run-2:1", "--version")).orElseThrow().runId());
      assertTrue(catalog.find(ModelRef.parse("7", "--version")).isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void planOf_rebuildsTheRunsPlanFromItsCanonicalJson(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      journalTwoRuns(database);
      ModelCatalog catalog = new ModelCatalog(database, null);

      FederationPlan rebuilt = catalog.planOf(catalog.find(2).orElseThrow());

      assertEquals(planHash, PlanHash.of(rebuilt));
      assertEquals(plan, rebuilt);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void compare_givesMetricDeltasWeightDistanceAndParticipantChanges(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      journalTwoRuns(database);
      ModelCatalog catalog = new ModelCatalog(database, null);

      ModelComparison comparison = catalog.compare(ModelRef.parse("run-1:1", "a"), ModelRef.parse("run-1:2", "b"));

      assertTrue(comparison.samePlan());
      assertEquals(0.05, comparison.metricDeltas().get("roc_auc"), 1e-12);
      assertEquals(List.of("bank-c"), comparison.participantsAdded());
      assertEquals(List.of("bank-a"), comparison.participantsRemoved());
      float[] a = catalog.find(ModelRef.parse("run-1:1", "a")).orElseThrow().weights();
      float[] b = catalog.find(ModelRef.parse("run-1:2", "b")).orElseThrow().weights();
      double expected = 0;
      for (int i = 0; i < a.length; i++) {
        expected += ((double) b[i] - a[i]) * ((double) b[i] - a[i]);
      }
      assertEquals(Math.sqrt(expected), comparison.l2Distance(), 0.0);
      assertFalse(catalog.compare(ModelRef.parse("run-1:1", "a"), ModelRef.parse("run-2:1", "b")).samePlan());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void promoteAndRollback_moveThePromotedVersion_andAreAuditedWithActorAndReason(TestDatabases backend)
      throws Exception {
    try (Database database = backend.open(directory)) {
      // given
      journalTwoRuns(database);
      AuditTrail trail = new AuditTrail(database, AuditSigner.generate(), Clock.systemUTC());
      ModelCatalog catalog = new ModelCatalog(database, trail);
      assertThrows(CatalogException.class, () -> catalog.rollback("alice", "nothing yet", T0));

      // when
      catalog.promote(ModelRef.parse("run-1:1", "--version"), "alice", "first model", T0);
      CatalogException onlyOne = assertThrows(CatalogException.class, () -> catalog.rollback("bob", "x", T0));
      catalog.promote(ModelRef.parse("2", "--version"), "bob", "better PR-AUC", T0.plusSeconds(1));
      CatalogException again = assertThrows(CatalogException.class,
          () -> catalog.promote(ModelRef.parse("run-1:2", "--version"), "bob", null, T0));
      Promotion rolledBack = catalog.rollback("carol", "alert volume doubled", T0.plusSeconds(2));

      // then
      assertTrue(onlyOne.getMessage().contains("no previously promoted version"), onlyOne.getMessage());
      assertTrue(again.getMessage().contains("already the promoted version"), again.getMessage());
      assertEquals(new ModelRef("run-1", 1), rolledBack.target());
      assertEquals(new ModelRef("run-1", 1), catalog.promoted().orElseThrow().target());
      assertTrue(catalog.list(null).get(0).promoted());
      assertEquals(3, catalog.promotions().size());
      List<AuditEntry> audit = trail.entries();
      assertEquals(List.of(AuditActions.MODEL_PROMOTED, AuditActions.MODEL_PROMOTED, AuditActions.MODEL_ROLLED_BACK),
          audit.stream().map(AuditEntry::action).toList());
      assertEquals(List.of("alice", "bob", "carol"), audit.stream().map(AuditEntry::actor).toList());
      var details = new ObjectMapper().readTree(audit.get(2).details());
      assertEquals("alert volume doubled", details.get("reason").asText());
      assertEquals("run-1:2", details.get("previous").asText());
      assertTrue(trail.verify(Set.of(), null).ok());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void members_recordEnrolmentRevocationAndSightings(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      MemberStore members = new MemberStore(database);
      members.enrolled("bank-a", "0a1b", T0.plusSeconds(86400), T0);
      members.seen("bank-a", T0.plusSeconds(60));
      members.revoked("bank-a", T0.plusSeconds(120));

      MemberStore.Member bankA = members.find("bank-a").orElseThrow();
      assertEquals("REVOKED", bankA.status());
      assertEquals("0a1b", bankA.certificateSerial());
      assertEquals(T0, bankA.firstSeenAt());
      assertEquals(T0.plusSeconds(60), bankA.lastSeenAt());
      assertEquals(T0.plusSeconds(120), bankA.revokedAt());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void membersChosenByARound_areRecordedAsSeen_evenWithoutEnrolment(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      MemberStore members = new MemberStore(database);
      java.time.Clock at = java.time.Clock.fixed(T0.plusSeconds(300), java.time.ZoneOffset.UTC);
      new MemberActivityListener(members, at).onRoundFinished(JournalFixtures.report(1, 1,
          org.comity.coordinator.round.RoundPhase.COMMITTED, 1));
      assertEquals(List.of("bank-a", "bank-b", "bank-c"), members.list().stream().map(MemberStore.Member::memberId)
          .sorted().toList(), "every bank the round chose, dropouts included");
      assertEquals(T0.plusSeconds(300), members.find("bank-c").orElseThrow().lastSeenAt());
    }
  }
}
