package org.comity.agent.scoring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntConsumer;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.serving.ModelManifest;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * An exported model version loaded with TensorFlow's SavedModel loader, as TensorFlow Serving would load it, and
 * checked against the bank's plan. Scores rows in the serving input encoding
 * ({@link org.comity.serving.ServingInput}).
 *
 * <p>Rows are scored in chunks of {@value #CHUNK_ROWS}, the agent's evaluation chunk size: TensorFlow's CPU
 * kernels may round the last bit differently for different batch sizes, and with equal chunks a file scored here
 * gives exactly the agent's evaluation scores. Owns native resources: close it.
 */
public final class ExportedModelScorer implements AutoCloseable {
  /** Rows per call, equal to the agent's prediction chunk ({@code FraudModel.PREDICTION_CHUNK_ROWS}). */
  public static final int CHUNK_ROWS = 8192;

  private final ModelManifest manifest;
  private final SavedModelBundle bundle;
  private final SessionFunction function;

  private ExportedModelScorer(ModelManifest manifest, SavedModelBundle bundle, SessionFunction function) {
    this.manifest = manifest;
    this.bundle = bundle;
    this.function = function;
  }

  /**
   * Reads the manifest of {@code versionDirectory}, refuses a model of another plan, and loads the SavedModel.
   *
   * @throws PlanMismatchException when the manifest's plan hash is not {@code plan}'s
   * @throws IOException when the manifest is missing or invalid
   */
  public static ExportedModelScorer open(Path versionDirectory, FederationPlan plan) throws IOException,
      PlanMismatchException {
    ModelManifest manifest = ModelManifest.read(versionDirectory);
    String planHash = PlanHash.of(plan);
    if (!manifest.planHash().equals(planHash)) {
      throw new PlanMismatchException(("model version %d in %s was trained under plan %s, but this bank's plan "
          + "hashes to %s: score with the plan the model was trained under (or ask the operator for a model of "
          + "this plan)").formatted(manifest.modelVersion(), versionDirectory, manifest.planHash(), planHash));
    }
    if (!manifest.featureNames().equals(plan.featureNames())) {
      throw new PlanMismatchException("model version %d expects the features %s; the plan has %s"
          .formatted(manifest.modelVersion(), manifest.featureNames(), plan.featureNames()));
    }
    SavedModelBundle bundle = SavedModelBundle.load(versionDirectory.toString(), manifest.signature().tag());
    try {
      return new ExportedModelScorer(manifest, bundle, bundle.function(manifest.signature().key()));
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /**
   * Fraud probabilities of {@code rows} rows in the serving input encoding.
   *
   * @param rawRowMajor {@code rows x features} values, row-major
   * @param progress told the number of rows scored after each chunk
   */
  public float[] score(float[] rawRowMajor, int rows, IntConsumer progress) {
    int width = manifest.featureNames().size();
    if (rawRowMajor.length != (long) rows * width) {
      throw new IllegalArgumentException("%d values do not make %d rows of %d features"
          .formatted(rawRowMajor.length, rows, width));
    }
    float[] scores = new float[rows];
    for (int start = 0; start < rows; start += CHUNK_ROWS) {
      int chunkRows = Math.min(CHUNK_ROWS, rows - start);
      float[] chunk = new float[chunkRows * width];
      System.arraycopy(rawRowMajor, start * width, chunk, 0, chunk.length);
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(chunkRows, width), DataBuffers.of(chunk, true, false));
          Result result = function.call(Map.of(manifest.signature().input(), x))) {
        TFloat32 out = (TFloat32) result.get(manifest.signature().output()).orElseThrow(() ->
            new IllegalStateException("the model's signature has no output " + manifest.signature().output()));
        out.copyTo(DataBuffers.of(scores, false, false).offset(start).narrow(chunkRows));
      }
      progress.accept(start + chunkRows);
    }
    return scores;
  }

  @Override
  public void close() {
    bundle.close();
  }

  /** The exported model belongs to another plan than the bank's. */
  public static final class PlanMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    PlanMismatchException(String message) {
      super(message);
    }
  }
}
