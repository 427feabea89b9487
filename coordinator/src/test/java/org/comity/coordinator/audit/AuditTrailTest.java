package org.comity.coordinator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The trail in the database, on SQLite and PostgreSQL: honest trails verify, every kind of tampering is named. */
class AuditTrailTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00.5Z"), ZoneOffset.UTC);

  @TempDir
  Path directory;

  private final AuditSigner signer = AuditSigner.generate();

  private AuditTrail trailWithFiveEntries(Database database) {
    AuditTrail trail = new AuditTrail(database, signer, CLOCK);
    trail.append("alice", AuditActions.MEMBER_ENROLLED, "bank-a", Map.of("serial", "0a1b"));
    trail.append("alice", AuditActions.MEMBER_ENROLLED, "bank-b", Map.of("serial", "0c2d"));
    trail.append(AuditActions.COORDINATOR, AuditActions.ROUND_FINISHED, "run-1/round-1.1",
        Map.of("participants", List.of("bank-a", "bank-b"), "outcome", "COMMITTED"));
    trail.append("bob", AuditActions.MODEL_PROMOTED, "run-1:1", Map.of("reason", "better PR-AUC"));
    trail.append("alice", AuditActions.MEMBER_REVOKED, "bank-b", Map.of());
    return trail;
  }

  private static void execute(Database database, String sql) throws Exception {
    database.inTransaction(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.executeUpdate();
      }
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void verify_anHonestTrail_isOkWithCountHeadAndSigner(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      AuditTrail trail = trailWithFiveEntries(database);

      AuditVerification result = trail.verify(Set.of(), null);

      assertTrue(result.ok(), result.summary());
      assertEquals(5, result.entries());
      assertEquals(trail.entries().get(4).hash(), result.headHash());
      assertEquals(List.of(signer.keyId()), result.signerKeyIds());
      assertTrue(result.summary().startsWith("OK: 5 entries, head " + result.headHash()), result.summary());
      assertEquals(List.of(4L, 5L), trail.latest(2).stream().map(AuditEntry::sequence).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void verify_anEditedEntry_failsThereWithAHashMismatch(TestDatabases backend) throws Exception {
    try (Database database = backend.open(directory)) {
      AuditTrail trail = trailWithFiveEntries(database);

      execute(database, "UPDATE audit_entries SET actor = 'mallory' WHERE seq = 4");

      AuditVerification result = trail.verify(Set.of(), null);
      assertFalse(result.ok());
      assertEquals(4, result.badSequence());
      assertTrue(result.problem().startsWith("hash mismatch"), result.problem());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void verify_aRemovedEntry_failsAtTheGapWithASequenceBreak(TestDatabases backend) throws Exception {
    try (Database database = backend.open(directory)) {
      AuditTrail trail = trailWithFiveEntries(database);

      execute(database, "DELETE FROM audit_entries WHERE seq = 2");

      AuditVerification result = trail.verify(Set.of(), null);
      assertFalse(result.ok());
      assertEquals(2, result.badSequence());
      assertTrue(result.problem().startsWith("sequence break: expected sequence 2, found 3"), result.problem());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void verify_twoSwappedEntries_failWithAChainBreak(TestDatabases backend) throws Exception {
    try (Database database = backend.open(directory)) {
      AuditTrail trail = trailWithFiveEntries(database);

      // Swap the positions of entries 2 and 3 (their sequence numbers change places).
      execute(database, "UPDATE audit_entries SET seq = 100 WHERE seq = 2");
      execute(database, "UPDATE audit_entries SET seq = 2 WHERE seq = 3");
      execute(database, "UPDATE audit_entries SET seq = 3 WHERE seq = 100");

      AuditVerification result = trail.verify(Set.of(), null);
      assertFalse(result.ok());
      assertEquals(2, result.badSequence());
      assertTrue(result.problem().startsWith("chain break"), result.problem());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void verify_anEntryReSignedWithAnotherKey_failsWithABadSignature(TestDatabases backend) throws Exception {
    try (Database database = backend.open(directory)) {
      // given: the last entry is edited, re-hashed and re-signed by someone without the coordinator's key
      AuditTrail trail = trailWithFiveEntries(database);
      AuditEntry last = trail.entries().get(4);
      String forgedHash = AuditEntry.computeHash(5, last.at(), "mallory", last.action(), last.subject(),
          last.details(), last.previousHash(), last.keyId());
      String forgedSignature = AuditSigner.generate().sign(forgedHash);
      execute(database, "UPDATE audit_entries SET actor = 'mallory', entry_hash = '%s', signature = '%s' WHERE seq = 5"
          .formatted(forgedHash, forgedSignature));

      // when
      AuditVerification result = trail.verify(Set.of(), null);

      // then
      assertFalse(result.ok());
      assertEquals(5, result.badSequence());
      assertTrue(result.problem().startsWith("bad signature"), result.problem());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void verify_anEntryAppendedWithAnotherRecordedKey_failsUnlessThatKeyIsTrusted(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      // given: someone with write access appends with their own key, recording their public key too
      AuditTrail trail = trailWithFiveEntries(database);
      AuditSigner other = AuditSigner.generate();
      new AuditTrail(database, other, CLOCK).append("mallory", AuditActions.MODEL_PROMOTED, "run-1:9", Map.of());

      // when / then: a key change fails by default, and with a pinned key the foreign entry fails
      AuditVerification byDefault = trail.verify(Set.of(), null);
      assertFalse(byDefault.ok());
      assertEquals(6, byDefault.badSequence());
      assertTrue(byDefault.problem().contains("a change of signing key is accepted only when both keys are given"),
          byDefault.problem());
      AuditVerification pinned = trail.verify(Set.of(signer.keyId()), null);
      assertTrue(pinned.problem().contains("not one of the trusted keys"), pinned.problem());
      assertTrue(trail.verify(Set.of(signer.keyId(), other.keyId()), null).ok(), "a deliberate rotation verifies");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void verify_aTruncatedTail_isOnlyDetectedAgainstARecordedHead(TestDatabases backend) throws Exception {
    try (Database database = backend.open(directory)) {
      // given: the operator recorded the head after five entries, then the last two were deleted
      AuditTrail trail = trailWithFiveEntries(database);
      String recordedHead = trail.verify(Set.of(), null).headHash();
      execute(database, "DELETE FROM audit_entries WHERE seq >= 4");

      // when / then
      assertTrue(trail.verify(Set.of(), null).ok(), "a shorter trail is a valid trail on its own");
      AuditVerification againstHead = trail.verify(Set.of(), recordedHead);
      assertFalse(againstHead.ok());
      assertTrue(againstHead.problem().contains("is not in the trail: entries were removed from its end"),
          againstHead.problem());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void verify_aRecordedHeadOfAnEarlierTrail_passesAfterTheTrailGrew(TestDatabases backend) {
    try (Database database = backend.open(directory)) {
      AuditTrail trail = new AuditTrail(database, signer, CLOCK);
      trail.append("alice", AuditActions.MEMBER_ENROLLED, "bank-a", Map.of());
      String recordedHead = trail.verify(Set.of(), null).headHash();
      trail.append("alice", AuditActions.MEMBER_ENROLLED, "bank-b", Map.of());

      assertTrue(trail.verify(Set.of(), recordedHead).ok());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void append_fromTwoProcessesAtOnce_keepsOneUnbrokenChain(TestDatabases backend) throws Exception {
    // given: the coordinator and an operator's CLI, each with its own pool on the same store
    String url = backend.newUrl(directory);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Database coordinator = backend.reopen(url); Database cli = backend.reopen(url)) {
      List<Future<?>> writers = new ArrayList<>();
      for (Database database : List.of(coordinator, cli)) {
        AuditTrail trail = new AuditTrail(database, signer, CLOCK);
        writers.add(threads.submit(() -> {
          for (int i = 0; i < 15; i++) {
            trail.append("writer", AuditActions.MODEL_PROMOTED, "run-1:" + i, Map.of());
          }
        }));
      }

      // when
      for (Future<?> writer : writers) {
        writer.get();
      }

      // then
      AuditVerification result = AuditTrail.readOnly(coordinator).verify(Set.of(), null);
      assertTrue(result.ok(), result.summary());
      assertEquals(30, result.entries());
    } finally {
      threads.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void export_verifiesOnItsOwn_andEveryTamperingOfTheFileIsNamed(TestDatabases backend) throws Exception {
    try (Database database = backend.open(directory)) {
      // given
      AuditExport export = trailWithFiveEntries(database).export();
      Path file = directory.resolve("audit-" + backend + ".json");
      export.writeTo(file);
      AuditExport read = AuditExport.read(file);
      assertTrue(read.verify(Set.of(), null).ok(), read.verify(Set.of(), null).summary());

      // edited
      List<AuditExport.Entry> edited = new ArrayList<>(read.entries());
      AuditExport.Entry third = edited.get(2);
      edited.set(2, new AuditExport.Entry(3, third.at(), third.actor(), third.action(), third.subject(),
          third.details().replace("COMMITTED", "FAILED"), third.previousHash(), third.hash(), third.keyId(),
          third.signature()));
      assertProblem(with(read, edited, read.count(), read.headHash()), 3, "hash mismatch");

      // removed
      List<AuditExport.Entry> removed = new ArrayList<>(read.entries());
      removed.remove(1);
      assertProblem(with(read, removed, read.count(), read.headHash()), 2, "sequence break");

      // swapped
      List<AuditExport.Entry> swapped = new ArrayList<>(read.entries());
      swapped.set(1, read.entries().get(2));
      swapped.set(2, read.entries().get(1));
      assertProblem(with(read, swapped, read.count(), read.headHash()), 2, "sequence break");

      // truncated, the document's count and head left as they were
      List<AuditExport.Entry> truncated = new ArrayList<>(read.entries().subList(0, 3));
      assertProblem(with(read, truncated, read.count(), read.headHash()), 4, "the document says 5 entries");

      // truncated, count and head rewritten to match: only a head recorded elsewhere catches it
      AuditExport rewritten = with(read, truncated, 3, truncated.get(2).hash());
      assertTrue(rewritten.verify(Set.of(), null).ok());
      assertFalse(rewritten.verify(Set.of(), read.headHash()).ok());

      // re-signed with another key
      List<AuditExport.Entry> resigned = new ArrayList<>(read.entries());
      AuditExport.Entry first = resigned.get(0);
      resigned.set(0, new AuditExport.Entry(1, first.at(), first.actor(), first.action(), first.subject(),
          first.details(), first.previousHash(), first.hash(), first.keyId(), AuditSigner.generate().sign(first.hash())));
      assertProblem(with(read, resigned, read.count(), read.headHash()), 1, "bad signature");
    }
  }

  private static AuditExport with(AuditExport original, List<AuditExport.Entry> entries, long count, String head) {
    return new AuditExport(original.format(), original.exportedAt(), count, head, original.hashEncoding(),
        original.signers(), entries);
  }

  private static void assertProblem(AuditExport export, long badSequence, String problemStart) {
    AuditVerification result = export.verify(Set.of(), null);
    assertFalse(result.ok(), "tampering not detected");
    assertEquals(badSequence, result.badSequence(), result.summary());
    assertTrue(result.problem().startsWith(problemStart), result.problem());
  }
}
