package org.comity.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.comity.plan.FeatureSpec;
import org.comity.plan.FeatureType;

/**
 * {@value ServingContract#MANIFEST_FILE}: what an exported model version is and how to feed it. Written by the
 * coordinator's exporter into the version directory beside {@code saved_model.pb}; read by the agent's
 * {@code score} command, which refuses a model whose {@code planHash} differs from the bank's plan.
 *
 * @param formatVersion version of this manifest's format, {@value #FORMAT_VERSION}
 * @param modelVersion the model version number (also the directory name)
 * @param runId the run that committed the version
 * @param planHash canonical hash of the federation plan the version was trained under
 * @param weightsSha256 hex SHA-256 of the weights as packed little-endian float32 in the plan's layout
 * @param round the round that committed the version
 * @param participants members whose updates built the version
 * @param epsilonSpent bank-level epsilon the run had spent at this version (0 without bank-level DP)
 * @param featureNames the serving input's columns, in order (the plan's features)
 * @param inputs how each input column is encoded (see {@link ServingInput})
 * @param reviewThreshold probability from which the band is {@code review}
 * @param blockThreshold probability from which the band is {@code block}
 * @param signature where the model is in the SavedModel
 * @param createdAt ISO-8601 UTC instant of the export
 */
public record ModelManifest(int formatVersion, long modelVersion, String runId, String planHash,
    String weightsSha256, int round, List<String> participants, double epsilonSpent, List<String> featureNames,
    List<InputColumn> inputs, double reviewThreshold, double blockThreshold, SignatureInfo signature,
    String createdAt) {
  /** The only manifest format so far. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  public ModelManifest {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("manifest formatVersion %d is not supported; this build reads %d"
          .formatted(formatVersion, FORMAT_VERSION));
    }
    if (planHash == null || !planHash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("manifest planHash must be 64 lowercase hex digits, got " + planHash);
    }
    participants = List.copyOf(participants);
    featureNames = List.copyOf(featureNames);
    inputs = List.copyOf(inputs);
    if (featureNames.isEmpty() || featureNames.size() != inputs.size()) {
      throw new IllegalArgumentException("manifest lists %d feature names and %d inputs; need the same, at least 1"
          .formatted(featureNames.size(), inputs.size()));
    }
  }

  /**
   * One column of the serving input.
   *
   * @param name the plan's feature name
   * @param type {@code numeric} or {@code categorical}
   * @param categories for a categorical feature, the values whose 0-based positions the column carries
   * @param missing the plan's missing-value policy applied in the graph to a NaN cell
   */
  public record InputColumn(String name, String type, List<String> categories, String missing) {
    public InputColumn {
      categories = List.copyOf(categories);
    }

    /** The column of {@code feature}. */
    public static InputColumn of(FeatureSpec feature) {
      return new InputColumn(feature.name(), feature.type() == FeatureType.NUMERIC ? "numeric" : "categorical",
          feature.categories(), feature.missing().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Where the model lives in the SavedModel.
   *
   * @param tag the tag set
   * @param key the signature key
   * @param method the signature method
   * @param input the input tensor's name in the signature
   * @param output the output tensor's name in the signature
   */
  public record SignatureInfo(String tag, String key, String method, String input, String output) {
    /** The names every Comity export uses ({@link ServingContract}). */
    public static SignatureInfo standard() {
      return new SignatureInfo(ServingContract.TAG, ServingContract.SIGNATURE_KEY, ServingContract.METHOD_NAME,
          ServingContract.INPUT_NAME, ServingContract.OUTPUT_NAME);
    }
  }

  /** Pretty-printed JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the model manifest", e);
    }
  }

  /** Writes {@value ServingContract#MANIFEST_FILE} into {@code versionDirectory}. */
  public void write(Path versionDirectory) throws IOException {
    Files.writeString(versionDirectory.resolve(ServingContract.MANIFEST_FILE), toJson());
  }

  /**
   * Reads the manifest of a version directory.
   *
   * @throws IOException naming the file when it is missing, unreadable or not a valid manifest
   */
  public static ModelManifest read(Path versionDirectory) throws IOException {
    Path file = versionDirectory.resolve(ServingContract.MANIFEST_FILE);
    try {
      return JSON.readValue(Files.readString(file), ModelManifest.class);
    } catch (NoSuchFileException e) {
      throw new IOException("%s is missing: %s is not an exported Comity model version".formatted(file,
          versionDirectory), e);
    } catch (JsonProcessingException e) {
      throw new IOException("%s is not a valid model manifest: %s".formatted(file, e.getOriginalMessage()), e);
    }
  }
}
