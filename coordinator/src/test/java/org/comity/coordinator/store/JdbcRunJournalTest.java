package org.comity.coordinator.store;

import static org.comity.coordinator.store.JournalFixtures.T0;
import static org.comity.coordinator.store.JournalFixtures.assertSameVersion;
import static org.comity.coordinator.store.JournalFixtures.checkpoint;
import static org.comity.coordinator.store.JournalFixtures.hash;
import static org.comity.coordinator.store.JournalFixtures.plan;
import static org.comity.coordinator.store.JournalFixtures.report;
import static org.comity.coordinator.store.JournalFixtures.transition;
import static org.comity.coordinator.store.JournalFixtures.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.InFlightRound;
import org.comity.coordinator.round.JournalException;
import org.comity.coordinator.round.RecoveredRun;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RunOutcome;
import org.comity.plan.FederationPlan;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The journal contract, on SQLite and on a real PostgreSQL: everything must hold on both. */
class JdbcRunJournalTest {
  private static final List<String> BANKS = List.of("bank-a", "bank-b");

  @TempDir
  Path directory;

  private final FederationPlan plan = plan("journal-test");
  private final String planHash = hash(plan);

  /** Journals a statistics round and one committed training round of {@code runId}; returns version 1. */
  private ModelVersion journalTwoRounds(JdbcRunJournal journal, String runId) {
    journal.runStarted(runId, plan, planHash, T0);
    journal.transition(transition(runId, 0, null, RoundPhase.SELECTING, 1));
    journal.roundSelected(runId, 0, 1, List.of("bank-a", "bank-b", "bank-c"), false);
    journal.transition(transition(runId, 0, RoundPhase.SELECTING, RoundPhase.COLLECTING_STATISTICS, 2));
    journal.normalizationFixed(runId, JournalFixtures.normalization());
    journal.transition(transition(runId, 0, RoundPhase.COLLECTING_STATISTICS, RoundPhase.COMMITTED, 3));
    journal.roundFinished(runId, report(0, 1, RoundPhase.COMMITTED, -1), null, checkpoint(1, 0));
    journal.transition(transition(runId, 1, null, RoundPhase.SELECTING, 4));
    journal.roundSelected(runId, 1, 1, List.of("bank-a", "bank-b", "bank-c"), true);
    journal.transition(transition(runId, 1, RoundPhase.SELECTING, RoundPhase.TRAINING, 5));
    journal.transition(transition(runId, 1, RoundPhase.TRAINING, RoundPhase.AGGREGATING, 6));
    journal.transition(transition(runId, 1, RoundPhase.AGGREGATING, RoundPhase.EVALUATING, 7));
    journal.transition(transition(runId, 1, RoundPhase.EVALUATING, RoundPhase.COMMITTED, 8));
    ModelVersion version = version(runId, planHash, 1, 1, BANKS);
    journal.roundFinished(runId, report(1, 1, RoundPhase.COMMITTED, 1), version, checkpoint(2, 1));
    return version;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findUnfinished_returnsEveryRecordExactlyAsJournaled(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      // given
      JdbcRunJournal journal = new JdbcRunJournal(database);
      ModelVersion version = journalTwoRounds(journal, "run-1");
      RoundReport failed = report(2, 1, RoundPhase.FAILED, -1);
      journal.roundFinished("run-1", failed, null, checkpoint(3, 1));

      // when
      RecoveredRun recovered = journal.findUnfinished(planHash).orElseThrow();

      // then
      assertEquals("run-1", recovered.runId());
      assertEquals(planHash, recovered.planHash());
      assertEquals(T0, recovered.startedAt());
      assertEquals(JournalFixtures.normalization(), recovered.normalization());
      assertEquals(checkpoint(3, 1), recovered.checkpoint());
      assertEquals(1, recovered.versions().size());
      assertSameVersion(version, recovered.versions().get(0));
      assertEquals(List.of(report(0, 1, RoundPhase.COMMITTED, -1), report(1, 1, RoundPhase.COMMITTED, 1), failed),
          recovered.reports());
      assertNull(recovered.inFlight(), "every round that started has finished");
    }
  }

  static Stream<Arguments> phasesOnEachDatabase() {
    List<Arguments> cases = new ArrayList<>();
    for (TestDatabases backend : TestDatabases.values()) {
      for (RoundPhase phase : List.of(RoundPhase.SELECTING, RoundPhase.TRAINING, RoundPhase.AGGREGATING,
          RoundPhase.EVALUATING, RoundPhase.COMMITTED, RoundPhase.FAILED)) {
        cases.add(Arguments.of(backend, phase));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("phasesOnEachDatabase")
  void findUnfinished_reportsTheRoundInFlightWithItsSelectionAndLastPhase(TestDatabases backend, RoundPhase phase) {
    try (Database database = backend.open(directory)) {
      // given: round 2 started and reached `phase`, then the coordinator stopped before the round finished
      JdbcRunJournal journal = new JdbcRunJournal(database);
      journalTwoRounds(journal, "run-1");
      journal.transition(transition("run-1", 2, null, RoundPhase.SELECTING, 10));
      journal.roundSelected("run-1", 2, 1, List.of("bank-b", "bank-c"), true);
      if (phase != RoundPhase.SELECTING) {
        journal.transition(transition("run-1", 2, RoundPhase.SELECTING, phase, 11));
      }

      // when
      InFlightRound inFlight = journal.findUnfinished(planHash).orElseThrow().inFlight();

      // then
      assertEquals(new InFlightRound(2, 1, List.of("bank-b", "bank-c"), true, phase), inFlight);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findUnfinished_aRoundStartedButNotYetSelected_isInFlightWithNoSelection(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      // given
      JdbcRunJournal journal = new JdbcRunJournal(database);
      journal.runStarted("run-1", plan, planHash, T0);
      journal.transition(transition("run-1", 0, null, RoundPhase.SELECTING, 1));

      // when
      RecoveredRun recovered = journal.findUnfinished(planHash).orElseThrow();

      // then
      assertEquals(new InFlightRound(0, 1, List.of(), false, RoundPhase.SELECTING), recovered.inFlight());
      assertNull(recovered.checkpoint());
      assertNull(recovered.normalization());
      assertTrue(recovered.versions().isEmpty() && recovered.reports().isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findUnfinished_aFinishedRun_isNotReturned(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      // given
      JdbcRunJournal journal = new JdbcRunJournal(database);
      journalTwoRounds(journal, "run-1");

      // when
      journal.runFinished("run-1", new RunOutcome(true, "all rounds done", 1, 0), T0.plusSeconds(100));

      // then
      assertTrue(journal.findUnfinished(planHash).isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findUnfinished_theMostRecentUnfinishedRunOfThatPlanWins(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      // given: two unfinished runs of the plan (the later one started with an earlier clock), one of another plan
      JdbcRunJournal journal = new JdbcRunJournal(database);
      journal.runStarted("run-old", plan, planHash, T0.plusSeconds(50));
      journal.runStarted("run-new", plan, planHash, T0);
      FederationPlan other = plan("other-plan");
      journal.runStarted("run-other", other, hash(other), T0.plusSeconds(99));

      // when
      RecoveredRun recovered = journal.findUnfinished(planHash).orElseThrow();

      // then
      assertEquals("run-new", recovered.runId());
      assertEquals("run-other", journal.findUnfinished(hash(other)).orElseThrow().runId());
      assertTrue(journal.findUnfinished("0".repeat(64)).isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void roundFinished_aDuplicateVersion_failsWholeAndLeavesNoReportOrCheckpoint(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      // given: version 1 is committed
      JdbcRunJournal journal = new JdbcRunJournal(database);
      ModelVersion first = journalTwoRounds(journal, "run-1");

      // when: round 2 claims to commit version 1 again
      JournalException failure = assertThrows(JournalException.class, () -> journal.roundFinished("run-1",
          report(2, 1, RoundPhase.COMMITTED, 1), version("run-1", planHash, 1, 2, BANKS), checkpoint(3, 2)));

      // then: nothing of round 2 was written
      assertTrue(failure.getMessage().contains("round 2") && failure.getMessage().contains("run-1"),
          failure.getMessage());
      RecoveredRun recovered = journal.findUnfinished(planHash).orElseThrow();
      assertEquals(2, recovered.reports().size());
      assertEquals(checkpoint(2, 1), recovered.checkpoint());
      assertEquals(1, recovered.versions().size());
      assertSameVersion(first, recovered.versions().get(0));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void journal_unknownRunOrFinishedTwice_isAJournalException(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      JdbcRunJournal journal = new JdbcRunJournal(database);
      assertThrows(JournalException.class, () -> journal.transition(transition("no-such-run", 1, null,
          RoundPhase.SELECTING, 1)));
      journal.runStarted("run-1", plan, planHash, T0);
      journal.runFinished("run-1", new RunOutcome(false, "stopped", 0, 0), T0);
      JournalException twice = assertThrows(JournalException.class,
          () -> journal.runFinished("run-1", new RunOutcome(false, "stopped", 0, 0), T0));
      assertTrue(twice.getMessage().contains("already finished"), twice.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void reopeningTheDatabase_seesEverythingJournaled(TestDatabases backend) {
    // given
    String url = backend.newUrl(directory);
    ModelVersion version;
    try (Database database = backend.reopen(url)) {
      version = journalTwoRounds(new JdbcRunJournal(database), "run-1");
    }

    // when: the coordinator restarts
    try (Database reopened = backend.reopen(url)) {
      RecoveredRun recovered = new JdbcRunJournal(reopened).findUnfinished(planHash).orElseThrow();

      // then
      assertSameVersion(version, recovered.versions().get(0));
      assertEquals(2, recovered.reports().size());
      assertEquals(checkpoint(2, 1), recovered.checkpoint());
    }
  }
}
