package org.comity.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.comity.agent.status.AgentStatus;
import org.junit.jupiter.api.Test;

/** The human-readable status: what a bank's operator reads, line by line. */
class StatusCommandTest {
  @Test
  void print_showsConnectionAgesPrivacyAgainstTheCeilingAndTheLatestTasks() {
    // given: an agent unreachable for 3 minutes, after two tasks, with DP-SGD
    AgentStatus status = new AgentStatus(AgentStatus.FORMAT, "2026-03-01T10:03:00.250Z", "bank-a",
        new AgentStatus.Connection(AgentStatus.State.UNREACHABLE, "2026-03-01T10:00:00Z", "coord:7443", "run-7",
            "UNAVAILABLE: io exception"),
        new AgentStatus.DataCheck(1000, 0.012, 0), new AgentStatus.Privacy(2.0, 1e-5, 8.0),
        List.of(new AgentStatus.TaskEntry(3, "train", "accepted", 800, 1250, 0.41234, "2026-03-01T09:59:00Z"),
            new AgentStatus.TaskEntry(3, "evaluate", "accepted", 200, 0, null, "2026-03-01T09:59:30Z")));
    StringWriter text = new StringWriter();
    // when
    StatusCommand.print(status, Path.of("/state/status.json"), Instant.parse("2026-03-01T10:03:42Z"),
        new PrintWriter(text));
    // then
    List<String> lines = text.toString().lines().toList();
    assertEquals("agent bank-a: status written 2026-03-01T10:03:00Z (41 s ago) to /state/status.json", lines.get(0));
    assertEquals("connection: UNREACHABLE since 2026-03-01T10:00:00Z (3 min ago), coordinator coord:7443, run run-7",
        lines.get(1));
    assertEquals("  UNAVAILABLE: io exception", lines.get(2));
    assertEquals("data check: 1000 rows, positive rate 1.200%, 0 problem(s)", lines.get(3));
    assertEquals("sample-level privacy: epsilon 2.0000 spent of this bank's ceiling 8.0 (25.0%) at delta 1.0E-5",
        lines.get(4));
    assertEquals(List.of("round", "task", "outcome", "rows", "training", "loss"),
        List.of(lines.get(6).trim().split("\\s+")));
    assertEquals(List.of("3", "train", "accepted", "800", "1.3", "s", "0.41234"),
        List.of(lines.get(7).trim().split("\\s+")));
    assertEquals(List.of("3", "evaluate", "accepted", "200", "-", "-"), List.of(lines.get(8).trim().split("\\s+")));
  }

  @Test
  void age_isShortAndCoarseEnoughToRead() {
    Instant then = Instant.parse("2026-03-01T00:00:00Z");
    assertEquals("0 s", StatusCommand.age(then, then.minusSeconds(5)));
    assertEquals("119 s", StatusCommand.age(then, then.plusSeconds(119)));
    assertEquals("2 min", StatusCommand.age(then, then.plusSeconds(120)));
    assertEquals("2 h 5 min", StatusCommand.age(then, then.plusSeconds(2 * 3600 + 5 * 60)));
    assertEquals("3 d 1 h", StatusCommand.age(then, then.plusSeconds(3 * 86_400 + 3600)));
  }
}
