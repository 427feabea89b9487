package org.comity.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Checks Prometheus text with {@code promtool check metrics}, the Prometheus project's own parser and linter
 * (Debian package {@code prometheus}; {@code .ci/run} installs it when missing). There is no maintained Java parser
 * of the text format on Maven Central: the Java client libraries only write it. promtool parses with the same code
 * the Prometheus server scrapes with, and lints names (counters end in {@code _total}, base units, snake case).
 *
 * <p>A missing promtool fails the test with how to install it: a skipped parse would hide a broken scrape.
 */
public final class Promtool {
  private Promtool() {}

  /** Fails unless promtool parses {@code text} and finds no lint problem. */
  public static void assertParsesAndLintsClean(String text) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(executable(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
    assertEquals(0, process.exitValue(), "promtool check metrics refused the scrape:\n" + output + "\n---\n" + text);
  }

  private static String executable() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail("promtool is not on PATH; it parses the Prometheus text format in this test. "
        + "Install it with 'apt-get install -y prometheus' (Debian), as .ci/run does.");
  }
}
