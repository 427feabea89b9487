package org.comity.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.comity.agent.runtime.PrivacySpent;
import org.comity.agent.runtime.TaskRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status document's rules: when "since" moves, what is kept, and that the file always holds a whole document. */
class AgentStatusTrackerTest {
  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final AtomicReference<Optional<PrivacySpent>> privacy =
      new AtomicReference<>(Optional.of(new PrivacySpent(0.0, 1e-5, 8.0)));

  private AgentStatusTracker tracker(StatusFile file) {
    return new AgentStatusTracker("bank-a", "coord.example:7443", new AgentStatus.DataCheck(1000, 0.012, 0),
        privacy::get, file, clock);
  }

  @Test
  void unreachableSince_staysAtTheFirstFailure_acrossRetriesAndRejoins() throws Exception {
    // given
    StatusFile file = new StatusFile(dir.resolve("state/status.json"));
    AgentStatusTracker tracker = tracker(file);
    tracker.connecting();
    clock.advance(Duration.ofSeconds(5));
    // when: the coordinator stops answering, the agent retries and re-joins
    tracker.unreachable("UNAVAILABLE: io exception");
    Instant firstFailure = clock.instant();
    clock.advance(Duration.ofSeconds(30));
    tracker.connecting();
    tracker.unreachable("UNAVAILABLE: connection refused");
    // then
    AgentStatus status = file.read().orElseThrow();
    assertEquals(AgentStatus.State.UNREACHABLE, status.connection().state());
    assertEquals(firstFailure.toString(), status.connection().since());
    assertEquals("UNAVAILABLE: connection refused", status.connection().detail());
    assertEquals(clock.instant(), status.updated());
    // and back: connected resets since and keeps the run id
    clock.advance(Duration.ofSeconds(1));
    tracker.connected("run-7");
    status = file.read().orElseThrow();
    assertEquals(AgentStatus.State.CONNECTED, status.connection().state());
    assertEquals(clock.instant().toString(), status.connection().since());
    assertEquals("run-7", status.connection().runId());
  }

  @Test
  void recentTasks_keepTheLatestTwenty_andPrivacyIsReadAtEachChange() throws Exception {
    StatusFile file = new StatusFile(dir.resolve("status.json"));
    AgentStatusTracker tracker = tracker(file);
    for (int round = 1; round <= 25; round++) {
      privacy.set(Optional.of(new PrivacySpent(0.1 * round, 1e-5, 8.0)));
      tracker.taskFinished(new TaskRecord(round, "train", TaskRecord.Outcome.ACCEPTED, 800, 1200, 0.4));
    }
    AgentStatus status = file.read().orElseThrow();
    assertEquals(AgentStatus.RECENT_TASKS, status.recentTasks().size());
    assertEquals(6, status.recentTasks().get(0).round());
    assertEquals(25, status.recentTasks().get(19).round());
    assertEquals(2.5, status.privacy().sampleEpsilonSpent(), 1e-9);
    assertEquals(8.0, status.privacy().epsilonCeiling());
    assertEquals(1000, status.dataCheck().rows());
  }

  @Test
  void withoutDpSgd_privacyIsNull_andTheFileHoldsNoTemporaryLeftovers() throws Exception {
    privacy.set(Optional.empty());
    StatusFile file = new StatusFile(dir.resolve("status.json"));
    AgentStatusTracker tracker = tracker(file);
    tracker.taskFinished(new TaskRecord(0, "statistics", TaskRecord.Outcome.ACCEPTED, 800, 0, null));
    tracker.finished("all rounds done");
    assertNull(file.read().orElseThrow().privacy());
    assertEquals(AgentStatus.State.FINISHED, file.read().orElseThrow().connection().state());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only status.json: temporary files are renamed or deleted");
    }
  }

  @Test
  void statusJson_carriesNoSessionOrKeyMaterial() throws Exception {
    StatusFile file = new StatusFile(dir.resolve("status.json"));
    AgentStatusTracker tracker = tracker(file);
    tracker.connected("run-7");
    String json = Files.readString(file.path());
    assertFalse(json.toLowerCase().contains("session"), json);
    assertFalse(json.toLowerCase().contains("key"), json);
    assertTrue(json.contains("\"memberId\" : \"bank-a\""), json);
  }

  @Test
  void missingFile_readsAsEmpty_andGarbage_isAnErrorNamingTheFile() throws Exception {
    StatusFile missing = new StatusFile(dir.resolve("nothing.json"));
    assertTrue(missing.read().isEmpty());
    Path garbage = Files.writeString(dir.resolve("garbage.json"), "{not json");
    var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> new StatusFile(garbage).read());
    assertTrue(e.getMessage().contains("garbage.json is not an agent status document"), e.getMessage());
  }

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
