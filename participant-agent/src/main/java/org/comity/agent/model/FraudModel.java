package org.comity.agent.model;

import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One bank's fraud model: a TensorFlow graph and session that train locally and exchange weights as a flat
 * {@code float[]} in the {@link ModelArchitecture} layout.
 *
 * <h2>Determinism</h2>
 * Initial weights are a function of the creation seed only ({@link GlorotUniformInitializer}). An epoch is a function
 * of (weights, optimizer state, data, {@code shuffleSeed}) only: the row order and every dropout mask derive from
 * {@code shuffleSeed}, never from session state, so two models in the same state given the same epoch inputs end
 * bit-identical on the same CPU. Callers should pass a different {@code shuffleSeed} per epoch and round.
 *
 * <h2>Resources and threads</h2>
 * The model owns a native graph and session; {@link #close()} frees both, and every tensor and result is closed
 * before a method returns. Every method that uses the session is {@code synchronized}, so a model may be shared
 * between threads (calls are serialised); after close such methods throw {@link IllegalStateException}, while
 * {@link #close()} itself is idempotent and {@link #architecture()} and {@link #hyperparameters()} keep working.
 *
 * <h2>Optimizer state</h2>
 * {@link #setWeights} does not touch Adam's moments; the agent calls {@link #resetOptimizerState()} at the start of
 * each round, so a round's training depends only on the global model it received.
 */
public final class FraudModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FraudModel.class);

  /** Rows per session run in {@link #predictProbabilities}; bounds the native memory of one call. */
  static final int PREDICTION_CHUNK_ROWS = 8192;

  private final ModelArchitecture architecture;
  private final TrainingHyperparameters hyperparameters;
  private final String deviceDescription;
  private final Graph graph;
  private final Session session;
  private final FraudModelGraph ops;
  private boolean closed;

  private FraudModel(
      ModelArchitecture architecture,
      TrainingHyperparameters hyperparameters,
      String deviceDescription,
      Graph graph,
      Session session,
      FraudModelGraph ops) {
    this.architecture = architecture;
    this.hyperparameters = hyperparameters;
    this.deviceDescription = deviceDescription;
    this.graph = graph;
    this.session = session;
    this.ops = ops;
  }

  /** {@link #create(ModelArchitecture, TrainingHyperparameters, DeviceSelection, SessionThreads, long)} with
   * {@link SessionThreads#forThisMachine()}. */
  public static FraudModel create(
      ModelArchitecture architecture,
      TrainingHyperparameters hyperparameters,
      DeviceSelection device,
      long seed) {
    return create(architecture, hyperparameters, device, SessionThreads.forThisMachine(), seed);
  }

  /**
   * Builds the graph on the resolved device, opens the session and writes Glorot-uniform weights drawn from
   * {@code seed} (biases zero). Logs one INFO line naming the training device.
   *
   * @throws IllegalStateException if an explicit GPU is not usable (see {@link DeviceSelection})
   */
  public static FraudModel create(
      ModelArchitecture architecture,
      TrainingHyperparameters hyperparameters,
      DeviceSelection device,
      SessionThreads threads,
      long seed) {
    requireNonNull(architecture, "architecture");
    requireNonNull(hyperparameters, "hyperparameters");
    requireNonNull(device, "device");
    requireNonNull(threads, "threads");
    TrainingDevice trainingDevice = TrainingSessionFactory.resolve(device);
    Graph graph = new Graph();
    Session session = null;
    try {
      FraudModelGraph ops = FraudModelGraph.build(graph, trainingDevice, architecture, hyperparameters);
      session = new Session(graph, TrainingSessionFactory.sessionConfig(trainingDevice, threads));
      session.initialize();
      String description = trainingDevice.describe(threads);
      FraudModel model = new FraudModel(architecture, hyperparameters, description, graph, session, ops);
      model.setWeights(GlorotUniformInitializer.initialWeights(architecture, seed));
      LOG.info("training device: {}; requested '{}', {} parameters", description, device,
          architecture.parameterCount());
      return model;
    } catch (RuntimeException | Error e) {
      if (session != null) {
        session.close();
      }
      graph.close();
      throw e;
    }
  }

  public ModelArchitecture architecture() {
    return architecture;
  }

  public TrainingHyperparameters hyperparameters() {
    return hyperparameters;
  }

  /** The device that trains, e.g. {@code CPU (2 intra-op threads, 2 inter-op threads)} or {@code GPU:0 (...)}. */
  public synchronized String deviceDescription() {
    ensureOpen();
    return deviceDescription;
  }

  /**
   * Replaces all weights; Adam's moments are left as they are (see {@link #resetOptimizerState()}).
   *
   * @param flat exactly {@link ModelArchitecture#parameterCount()} finite values in the contract layout
   * @throws IllegalArgumentException on a wrong length or a NaN/infinite value; the model is then unchanged
   */
  public synchronized void setWeights(float[] flat) {
    ensureOpen();
    ModelInputChecks.checkFlatWeights(flat, architecture.parameterCount());
    try (TFloat32 weights = floatTensor(Shape.of(flat.length), flat);
        Result ignored = session.runner().feed(ops.newWeights, weights).addTarget(ops.assignWeights).run()) {
      // the assignment ran; nothing to read
    }
  }

  /** A copy of all weights in the contract layout. */
  public synchronized float[] weights() {
    ensureOpen();
    float[] flat = new float[architecture.parameterCount()];
    try (Result result = session.runner().fetch(ops.currentWeights).run()) {
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(flat, false, false));
    }
    return flat;
  }

  /** Zeroes Adam's first and second moments and restores the beta powers, as in a freshly created model. */
  public synchronized void resetOptimizerState() {
    ensureOpen();
    try (Result ignored = session.runner().addTarget(ops.resetOptimizer).run()) {
      // the reset ran; nothing to read
    }
  }

  /**
   * One epoch of minibatch Adam over {@code rows} rows: rows are shuffled with {@code shuffleSeed}, split into
   * batches of {@code batchSize} (the last, partial batch included) and one optimizer step is taken per batch.
   *
   * @param featuresRowMajor {@code rows x inputWidth} finite, already normalised values, row-major
   * @param labels one label per row in {@code [0, 1]} (1 = fraud)
   * @param positiveClassWeight weight of label 1 in the loss, finite and {@code > 0}
   * @param shuffleSeed source of the row order and of every dropout mask of this epoch
   * @return the mean weighted training loss over all rows and the rows seen
   * @throws IllegalArgumentException on inconsistent sizes or non-finite values, before any step is taken
   * @throws org.tensorflow.exceptions.TensorFlowException if TensorFlow fails during a step; the weights and Adam
   *     state then reflect the steps already taken, so the caller should restore the round's start weights with
   *     {@link #setWeights} and {@link #resetOptimizerState()} before retrying
   */
  public synchronized EpochResult trainEpoch(
      float[] featuresRowMajor, float[] labels, int rows, float positiveClassWeight, long shuffleSeed) {
    ensureOpen();
    int width = architecture.inputWidth();
    ModelInputChecks.checkFeatureMatrix(featuresRowMajor, rows, width);
    ModelInputChecks.checkLabels(labels, rows);
    ModelInputChecks.checkPositiveClassWeight(positiveClassWeight);

    SplittableRandom epochRandom = new SplittableRandom(shuffleSeed);
    int[] order = shuffledRowOrder(rows, epochRandom.split());
    SplittableRandom dropoutRandom = epochRandom.split();
    int batchSize = Math.min(hyperparameters.batchSize(), rows);
    float[] batchFeatures = new float[batchSize * width];
    float[] batchLabels = new float[batchSize];
    double weightedLossSum = 0.0;
    int steps = 0;
    try (TFloat32 classWeight = TFloat32.scalarOf(positiveClassWeight)) {
      for (int start = 0; start < rows; start += batchSize) {
        int batchRows = Math.min(batchSize, rows - start);
        if (batchRows != batchLabels.length) {
          batchFeatures = new float[batchRows * width];
          batchLabels = new float[batchRows];
        }
        for (int r = 0; r < batchRows; r++) {
          int row = order[start + r];
          System.arraycopy(featuresRowMajor, row * width, batchFeatures, r * width, width);
          batchLabels[r] = labels[row];
        }
        float batchLoss = runTrainingStep(batchFeatures, batchLabels, batchRows, classWeight, dropoutRandom);
        weightedLossSum += (double) batchLoss * batchRows;
        steps++;
      }
    }
    return new EpochResult(weightedLossSum / rows, rows, steps);
  }

  private float runTrainingStep(
      float[] batchFeatures,
      float[] batchLabels,
      int batchRows,
      TFloat32 classWeight,
      SplittableRandom dropoutRandom) {
    try (TFloat32 x = floatTensor(Shape.of(batchRows, architecture.inputWidth()), batchFeatures);
        TFloat32 y = floatTensor(Shape.of(batchRows), batchLabels);
        TInt64 seeds = ops.dropoutSeeds == null ? null : dropoutSeeds(dropoutRandom)) {
      Session.Runner runner =
          session.runner()
              .feed(ops.features, x)
              .feed(ops.labels, y)
              .feed(ops.positiveClassWeight, classWeight)
              .addTarget(ops.trainStep)
              .fetch(ops.trainingLoss);
      if (seeds != null) {
        runner.feed(ops.dropoutSeeds, seeds);
      }
      try (Result result = runner.run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  private TInt64 dropoutSeeds(SplittableRandom dropoutRandom) {
    long[] seeds = new long[architecture.hiddenUnits().size() * 2];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = dropoutRandom.nextLong();
    }
    return TInt64.tensorOf(Shape.of(architecture.hiddenUnits().size(), 2), DataBuffers.of(seeds, true, false));
  }

  // --- DP-SGD (sample-level differential privacy) ---------------------------------------------------------------

  /**
   * One epoch of DP-SGD (per-example clipping, Gaussian noise, Poisson-sampled batches) over {@code rows} rows,
   * updating the weights with the same gated Adam (and the same Adam state) as {@link #trainEpoch}; Adam only
   * post-processes the private gradient, so the guarantee carries over.
   *
   * <p>The epoch takes {@link DpSgdSettings#stepsPerEpoch(int)} steps. Each step includes every row independently with
   * probability {@code q = expectedBatchSize / rows} (batches vary in size and may be empty), clips each included
   * row's gradient to L2 norm {@code clipNorm}, adds {@code N(0, (noiseMultiplier * clipNorm)^2)} to every coordinate
   * of the sum and divides by {@code expectedBatchSize}; see {@link DpSgdGraph} for the graph. The privacy cost is
   * returned as {@link PrivateEpochResult#privacyCost()}; recording it (and refusing rounds that would exceed the
   * bank's ceiling) is the caller's job, see {@code org.comity.agent.privacy.SampleLevelPrivacyLedger}.
   * {@link TrainingHyperparameters#batchSize()} is not used here.
   *
   * <p><b>Security.</b> Sampling and noise come from {@code noise}; with anything but {@link NoiseSeeds#secure()}
   * the result is not private (a warning is logged). The class-weighted loss is fine under DP: weights only scale
   * a row's gradient before clipping. Rows must not be duplicated or resampled before this call (e.g. balanced
   * resampling with replacement): the unit of privacy is one row of {@code featuresRowMajor}.
   *
   * @param featuresRowMajor {@code rows x inputWidth} finite, already normalised values, row-major
   * @param labels one label per row in {@code [0, 1]} (1 = fraud)
   * @param positiveClassWeight weight of label 1 in the loss, finite and {@code > 0}
   * @param settings clip norm, noise multiplier and expected batch size; {@code expectedBatchSize <= rows}
   * @param noise the secret source of the sampling, the noise and the dropout masks (masks are drawn per batch
   *     position, so known dropout seeds would let one row change other rows' masks; see {@code DpSgdEpoch})
   * @throws IllegalArgumentException on inconsistent sizes, non-finite values, {@code expectedBatchSize > rows} or
   *     null arguments, before any step is taken
   * @throws org.tensorflow.exceptions.TensorFlowException as {@link #trainEpoch}; if the caller nevertheless
   *     releases weights trained by the steps already taken, it must record the full epoch's cost
   */
  public synchronized PrivateEpochResult trainEpochPrivately(
      float[] featuresRowMajor,
      float[] labels,
      int rows,
      float positiveClassWeight,
      DpSgdSettings settings,
      NoiseSeeds noise) {
    ensureOpen();
    requireNonNull(settings, "settings");
    requireNonNull(noise, "noise");
    ModelInputChecks.checkFeatureMatrix(featuresRowMajor, rows, architecture.inputWidth());
    ModelInputChecks.checkLabels(labels, rows);
    ModelInputChecks.checkPositiveClassWeight(positiveClassWeight);
    settings.requireFits(rows);
    if (!noise.isSecure()) {
      LOG.warn("DP-SGD epoch with {}: the result is NOT differentially private (tests and benchmarks only)", noise);
    }
    return DpSgdEpoch.run(session, ops, architecture, featuresRowMajor, labels, rows, positiveClassWeight, settings,
        noise);
  }

  /**
   * The first DP-SGD signature, kept so that existing callers compile: {@code dropoutSeed} is IGNORED and the masks
   * come from {@code noise}, because masks drawn from a caller's (possibly public) seed would break the sensitivity
   * bound (see {@link #trainEpochPrivately(float[], float[], int, float, DpSgdSettings, NoiseSeeds)}).
   *
   * @deprecated drop the {@code dropoutSeed} argument
   */
  @Deprecated
  public synchronized PrivateEpochResult trainEpochPrivately(
      float[] featuresRowMajor,
      float[] labels,
      int rows,
      float positiveClassWeight,
      DpSgdSettings settings,
      long dropoutSeed,
      NoiseSeeds noise) {
    return trainEpochPrivately(featuresRowMajor, labels, rows, positiveClassWeight, settings, noise);
  }

  // --- end DP-SGD ---------------------------------------------------------------------------------------------------

  /**
   * Fraud probabilities on the inference path (no dropout), one per row; deterministic for fixed weights. Large
   * inputs are processed in chunks of {@value #PREDICTION_CHUNK_ROWS} rows.
   *
   * @param featuresRowMajor {@code rows x inputWidth} finite, already normalised values, row-major
   */
  public synchronized float[] predictProbabilities(float[] featuresRowMajor, int rows) {
    ensureOpen();
    int width = architecture.inputWidth();
    ModelInputChecks.checkFeatureMatrix(featuresRowMajor, rows, width);
    float[] probabilities = new float[rows];
    for (int start = 0; start < rows; start += PREDICTION_CHUNK_ROWS) {
      int chunkRows = Math.min(PREDICTION_CHUNK_ROWS, rows - start);
      float[] chunk = new float[chunkRows * width];
      System.arraycopy(featuresRowMajor, start * width, chunk, 0, chunk.length);
      try (TFloat32 x = floatTensor(Shape.of(chunkRows, width), chunk);
          Result result = session.runner().feed(ops.features, x).fetch(ops.probabilities).run()) {
        ((TFloat32) result.get(0))
            .copyTo(DataBuffers.of(probabilities, false, false).offset(start).narrow(chunkRows));
      }
    }
    return probabilities;
  }

  /** Closes the session and the graph; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } finally {
      graph.close();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the fraud model is closed; create a new one");
    }
  }

  /** Fisher-Yates permutation of {@code 0..rows-1}. */
  static int[] shuffledRowOrder(int rows, SplittableRandom random) {
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    for (int i = rows - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private static TFloat32 floatTensor(Shape shape, float[] values) {
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  private static void requireNonNull(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }
}
