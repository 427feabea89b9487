package org.comity.simulation.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinator as a real separate process ({@code comity-coordinator run}, started from this JVM's class path),
 * so that a test can kill it with SIGKILL and start it again on the same database.
 */
final class CoordinatorProcess implements AutoCloseable {
  private final Process process;
  private final Path output;

  private CoordinatorProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts {@code run} on {@code port} with {@code database}; its stdout and stderr go to {@code output}. */
  static CoordinatorProcess start(Path plan, int port, String database, Path output) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.comity.coordinator.cli.CoordinatorMain");
    command.addAll(List.of("run", "--plan", plan.toString(), "--port", Integer.toString(port),
        "--database", database, "--poll-timeout", "1s"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    return new CoordinatorProcess(process, output);
  }

  /** Waits until the process's output matches {@code regex} (a real event: a line it printed), or fails. */
  String await(String regex, Duration timeout) throws IOException, InterruptedException {
    Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
    Instant giveUp = Instant.now().plus(timeout);
    while (Instant.now().isBefore(giveUp)) {
      Matcher matcher = pattern.matcher(Files.readString(output, StandardCharsets.UTF_8));
      if (matcher.find()) {
        return matcher.group();
      }
      if (!process.isAlive()) {
        throw new AssertionError("the coordinator exited with " + process.exitValue() + " before printing /" + regex
            + "/; its output:\n" + Files.readString(output));
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("no /" + regex + "/ from the coordinator within " + timeout + "; its output:\n"
        + Files.readString(output));
  }

  /** SIGKILL: no shutdown hook, no flush, no goodbye to the banks. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the coordinator did not die");
    }
  }

  /** Waits for the process to end and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the coordinator did not finish within " + timeout + "; its output:\n"
          + Files.readString(output));
    }
    return process.exitValue();
  }

  String output() throws IOException {
    return Files.readString(output);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
