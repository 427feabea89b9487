package org.comity.simulation.recovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The coordinator as a real separate process ({@code comity-coordinator run}, started with this JVM's class path),
 * so that it can be killed with SIGKILL and started again on the same database. Its output lines are copied to a
 * log file and kept with the time each arrived, so callers can wait for a line and time it.
 */
public final class CoordinatorProcess implements AutoCloseable {
  private record Line(long nanos, String text) {}

  private final Process process;
  private final Path log;
  private final List<Line> lines = new ArrayList<>();
  private final Thread pump;

  private CoordinatorProcess(Process process, Path log) throws IOException {
    this.process = process;
    this.log = log;
    Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    this.pump = new Thread(() -> {
      try (writer; BufferedReader reader = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
          long now = System.nanoTime();
          writer.write(text);
          writer.write('\n');
          writer.flush();
          synchronized (lines) {
            lines.add(new Line(now, text));
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process died: its output ends here
      } finally {
        synchronized (lines) {
          lines.notifyAll();
        }
      }
    }, "coordinator-output");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts {@code run --plan PLAN --port PORT --database URL} (plus {@code extraArgs}) with {@code environment}
   * added to this process's; output goes to {@code log}.
   */
  public static CoordinatorProcess start(Path plan, int port, String database, Map<String, String> environment,
      Path log, String... extraArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.comity.coordinator.cli.CoordinatorMain");
    command.addAll(List.of("run", "--plan", plan.toAbsolutePath().toString(), "--port", Integer.toString(port),
        "--database", database, "--poll-timeout", "1s"));
    command.addAll(List.of(extraArgs));
    // The process works in the log's directory: whatever it writes by default (an audit key next to a PostgreSQL
    // store, a token file) stays with the run instead of landing in the caller's working directory.
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .directory(log.toAbsolutePath().getParent().toFile());
    builder.environment().putAll(environment);
    return new CoordinatorProcess(builder.start(), log);
  }

  /**
   * Waits until an output line matches {@code regex} (a real event: a line the process printed) and returns the
   * {@link System#nanoTime} at which it arrived.
   *
   * @throws IllegalStateException if the process exits first or the line does not come within {@code timeout}
   */
  public long await(String regex, Duration timeout) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long giveUp = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (pattern.matcher(lines.get(seen).text()).find()) {
            return lines.get(seen).nanos();
          }
        }
        long left = giveUp - System.nanoTime();
        if (!process.isAlive() && !pump.isAlive()) {
          throw new IllegalStateException("the coordinator exited with " + process.exitValue() + " before printing /"
              + regex + "/; its output:\n" + output());
        }
        if (left <= 0) {
          throw new IllegalStateException("no /" + regex + "/ from the coordinator within " + timeout
              + "; its output:\n" + output());
        }
        lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
      }
    }
  }

  /** SIGKILL: no shutdown hook, no flush, no goodbye to the banks. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the coordinator did not die");
    }
  }

  /** Waits for the process to end and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the coordinator did not finish within " + timeout + "; its output:\n"
          + output());
    }
    pump.join(10_000);
    return process.exitValue();
  }

  /** Everything the process printed so far. */
  public String output() {
    StringBuilder text = new StringBuilder();
    synchronized (lines) {
      for (Line line : lines) {
        text.append(line.text()).append('\n');
      }
    }
    return text.toString();
  }

  /** Where the output is copied. */
  public Path log() {
    return log;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
