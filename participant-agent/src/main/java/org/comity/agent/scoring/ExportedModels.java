package org.comity.agent.scoring;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.comity.serving.ServingContract;

/**
 * Finds an exported model version on disk: either a version directory itself (it holds
 * {@value ServingContract#MANIFEST_FILE}) or TensorFlow Serving's base directory holding numbered versions.
 */
public final class ExportedModels {
  private ExportedModels() {}

  /**
   * The version directory to score with.
   *
   * @param dir a version directory, or a base directory of numbered version directories
   * @param version the version to pick from a base directory, or {@code null} for the highest
   * @throws IllegalArgumentException naming the directory and what was expected, when nothing fits
   */
  public static Path resolveVersionDirectory(Path dir, Long version) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--model %s is not a directory: give an exported version directory or its "
          .formatted(dir) + "parent holding numbered versions");
    }
    if (Files.isRegularFile(dir.resolve(ServingContract.MANIFEST_FILE))) {
      if (version != null && !dir.getFileName().toString().equals(Long.toString(version))) {
        throw new IllegalArgumentException("--model %s is one exported version directory; --version %d applies "
            .formatted(dir, version) + "only to a directory of numbered versions");
      }
      return dir;
    }
    List<Long> versions = versions(dir);
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(("--model %s holds neither %s nor numbered version directories with one; "
          + "export a version with the coordinator's 'model export' first").formatted(dir,
          ServingContract.MANIFEST_FILE));
    }
    long chosen = version != null ? version : versions.get(versions.size() - 1);
    if (!versions.contains(chosen)) {
      throw new IllegalArgumentException("--version %d is not in %s; exported versions there: %s"
          .formatted(chosen, dir, versions));
    }
    return dir.resolve(Long.toString(chosen));
  }

  /** The numbered subdirectories that hold a manifest, ascending. */
  static List<Long> versions(Path dir) throws IOException {
    List<Long> versions = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.matches("[0-9]{1,18}") && Files.isRegularFile(entry.resolve(ServingContract.MANIFEST_FILE))) {
          versions.add(Long.parseLong(name));
        }
      }
    }
    versions.sort(null);
    return versions;
  }
}
