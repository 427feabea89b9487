package org.comity.agent.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.comity.agent.status.AgentStatus;
import org.comity.agent.status.StatusFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status}: shows what a running (or stopped) agent last wrote to its status file. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows the agent's status: connection, latest tasks, privacy spent against the bank's ceiling, "
        + "and the data check, with how old the status is.",
        "Exit codes: 0 shown, 2 no status at that path (no agent has written one there), 1 unreadable."})
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--status-file", paramLabel = "PATH",
      description = "The agent's status file (default: comity-agent-state/status.json, as 'run' writes it).")
  Path statusFile;

  @Option(names = "--json", description = "Print the status document as JSON, as the agent wrote it.")
  boolean json;

  @Spec
  CommandSpec spec;

  private final Clock clock;

  StatusCommand() {
    this(Clock.systemUTC());
  }

  StatusCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    StatusFile file = new StatusFile(statusFile != null ? statusFile : StatusFile.DEFAULT);
    Optional<AgentStatus> read = file.read();
    if (read.isEmpty()) {
      throw new ExitCodes.BadInputException(("no agent has written status at %s yet (start one with "
          + "'comity-agent run ... --status-file %s', or point --status-file at its file)")
          .formatted(file.path(), file.path()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(Files.readString(file.path()));
    } else {
      print(read.get(), file.path(), clock.instant(), out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The human-readable form: one line per aspect, then the latest tasks as a table. */
  static void print(AgentStatus status, Path path, Instant now, PrintWriter out) {
    out.printf("agent %s: status written %s (%s ago) to %s%n", status.memberId(), seconds(status.updated()),
        age(status.updated(), now), path);
    AgentStatus.Connection connection = status.connection();
    out.printf("connection: %s since %s (%s ago), coordinator %s%s%n", connection.state(),
        seconds(Instant.parse(connection.since())),
        age(Instant.parse(connection.since()), now), connection.coordinator(),
        connection.runId().isEmpty() ? "" : ", run " + connection.runId());
    if (!connection.detail().isEmpty()) {
      out.printf("  %s%n", connection.detail());
    }
    AgentStatus.DataCheck check = status.dataCheck();
    if (check != null) {
      out.printf(Locale.ROOT, "data check: %d rows, positive rate %.3f%%, %d problem(s)%n", check.rows(),
          100 * check.positiveRate(), check.problems());
    }
    AgentStatus.Privacy privacy = status.privacy();
    if (privacy == null) {
      out.println("sample-level privacy: not used by this plan");
    } else {
      out.printf(Locale.ROOT, "sample-level privacy: epsilon %.4f spent of this bank's ceiling %s (%.1f%%) at delta %s%n",
          privacy.sampleEpsilonSpent(), privacy.epsilonCeiling(),
          100 * privacy.sampleEpsilonSpent() / privacy.epsilonCeiling(), privacy.delta());
    }
    if (status.recentTasks().isEmpty()) {
      out.println("tasks: none yet");
      return;
    }
    out.println("latest tasks (oldest first):");
    out.printf("  %5s  %-28s  %-15s  %8s  %10s  %8s%n", "round", "task", "outcome", "rows", "training", "loss");
    for (AgentStatus.TaskEntry task : status.recentTasks()) {
      out.printf(Locale.ROOT, "  %5d  %-28s  %-15s  %8d  %10s  %8s%n", task.round(), task.task(), task.outcome(),
          task.rows(), task.loss() == null ? "-" : "%.1f s".formatted(task.trainingMillis() / 1000.0),
          task.loss() == null ? "-" : "%.5f".formatted(task.loss()));
    }
  }

  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** "42 s", "3 min", "2 h 5 min", "4 d 3 h": enough to tell a live agent from a stale file. */
  static String age(Instant then, Instant now) {
    Duration age = Duration.between(then, now);
    if (age.isNegative()) {
      return "0 s";
    }
    long seconds = age.toSeconds();
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return (seconds / 60) + " min";
    }
    if (seconds < 2 * 86_400) {
      return "%d h %d min".formatted(seconds / 3600, (seconds % 3600) / 60);
    }
    return "%d d %d h".formatted(seconds / 86_400, (seconds % 86_400) / 3600);
  }
}
