package org.comity.agent.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The DP-SGD gradient of one Poisson-sampled batch, built into the training graph: per-example clipping and Gaussian
 * noise (Abadi et al. 2016, "Deep Learning with Differential Privacy"), without materialising per-example gradients.
 *
 * <h2>What is computed</h2>
 * For dense layer {@code l} with input {@code a} ({@code [n, in]}, after the previous layer's dropout) and
 * pre-activation {@code z = a W + b}, let {@code g = d(sum_i loss_i) / d z} ({@code [n, out]}). Since row {@code i}'s
 * loss depends on row {@code i} only, row {@code i} of {@code g} is {@code d loss_i / d z_i}, and example {@code i}'s
 * gradient is {@code a_i g_i^T} for the kernel and {@code g_i} for the bias, so
 * <pre>
 *   ||grad_i||^2 = sum over layers of (||a_i||^2 + 1) * ||g_i||^2          (exact; outer-product norm identity)
 *   c_i          = C / max(||grad_i||, C)  = min(1, C / ||grad_i||)        (1 for a zero gradient)
 *   clipped sum  = a^T (c (.) g) for each kernel,  sum_i c_i g_i for each bias
 *   private grad = (clipped sum + N(0, (sigma C)^2 I)) / expectedBatchSize
 * </pre>
 * {@code g} for all layers comes from ONE {@link Graph#addGradients} call on the summed (not averaged) class-weighted
 * loss; dropout masks are on the path, so they are accounted for. The denominator is the fixed expected batch size
 * {@code q N}, not the sampled batch size: dividing by the sampled size would make the output depend on it, which
 * the accounting does not cover. An empty batch is a valid step: its private gradient is pure noise.
 *
 * <h2>Sensitivity</h2>
 * Adding or removing one row changes the clipped sum by {@code c_i ||grad_i|| <= C} in L2, up to float32 rounding of
 * the norm (relative error around {@code 1e-6}, which moves epsilon by a comparable relative amount). The noise has
 * standard deviation {@code sigma C} per coordinate, so one step is the Gaussian mechanism with noise multiplier
 * {@code sigma} and, with Poisson sampling at rate {@code q}, one {@code PoissonGaussianStep(q, sigma, 1)}.
 *
 * <h2>Noise</h2>
 * {@code StatelessRandomNormal} (Philox) keyed by one fed seed pair per variable: a step's noise is a pure function
 * of the fed seeds, so tests fix them and production feeds secret seeds ({@link NoiseSeeds#secure()}). Known limits,
 * shared with TensorFlow Privacy and Opacus' default mode: Philox is a fast counter-based generator, not a
 * cryptographic one, and float32 Gaussian samples are not hardened against floating-point attacks on the noise
 * (Jin et al. 2022, "Are we there yet? Timing and floating-point attacks on differential privacy systems").
 *
 * <p>Holds op handles only; owns no native resource.
 */
final class DpSgdGraph {

  /** Clip norm C, {@code float32} scalar. */
  final Placeholder<TFloat32> clipNorm;
  /** Noise standard deviation {@code sigma * C}, {@code float32} scalar. */
  final Placeholder<TFloat32> noiseStddev;
  /** The expected batch size {@code q N}, {@code float32} scalar. */
  final Placeholder<TFloat32> denominator;
  /** {@code int64 [variables, 2]}: row {@code k} seeds the noise of variable {@code k} (flat-layout order). */
  final Placeholder<TInt64> noiseSeeds;
  /** Unclipped per-example gradient L2 norms, {@code [n]}. */
  final Operand<TFloat32> perExampleNorms;
  /** Clipped gradient sums before noise, index-aligned with {@link DenseNetworkGraph#variables()}. */
  final List<Operand<TFloat32>> clippedSums;
  /** Noised, divided gradients, index-aligned with {@link DenseNetworkGraph#variables()}: what Adam consumes. */
  final List<Operand<TFloat32>> privateGradients;
  /** Summed weighted training loss of the batch (0 for an empty batch); for local monitoring only, not private. */
  final Operand<TFloat32> lossSum;

  private DpSgdGraph(
      Placeholder<TFloat32> clipNorm,
      Placeholder<TFloat32> noiseStddev,
      Placeholder<TFloat32> denominator,
      Placeholder<TInt64> noiseSeeds,
      Operand<TFloat32> perExampleNorms,
      List<Operand<TFloat32>> clippedSums,
      List<Operand<TFloat32>> privateGradients,
      Operand<TFloat32> lossSum) {
    this.clipNorm = clipNorm;
    this.noiseStddev = noiseStddev;
    this.denominator = denominator;
    this.noiseSeeds = noiseSeeds;
    this.perExampleNorms = perExampleNorms;
    this.clippedSums = List.copyOf(clippedSums);
    this.privateGradients = List.copyOf(privateGradients);
    this.lossSum = lossSum;
  }

  /**
   * Builds the DP-SGD gradient over {@code network}'s variables from the shared training inputs. Adds its own forward
   * pass (same variables, same dropout masks for the same seeds), so the plain training step is unaffected and does
   * not run any of these ops.
   *
   * @param dropoutSeeds as {@link DenseNetworkGraph#trainingLogits}; null when the network has no dropout
   */
  static DpSgdGraph build(
      Graph graph,
      Ops tf,
      DenseNetworkGraph network,
      Operand<TFloat32> features,
      Operand<TFloat32> labels,
      Operand<TFloat32> positiveClassWeight,
      Operand<TInt64> dropoutSeeds) {
    Ops dp = tf.withSubScope("dpsgd");
    Placeholder<TFloat32> clipNorm =
        dp.withName("clip_norm").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TFloat32> noiseStddev =
        dp.withName("noise_stddev").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TFloat32> denominator =
        dp.withName("expected_batch_size").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    List<Variable<TFloat32>> variables = network.variables();
    Placeholder<TInt64> noiseSeeds =
        dp.withName("noise_seeds").placeholder(TInt64.class, Placeholder.shape(Shape.of(variables.size(), 2)));

    DenseNetworkGraph.TrainingPass pass = network.trainingPass(dp, features, dropoutSeeds);
    Operand<TFloat32> lossSum =
        dp.reduceSum(
            WeightedBinaryCrossEntropy.perRowLoss(dp, pass.logits(), labels, positiveClassWeight), dp.constant(0));

    List<Operand<TFloat32>> preActivations = pass.preActivations();
    Output<?>[] preActivationOutputs = new Output<?>[preActivations.size()];
    for (int layer = 0; layer < preActivations.size(); layer++) {
      preActivationOutputs[layer] = preActivations.get(layer).asOutput();
    }
    Output<?>[] outputGradients = graph.addGradients(lossSum.asOutput(), preActivationOutputs);

    Operand<TInt64> rowAxis = dp.constant(1L);
    Operand<TFloat32> squaredNorms = null;
    for (int layer = 0; layer < preActivations.size(); layer++) {
      Operand<TFloat32> g = outputGradients[layer].expect(TFloat32.class);
      Operand<TFloat32> inputSquares = dp.reduceSum(dp.math.square(pass.layerInputs().get(layer)), rowAxis);
      Operand<TFloat32> outputSquares = dp.reduceSum(dp.math.square(g), rowAxis);
      Operand<TFloat32> layerSquares = dp.math.mul(dp.math.add(inputSquares, dp.constant(1.0f)), outputSquares);
      squaredNorms = squaredNorms == null ? layerSquares : dp.math.add(squaredNorms, layerSquares);
    }
    Operand<TFloat32> norms = dp.withName("per_example_norms").math.sqrt(squaredNorms);
    Operand<TFloat32> clipFactors = dp.math.div(clipNorm, dp.math.maximum(norms, clipNorm));
    Operand<TFloat32> clipColumn = dp.expandDims(clipFactors, dp.constant(1));

    List<Operand<TFloat32>> clippedSums = new ArrayList<>(variables.size());
    for (int layer = 0; layer < preActivations.size(); layer++) {
      Operand<TFloat32> clippedOutputGradients =
          dp.math.mul(outputGradients[layer].expect(TFloat32.class), clipColumn);
      clippedSums.add(
          dp.linalg.matMul(pass.layerInputs().get(layer), clippedOutputGradients, MatMul.transposeA(true)));
      clippedSums.add(dp.reduceSum(clippedOutputGradients, dp.constant(0)));
    }

    List<DenseLayerShape> layers = network.architecture().layers();
    List<Operand<TFloat32>> privateGradients = new ArrayList<>(variables.size());
    for (int index = 0; index < variables.size(); index++) {
      DenseLayerShape layer = layers.get(index / 2);
      Operand<TInt64> shape =
          index % 2 == 0 ? dp.constant(new long[] {layer.inputs(), layer.outputs()})
              : dp.constant(new long[] {layer.outputs()});
      Operand<TFloat32> standardNormal =
          dp.random.statelessRandomNormal(
              shape, dp.gather(noiseSeeds, dp.constant(index), dp.constant(0)), TFloat32.class);
      Operand<TFloat32> noised = dp.math.add(clippedSums.get(index), dp.math.mul(standardNormal, noiseStddev));
      privateGradients.add(
          dp.withName(DenseNetworkGraph.variableName(index / 2, index % 2 == 0 ? "kernel" : "bias") + "_gradient")
              .math.div(noised, denominator));
    }
    return new DpSgdGraph(clipNorm, noiseStddev, denominator, noiseSeeds, norms, clippedSums, privateGradients,
        lossSum);
  }
}
