package org.comity.coordinator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RunOutcome;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.JournalFixtures;
import org.comity.coordinator.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuditingRoundListenerTest {
  @TempDir
  Path directory;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aFinishedRound_isAuditedWithParticipantsDropoutsVersionHashAndPrivacy(TestDatabases backend) throws Exception {
    try (Database database = backend.open(directory)) {
      // given
      AuditTrail trail = new AuditTrail(database, AuditSigner.generate(), Clock.systemUTC());
      AuditingRoundListener listener = new AuditingRoundListener(trail);
      String planHash = JournalFixtures.hash(JournalFixtures.plan("p"));
      ModelVersion version = JournalFixtures.version("run-9", planHash, 1, 1, List.of("bank-a", "bank-b"));

      // when: the engine reports a transition, the commit, the round's end and the run's end
      listener.onTransition(JournalFixtures.transition("run-9", 1, null, RoundPhase.SELECTING, 1));
      listener.onCommitted(version);
      listener.onRoundFinished(JournalFixtures.report(1, 1, RoundPhase.COMMITTED, 1));
      listener.onRoundFinished(JournalFixtures.report(2, 1, RoundPhase.FAILED, -1));
      listener.onRunFinished(new RunOutcome(false, "too many failed rounds", 1, 1));

      // then
      List<AuditEntry> entries = trail.entries();
      assertEquals(List.of(AuditActions.ROUND_FINISHED, AuditActions.ROUND_FINISHED, AuditActions.RUN_FINISHED),
          entries.stream().map(AuditEntry::action).toList());
      assertEquals("run-9/round-1.1", entries.get(0).subject());
      JsonNode committed = new ObjectMapper().readTree(entries.get(0).details());
      assertEquals("COMMITTED", committed.get("outcome").asText());
      assertEquals("[\"bank-a\",\"bank-b\"]", committed.get("participants").toString());
      assertEquals("deadline passed", committed.get("dropouts").get("bank-c").asText());
      assertEquals(1, committed.get("modelVersion").asLong());
      assertEquals(version.weightsHash(), committed.get("weightsSha256").asText());
      assertEquals(1.25, committed.get("epsilonSpent").asDouble());
      JsonNode failed = new ObjectMapper().readTree(entries.get(1).details());
      assertEquals("quorum not reached", failed.get("reason").asText());
      assertTrue(failed.get("modelVersion") == null);
      assertEquals("run-9", entries.get(2).subject());
      assertTrue(trail.verify(Set.of(), null).ok());
    }
  }
}
