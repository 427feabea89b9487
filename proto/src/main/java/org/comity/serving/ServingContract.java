package org.comity.serving;

/**
 * Names fixed by the serving export. A version directory {@code <out>/<version>/} holds {@code saved_model.pb},
 * {@code variables/} and {@value #MANIFEST_FILE}; TensorFlow Serving loads the numbered directories under
 * {@code <out>} and ignores the manifest.
 */
public final class ServingContract {
  /** The SavedModel tag set the graph is saved under. */
  public static final String TAG = "serve";
  /** The signature key TensorFlow Serving uses when a request names none. */
  public static final String SIGNATURE_KEY = "serving_default";
  /** The signature method: TensorFlow Serving's predict API. */
  public static final String METHOD_NAME = "tensorflow/serving/predict";
  /** Input: float32 {@code [-1, features]}, the plan's features in order (see {@link ServingInput}). */
  public static final String INPUT_NAME = "features";
  /** Output: float32 {@code [-1, 1]}, the fraud probability of each row. */
  public static final String OUTPUT_NAME = "fraud_probability";
  /** The manifest beside {@code saved_model.pb} in each version directory. */
  public static final String MANIFEST_FILE = "comity-model.json";

  private ServingContract() {}
}
