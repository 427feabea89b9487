package org.comity.coordinator.export;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.stream.Stream;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.serving.ModelManifest;
import org.comity.serving.ServingContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Writes a committed model version as a TensorFlow Serving SavedModel: {@code <outDir>/<version>/} with
 * {@code saved_model.pb}, {@code variables/} and {@value ServingContract#MANIFEST_FILE}. Tag
 * {@value ServingContract#TAG}; signature {@value ServingContract#SIGNATURE_KEY}, method
 * {@value ServingContract#METHOD_NAME}; input {@value ServingContract#INPUT_NAME} float32 {@code [-1, features]}
 * (raw features in the plan's order, encoded as {@link org.comity.serving.ServingInput} says); output
 * {@value ServingContract#OUTPUT_NAME} float32 {@code [-1, 1]}. The graph is inference only and carries the
 * version's normalisation and the plan's missing-value handling, so a server needs nothing but raw features.
 *
 * <p><b>Atomicity.</b> The version is written into a hidden staging directory under {@code outDir} and moved into
 * place at the end, so TensorFlow Serving, which polls {@code outDir} for numbered directories, never sees a half
 * written version. On any failure the staging directory is removed and the target is untouched.
 *
 * <p>Intended caller: the coordinator's {@code model export --version V --out DIR} command, which loads the version
 * and the plan and maps {@link ModelExportException#badInput()} to exit code 2, other failures to 1.
 */
public final class SavedModelExporter {
  private static final Logger LOG = LoggerFactory.getLogger(SavedModelExporter.class);

  private final Clock clock;

  /** An exporter that stamps manifests with the system UTC clock. */
  public SavedModelExporter() {
    this(Clock.systemUTC());
  }

  /** An exporter that stamps manifests with {@code clock} (tests pass a fixed one). */
  public SavedModelExporter(Clock clock) {
    this.clock = clock;
  }

  /**
   * Exports {@code version}, trained under {@code plan}, into {@code outDir/<version>/}.
   *
   * @param overwrite replace an existing, non-empty version directory; without it such a directory is refused
   * @return the version directory and the manifest written
   * @throws ModelExportException with {@code badInput()} true when the version was trained under another plan, its
   *     weights or normalisation do not fit the plan's layout, a value is not finite, or the target exists (without
   *     {@code overwrite}) or is a file; false for I/O and TensorFlow failures
   */
  public ExportedModel export(ModelVersion version, FederationPlan plan, Path outDir, boolean overwrite)
      throws ModelExportException {
    float[] weights = version.weights();
    checkFitsPlan(version, plan, weights);
    Path target = outDir.resolve(Long.toString(version.version()));
    checkTarget(target, overwrite);
    ModelManifest manifest = manifest(version, plan);
    Path staging = null;
    try {
      Files.createDirectories(outDir);
      staging = Files.createTempDirectory(outDir, ".export-v" + version.version() + "-");
      writeSavedModel(plan, weights, version.normalization(), staging);
      manifest.write(staging);
      if (Files.exists(target)) {
        deleteRecursively(target); // empty, or overwrite was asked for: checked above
      }
      moveIntoPlace(staging, target);
      staging = null;
    } catch (IOException | RuntimeException e) {
      // RuntimeException: TensorFlow reports its failures unchecked (TensorFlowException, TFInvalidArgumentException).
      throw new ModelExportException("cannot export model version %d to %s: %s"
          .formatted(version.version(), target, e.getMessage()), false, e);
    } finally {
      if (staging != null) {
        deleteQuietly(staging);
      }
    }
    LOG.info("exported model version {} (weights sha256 {}) to {}", version.version(), version.weightsHash(), target);
    return new ExportedModel(target, manifest);
  }

  private static void checkFitsPlan(ModelVersion version, FederationPlan plan, float[] weights)
      throws ModelExportException {
    String planHash = PlanHash.of(plan);
    if (!planHash.equals(version.planHash())) {
      throw ModelExportException.badInput(("model version %d was trained under plan %s, but the plan given hashes to "
          + "%s: export it with the run's own plan").formatted(version.version(), version.planHash(), planHash));
    }
    int expected = plan.modelLayout().parameterCount();
    if (weights.length != expected) {
      throw ModelExportException.badInput("model version %d has %d weights; the plan's layout (%d inputs, hidden %s) "
          .formatted(version.version(), weights.length, plan.inputWidth(), plan.model().hiddenUnits())
          + "needs " + expected);
    }
    for (int i = 0; i < weights.length; i++) {
      if (!Float.isFinite(weights[i])) {
        throw ModelExportException.badInput("model version %d: weight %d is %s; only finite weights can be exported"
            .formatted(version.version(), i, weights[i]));
      }
    }
    Normalization normalization = version.normalization();
    if (normalization == null) {
      throw ModelExportException.badInput("model version %d has no normalisation; serving needs the mean and std"
          .formatted(version.version()));
    }
    if (normalization.columns() != plan.inputWidth()) {
      throw ModelExportException.badInput("model version %d's normalisation has %d columns; the plan has %d inputs"
          .formatted(version.version(), normalization.columns(), plan.inputWidth()));
    }
  }

  private static void checkTarget(Path target, boolean overwrite) throws ModelExportException {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw ModelExportException.badInput("%s exists and is not a directory; remove it or choose another --out"
          .formatted(target));
    }
    if (!overwrite && !isEmptyDirectory(target)) {
      throw ModelExportException.badInput("%s already exists and is not empty; pass --overwrite to replace it"
          .formatted(target));
    }
  }

  private ModelManifest manifest(ModelVersion version, FederationPlan plan) {
    return new ModelManifest(ModelManifest.FORMAT_VERSION, version.version(), version.runId(), version.planHash(),
        version.weightsHash(), version.round(), version.participants(), version.epsilonSpent(), plan.featureNames(),
        plan.features().stream().map(ModelManifest.InputColumn::of).toList(), plan.scoring().reviewThreshold(),
        plan.scoring().blockThreshold(), ModelManifest.SignatureInfo.standard(),
        clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
  }

  private static void writeSavedModel(FederationPlan plan, float[] weights, Normalization normalization, Path dir)
      throws IOException {
    try (Graph graph = new Graph()) {
      ServingGraph ops = ServingGraph.build(graph, plan);
      try (Session session = new Session(graph)) {
        session.initialize();
        try (TFloat32 w = TFloat32.tensorOf(Shape.of(weights.length), DataBuffers.of(weights, true, false));
            TFloat64 mean = vector(normalization.mean());
            TFloat64 std = vector(normalization.std());
            Result ignored = session.runner().feed(ops.newWeights, w).feed(ops.newMean, mean)
                .feed(ops.newStd, std).addTarget(ops.load).run()) {
          // the variables now hold the version; nothing to read
        }
        Signature signature = Signature.builder().key(ServingContract.SIGNATURE_KEY)
            .methodName(ServingContract.METHOD_NAME)
            .input(ServingContract.INPUT_NAME, ops.features)
            .output(ServingContract.OUTPUT_NAME, ops.probability)
            .build();
        SavedModelBundle.exporter(dir.toString()).withTags(ServingContract.TAG).withSession(session)
            .withSignature(signature).export();
      }
    }
  }

  private static TFloat64 vector(double[] values) {
    return TFloat64.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  private static void moveIntoPlace(Path staging, Path target) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // Same parent directory, so this only happens on unusual file systems; a plain move is the best left.
      Files.move(staging, target);
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws ModelExportException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    } catch (IOException e) {
      throw new ModelExportException("cannot list %s: %s".formatted(dir, e.getMessage()), false, e);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void deleteQuietly(Path root) {
    try {
      deleteRecursively(root);
    } catch (IOException e) {
      LOG.warn("could not remove the staging directory {}: {}", root, e.getMessage());
    }
  }
}
