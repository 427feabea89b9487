package org.comity.agent.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The agent's status file. Writes go to a temporary file in the same directory, then replace the status file in
 * one atomic rename, so a reader ({@code comity-agent status}, a monitoring script) sees the old document or the
 * new one, never half of one.
 */
public final class StatusFile {
  /** The default location, relative to the agent's working directory. */
  public static final Path DEFAULT = Path.of("comity-agent-state", "status.json");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      // A newer agent may add fields; an older status command still shows what it knows.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path path;

  public StatusFile(Path path) {
    this.path = path.toAbsolutePath().normalize();
  }

  public Path path() {
    return path;
  }

  /** Replaces the file with {@code status}, atomically; creates the directory if needed. */
  public void write(AgentStatus status) throws IOException {
    Path directory = path.getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, path.getFileName() + ".", ".tmp");
    try {
      Files.write(temporary, toJson(status).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Same directory, so only exotic file systems get here; a plain replace is still better than no status.
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * The status in the file, or empty when there is no file (no agent has written status here).
   *
   * @throws IOException when the file cannot be read or is not a status document, naming the file
   */
  public Optional<AgentStatus> read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      AgentStatus status = JSON.readValue(bytes, AgentStatus.class);
      if (status == null) {
        throw new IOException("%s is empty, not an agent status document".formatted(path));
      }
      return Optional.of(status);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("%s is not an agent status document: %s".formatted(path, e.getMessage()), e);
    }
  }

  /** The document as the JSON the file holds. */
  public static String toJson(AgentStatus status) {
    try {
      return JSON.writeValueAsString(status) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the status as JSON", e);
    }
  }
}
