package org.comity.agent.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A test-only graph: the network's variables, the {@link DpSgdGraph} gradient, and two slow references built from
 * ordinary back-propagation: the plain gradient of the mean loss ({@link #plainGradient}) and the gradient of one
 * row's loss inside the batch ({@link #perExampleGradient}, same dropout masks as the DP path for the same seeds).
 * Every value is fetched as a flat {@code float[]} in the contract layout.
 */
final class DpSgdTestGraph implements AutoCloseable {

  private final ModelArchitecture architecture;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> features;
  private final Placeholder<TFloat32> labels;
  private final Placeholder<TFloat32> classWeight;
  private final Placeholder<TInt64> dropoutSeeds;
  private final Placeholder<TFloat32> newWeights;
  private final Op assignWeights;
  private final DpSgdGraph dp;
  private final Operand<TFloat32> plainGradient;
  private final Operand<TFloat32> perRowLoss;
  private final List<Variable<TFloat32>> variables;
  private final Ops tf;

  DpSgdTestGraph(ModelArchitecture architecture, float[] weights) {
    this.architecture = architecture;
    graph = new Graph();
    tf = Ops.create(graph);
    DenseNetworkGraph network = DenseNetworkGraph.createVariables(tf, architecture);
    variables = network.variables();
    features = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, architecture.inputWidth())));
    labels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    classWeight = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    dropoutSeeds = network.usesDropout()
        ? tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(architecture.hiddenUnits().size(), 2)))
        : null;
    newWeights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(architecture.parameterCount())));
    assignWeights = network.assignFromFlat(tf, newWeights);
    dp = DpSgdGraph.build(graph, tf, network, features, labels, classWeight, dropoutSeeds);

    Operand<TFloat32> logits = network.trainingLogits(tf, features, dropoutSeeds);
    Operand<TFloat32> meanLoss = WeightedBinaryCrossEntropy.meanLoss(tf, logits, labels, classWeight);
    plainGradient = flat(graph.addGradients(meanLoss.asOutput(), outputs(variables)));
    perRowLoss = WeightedBinaryCrossEntropy.perRowLoss(tf, logits, labels, classWeight);

    session = new Session(graph);
    session.initialize();
    try (TFloat32 w = TFloat32.tensorOf(Shape.of(weights.length), DataBuffers.of(weights, true, false));
        Result ignored = session.runner().feed(newWeights, w).addTarget(assignWeights).run()) {
      // weights written
    }
  }

  /** Inputs of one evaluation. */
  record Batch(float[] features, float[] labels, float classWeight, long[] dropoutSeeds) {
    int rows() {
      return labels.length;
    }
  }

  /** Settings fed to the DP path. */
  record Privacy(float clipNorm, float noiseStddev, float denominator, long[] noiseSeeds) {}

  float[] perExampleNorms(Batch batch) {
    return fetch(batch, fixedPrivacy(1f, 0f, 1f), List.of(dp.perExampleNorms)).get(0);
  }

  float[] clippedSum(Batch batch, float clipNorm) {
    return concat(fetch(batch, fixedPrivacy(clipNorm, 0f, 1f), dp.clippedSums));
  }

  float[] privateGradient(Batch batch, Privacy privacy) {
    return concat(fetch(batch, privacy, dp.privateGradients));
  }

  float[] plainGradient(Batch batch) {
    return fetch(batch, null, List.of(plainGradient)).get(0);
  }

  /**
   * The gradient of row {@code row}'s loss alone, computed by back-propagation inside the whole batch (so with the
   * batch's dropout masks). Adds gradient ops to the graph on every call: slow, for tests only.
   */
  float[] perExampleGradient(Batch batch, int row) {
    Operand<TFloat32> rowLoss = tf.gather(perRowLoss, tf.constant(row), tf.constant(0));
    Operand<TFloat32> gradient = flat(graph.addGradients(rowLoss.asOutput(), outputs(variables)));
    return fetch(batch, null, List.of(gradient)).get(0);
  }

  Privacy fixedPrivacy(float clipNorm, float noiseStddev, float denominator) {
    return new Privacy(clipNorm, noiseStddev, denominator, new long[variables.size() * 2]);
  }

  int variableCount() {
    return variables.size();
  }

  private List<float[]> fetch(Batch batch, Privacy privacy, List<Operand<TFloat32>> targets) {
    int width = architecture.inputWidth();
    List<AutoCloseable> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      runner.feed(features, track(tensors,
          TFloat32.tensorOf(Shape.of(batch.rows(), width), DataBuffers.of(batch.features(), true, false))));
      runner.feed(labels, track(tensors,
          TFloat32.tensorOf(Shape.of(batch.rows()), DataBuffers.of(batch.labels(), true, false))));
      runner.feed(classWeight, track(tensors, TFloat32.scalarOf(batch.classWeight())));
      if (dropoutSeeds != null) {
        runner.feed(dropoutSeeds, track(tensors, TInt64.tensorOf(Shape.of(architecture.hiddenUnits().size(), 2),
            DataBuffers.of(batch.dropoutSeeds(), true, false))));
      }
      if (privacy != null) {
        runner.feed(dp.clipNorm, track(tensors, TFloat32.scalarOf(privacy.clipNorm())));
        runner.feed(dp.noiseStddev, track(tensors, TFloat32.scalarOf(privacy.noiseStddev())));
        runner.feed(dp.denominator, track(tensors, TFloat32.scalarOf(privacy.denominator())));
        runner.feed(dp.noiseSeeds, track(tensors, TInt64.tensorOf(Shape.of(variables.size(), 2),
            DataBuffers.of(privacy.noiseSeeds(), true, false))));
      }
      for (Operand<TFloat32> target : targets) {
        runner.fetch(target);
      }
      List<float[]> values = new ArrayList<>();
      try (Result result = runner.run()) {
        for (int i = 0; i < targets.size(); i++) {
          TFloat32 tensor = (TFloat32) result.get(i);
          float[] copy = new float[Math.toIntExact(tensor.shape().size())];
          tensor.copyTo(DataBuffers.of(copy, false, false));
          values.add(copy);
        }
      }
      return values;
    } finally {
      for (AutoCloseable tensor : tensors) {
        try {
          tensor.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> tensors, T tensor) {
    tensors.add(tensor);
    return tensor;
  }

  private Operand<TFloat32> flat(Output<?>[] gradients) {
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (Output<?> gradient : gradients) {
      parts.add(tf.reshape(gradient.expect(TFloat32.class), tf.array(-1)));
    }
    return tf.concat(parts, tf.constant(0));
  }

  private static Output<?>[] outputs(List<Variable<TFloat32>> variables) {
    Output<?>[] outputs = new Output<?>[variables.size()];
    for (int i = 0; i < outputs.length; i++) {
      outputs[i] = variables.get(i).asOutput();
    }
    return outputs;
  }

  private static float[] concat(List<float[]> parts) {
    int total = parts.stream().mapToInt(p -> p.length).sum();
    float[] flat = new float[total];
    int offset = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, flat, offset, part.length);
      offset += part.length;
    }
    return flat;
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
