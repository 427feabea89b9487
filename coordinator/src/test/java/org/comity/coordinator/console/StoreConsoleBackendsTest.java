package org.comity.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.comity.coordinator.audit.AuditSigner;
import org.comity.coordinator.audit.AuditTrail;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.DatabaseUrl;
import org.comity.coordinator.store.JdbcRunJournal;
import org.comity.coordinator.store.JournalFixtures;
import org.comity.coordinator.store.ModelCatalog;
import org.comity.coordinator.store.ModelRef;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's promotions and audit entries land in the store, where the operator commands see them. */
class StoreConsoleBackendsTest {
  @TempDir
  Path dir;

  @Test
  void promoteAndRollBackFromTheConsole_changeTheCatalog_andAdminActionsAreSignedAuditEntries() throws Exception {
    try (Database store = Database.open(DatabaseUrl.parse("jdbc:sqlite:" + dir.resolve("c.db")), null, null)) {
      FederationPlan plan = JournalFixtures.plan("console");
      String hash = PlanHash.of(plan);
      JdbcRunJournal journal = new JdbcRunJournal(store);
      journal.runStarted("run-1", plan, hash, JournalFixtures.T0);
      for (int v = 1; v <= 2; v++) {
        journal.roundFinished("run-1", JournalFixtures.report(v, 1, RoundPhase.COMMITTED, v),
            JournalFixtures.version("run-1", hash, v, v, List.of("bank-a")), JournalFixtures.checkpoint(v + 1, v));
      }
      AuditTrail trail = new AuditTrail(store, AuditSigner.generate(), Clock.systemUTC());
      ConsoleBackends backends = StoreConsoleBackends.of(OperatorTokens.open(dir.resolve("tokens.json"),
          Clock.systemUTC()), store, trail, "run-1", Clock.systemUTC());

      backends.promotions().promote(1, "alice", "first");
      Promotion second = backends.promotions().promote(2, "alice", "better");
      assertEquals(1L, second.previousVersion());
      assertThrows(ModelPromotions.RefusedException.class, () -> backends.promotions().promote(2, "bob", "again"));
      assertThrows(ModelPromotions.UnknownVersionException.class, () -> backends.promotions().promote(9, "bob", "x"));
      Promotion back = backends.promotions().rollback("bob", "regression");
      assertEquals(1, back.version());

      // the catalog (what 'model list' reads) holds the same state, and the history is in order
      assertEquals(Optional.of(new ModelRef("run-1", 1)), new ModelCatalog(store, null).promoted().map(p -> p.target()));
      assertEquals(Optional.of(1L), backends.promotions().promotedVersion());
      assertEquals(List.of(1L, 2L, 1L), backends.promotions().history().stream().map(Promotion::version).toList());


      // a promotion made with 'model promote' and no --reason reads as such on the console
      new ModelCatalog(store, null).promote(new ModelRef("run-1", 2), "carol", null, JournalFixtures.T0.plusSeconds(9));
      Promotion fromCli = backends.promotions().history().get(backends.promotions().history().size() - 1);
      assertEquals("(no reason given)", fromCli.reason());
      assertEquals(Optional.of(2L), backends.promotions().promotedVersion());

      AuditEntry written = backends.auditWriter().append("bob", "model.rollback", "model/1", "{\"reason\":\"regression\"}");
      Page<AuditEntry> page = backends.auditReader().page(0, 50);
      assertEquals(written.sequence(), page.items().get(page.items().size() - 1).sequence());
      assertTrue(page.items().get(page.items().size() - 1).detailsJson().contains("regression"));
      assertTrue(trail.verify(java.util.Set.of(), null).ok(), "the console's entries verify in the signed chain");
      assertThrows(IllegalArgumentException.class,
          () -> backends.auditWriter().append("bob", "x", "y", "not json"));

      // the store's runs, newest first: run-1 unfinished, then a second run that finished
      journal.runStarted("run-2", plan, hash, JournalFixtures.T0.plusSeconds(3600));
      journal.runFinished("run-2", new org.comity.coordinator.round.RunOutcome(true, "all rounds done", 3, 0),
          JournalFixtures.T0.plusSeconds(7200));
      Page<RunHistory.RunSummary> runs = backends.runs().page(0, 10);
      assertEquals(2, runs.total());
      assertEquals(List.of("run-2", "run-1"), runs.items().stream().map(RunHistory.RunSummary::runId).toList());
      assertEquals(Boolean.TRUE, runs.items().get(0).completed());
      assertEquals(3, runs.items().get(0).committedRounds());
      assertEquals(null, runs.items().get(1).finishedAt(), "run-1 has not finished");
      assertEquals(1, backends.runs().page(1, 1).items().size());
    }
  }
}
