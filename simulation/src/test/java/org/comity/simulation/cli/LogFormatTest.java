package org.comity.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.comity.agent.cli.AgentMain;
import org.comity.coordinator.cli.CoordinatorMain;
import org.comity.logging.LogFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three executables' Logback configurations (as shipped in their jars; this module sees all three) in both log
 * formats, and how the format is chosen. Each case configures a fresh {@link LoggerContext}, so the test JVM's own
 * logging is untouched.
 */
class LogFormatTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"comity-coordinator-logback.xml", "comity-agent-logback.xml", "comity-simulation-logback.xml"})
  void jsonFormat_writesOneParseableObjectPerLine_withLevelLoggerAndMessage(String config) throws Exception {
    // when
    String stderr = logOneWarning(config, "json");
    // then
    List<String> lines = stderr.lines().toList();
    assertEquals(1, lines.size(), stderr);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertEquals("WARN", line.get("level").asText());
    assertEquals("org.comity.example.RoundEngine", line.get("loggerName").asText());
    assertEquals("round {} failed: {}", line.get("message").asText());
    assertEquals("round 3 failed: below quorum", line.get("formattedMessage").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"comity-coordinator-logback.xml", "comity-agent-logback.xml", "comity-simulation-logback.xml"})
  void defaultFormat_staysText(String config) throws Exception {
    String stderr = logOneWarning(config, null);
    assertFalse(stderr.startsWith("{"), stderr);
    assertTrue(stderr.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[[^]]+\\] o\\.c\\.e\\.RoundEngine - "
        + "round 3 failed: below quorum\\R"), stderr);
  }

  @Test
  void simulationLogFile_followsTheFormatToo() throws Exception {
    logOneWarning("comity-simulation-logback.xml", "json");
    String file = Files.readString(dir.resolve("simulation.log"));
    assertEquals("WARN", new ObjectMapper().readTree(file.lines().findFirst().orElseThrow()).get("level").asText());
  }

  @Test
  void theFlagWinsOverTheEnvironment_andUnknownValuesAreLeftToPicocli() {
    Map<String, String> env = Map.of(LogFormat.ENVIRONMENT, "json");
    assertEquals(Optional.of(LogFormat.TEXT), LogFormat.requested(new String[] {"run", "--log-format", "text"}, env));
    assertEquals(Optional.of(LogFormat.JSON), LogFormat.requested(new String[] {"--log-format=JSON", "run"}, Map.of()));
    assertEquals(Optional.of(LogFormat.JSON), LogFormat.requested(new String[] {"run"}, env));
    assertEquals(Optional.empty(), LogFormat.requested(new String[] {"--log-format", "xml"}, Map.of()));
    assertEquals(Optional.empty(), LogFormat.requested(new String[] {"run"}, Map.of()));
  }

  @Test
  void everyExecutable_acceptsTheOptionOnAnyCommand_andRefusesAnUnknownFormatWithExit2() {
    assertEquals(0, quietly(() -> CoordinatorMain.execute("plan", "--log-format", "json", "--help")));
    assertEquals(0, quietly(() -> AgentMain.execute("--log-format", "json", "status", "--help")));
    assertEquals(0, quietly(() -> SimulationMain.execute("simulate", "--log-format=text", "--help")));
    assertEquals(2, quietly(() -> AgentMain.execute("status", "--log-format", "xml")));
    assertEquals(2, quietly(() -> CoordinatorMain.execute("--log-format", "yaml", "plan", "--help")));
  }

  /** Configures {@code config} in a fresh context and logs one warning; returns what reached stderr. */
  private String logOneWarning(String config, String format) throws Exception {
    URL resource = getClass().getClassLoader().getResource(config);
    LoggerContext context = new LoggerContext();
    // A context built by hand lacks the MDC adapter that SLF4J's binding would install.
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    if (format != null) {
      context.putProperty(LogFormat.PROPERTY, format);
    }
    context.putProperty("comity.simulation.log", dir.resolve("simulation.log").toString());
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(resource);
      context.getLogger("org.comity.example.RoundEngine").warn("round {} failed: {}", 3, "below quorum");
    } finally {
      context.stop();
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static int quietly(java.util.function.IntSupplier command) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      return command.getAsInt();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
